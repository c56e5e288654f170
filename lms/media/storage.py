"""Where media bytes live: a local folder or any S3-compatible object store.

This is the import point for the rest of Alur: the interface and errors
(`storage_base`), the local backend (here) and the S3 backend (`storage_s3`).
Views, tasks and the segment gate only see `Storage`, so they never branch on
where bytes are.

This module deliberately knows nothing about Flask: `make_storage` takes a plain
mapping (``app.config`` works, so does ``os.environ``), which keeps it usable
from the worker, the CLI and the tests alike.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, BinaryIO

from flask import current_app

from lms.media.storage_base import (
    CHUNK_SIZE,
    CONTENT_TYPES,
    InvalidKey,
    NotFound,
    RangeNotSatisfiable,
    Readable,
    Storage,
    StorageError,
    UploadTooLarge,
    _folder_prefix,
    _walk_files,
    guess_content_type,
    validate_key,
)
from lms.media.storage_s3 import S3Storage

__all__ = [
    "CHUNK_SIZE", "CONTENT_TYPES", "InvalidKey", "LocalStorage", "NotFound", "RangeNotSatisfiable",
    "Readable", "S3Storage", "Storage", "StorageError", "UploadTooLarge", "guess_content_type",
    "make_storage", "validate_key",
]


class LocalStorage(Storage):
    """Objects as files under `root`; for `make run`, tests and single hosts."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root).resolve()
        self.root.mkdir(parents=True, exist_ok=True)

    def path_for(self, key: str) -> Path:
        """Filesystem path for `key`, guaranteed to stay inside the root."""
        path = (self.root / validate_key(key)).resolve()
        # resolve() follows symlinks, so this also stops a link planted inside
        # the root from pointing writes elsewhere.
        if path != self.root and self.root not in path.parents:
            raise InvalidKey(f"key escapes the storage root: {key!r}")
        return path

    def save(
        self,
        key: str,
        fileobj: BinaryIO,
        content_type: str | None = None,
        max_bytes: int | None = None,
    ) -> int:
        # content_type is not stored: local files are served with a type
        # guessed from the key's extension, which the app controls.
        path = self.path_for(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # The temp file sits in the target folder so the final rename stays on
        # one filesystem and is atomic: readers see the old file or the new
        # one, never half an upload.
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".upload-", suffix=".part")
        written = 0
        try:
            with os.fdopen(fd, "wb") as out:
                while True:
                    chunk = fileobj.read(CHUNK_SIZE)
                    if not chunk:
                        break
                    written += len(chunk)
                    if max_bytes is not None and written > max_bytes:
                        raise UploadTooLarge(max_bytes)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp_name, path)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        return written

    def open(self, key: str) -> BinaryIO:
        path = self.path_for(key)
        try:
            return path.open("rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise NotFound(key) from None

    def read_range(self, key: str, start: int, end: int) -> bytes:
        if start < 0 or end < start:
            raise ValueError(f"invalid range {start}-{end}")
        size = self.size(key)
        if start >= size:
            raise RangeNotSatisfiable(f"{key}: range starts at {start}, size is {size}")
        with self.open(key) as handle:
            handle.seek(start)
            return handle.read(min(end, size - 1) - start + 1)

    def size(self, key: str) -> int:
        path = self.path_for(key)
        if not path.is_file():
            raise NotFound(key)
        return path.stat().st_size

    def exists(self, key: str) -> bool:
        return self.path_for(key).is_file()

    def delete(self, key: str) -> None:
        path = self.path_for(key)
        if path.is_file():
            path.unlink(missing_ok=True)
        # Empty parent folders are kept on purpose: pruning them races with a
        # concurrent save that has just created the folder.

    def delete_prefix(self, prefix: str) -> int:
        folder = self.path_for(_folder_prefix(prefix).rstrip("/"))
        if not folder.is_dir():
            return 0
        count = sum(1 for path in folder.rglob("*") if path.is_file())
        shutil.rmtree(folder)
        return count

    def download_to(self, key: str, path: str | os.PathLike[str]) -> None:
        source = self.path_for(key)
        if not source.is_file():
            raise NotFound(key)
        shutil.copyfile(source, path)

    def upload_dir(self, local_dir: str | os.PathLike[str], prefix: str) -> list[str]:
        base = _folder_prefix(prefix)
        keys = []
        for path, name in _walk_files(Path(local_dir)):
            key = validate_key(base + name)
            with path.open("rb") as handle:
                self.save(key, handle, guess_content_type(name))
            keys.append(key)
        return keys


def _truthy(value: Any) -> bool:
    """Settings may come from os.environ (strings) or a config class (bools)."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def make_storage(settings: Mapping[str, Any]) -> Storage:
    """Build the configured backend: S3 when S3_BUCKET is set, else MEDIA_ROOT.

    Recognised settings: S3_BUCKET, S3_ENDPOINT_URL, S3_REGION,
    S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, S3_PATH_STYLE, MEDIA_ROOT.
    """
    bucket = settings.get("S3_BUCKET")
    if bucket:
        return S3Storage(
            bucket,
            endpoint_url=settings.get("S3_ENDPOINT_URL") or None,
            region=settings.get("S3_REGION") or "us-east-1",
            access_key=settings.get("S3_ACCESS_KEY_ID") or None,
            secret_key=settings.get("S3_SECRET_ACCESS_KEY") or None,
            path_style=_truthy(settings.get("S3_PATH_STYLE", False)),
        )
    root = settings.get("MEDIA_ROOT")
    if not root:
        raise ValueError("set MEDIA_ROOT (a folder) or S3_BUCKET to choose where media is stored")
    return LocalStorage(root)


#: Where the app keeps its one storage object (`app.extensions`).
STORAGE_EXTENSION = "alur.media.storage"


def init_app(app: Any) -> None:
    """Build the app's storage once: boto3 clients are not free to make per request."""
    app.extensions[STORAGE_EXTENSION] = make_storage(app.config)


def current_storage() -> Storage:
    """The app's storage for media, certificates' PDFs and skill-task hand-ins. Rebuilt from
    the configuration when it was dropped (after an operator or a test changed the settings)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    store = app.extensions.get(STORAGE_EXTENSION)
    if store is None:
        store = app.extensions[STORAGE_EXTENSION] = make_storage(app.config)
    return store
