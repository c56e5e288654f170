"""The storage interface, its errors and key rules, shared by both backends.

Providers upload multi-gigabyte source videos and learners fetch thousands of
small HLS segments, so every operation streams in bounded chunks and never
holds a whole object in memory. Import from `lms.media.storage`, which
re-exports everything here; this module exists so the S3 backend can share
the interface without an import cycle.
"""

from __future__ import annotations

import abc
import mimetypes
import os
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO, Protocol

CHUNK_SIZE = 1024 * 1024
MAX_KEY_LENGTH = 1024  # S3's own limit; enforced locally too so keys stay portable.

# mimetypes does not know the HLS types on most systems, and a wrong type makes
# some Android players refuse the stream.
CONTENT_TYPES = {
    ".m3u8": "application/vnd.apple.mpegurl",
    ".ts": "video/mp2t",
    ".m4s": "video/iso.segment",
    ".mp4": "video/mp4",
    ".vtt": "text/vtt",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}


class StorageError(Exception):
    """Base class for storage failures the caller is expected to handle."""


class InvalidKey(StorageError, ValueError):
    """The key could escape the storage root or is not a portable object name."""


class NotFound(StorageError, FileNotFoundError):
    """No object is stored under the key."""


class RangeNotSatisfiable(StorageError):
    """The requested byte range starts at or beyond the end of the object."""


class UploadTooLarge(StorageError):
    """The uploaded stream went over the allowed size; nothing was kept."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(f"upload exceeds the limit of {max_bytes} bytes")
        self.max_bytes = max_bytes


class Readable(Protocol):
    """What `open` returns: a file object or botocore's StreamingBody."""

    def read(self, size: int = -1) -> bytes: ...

    def close(self) -> None: ...


def validate_key(key: str) -> str:
    """Return `key` if it is a safe relative object name, else raise InvalidKey.

    Keys become file paths on the local backend, so anything that could climb
    out of the root ("..", absolute paths, backslashes that Windows-made zips
    smuggle in) is refused on both backends: a key that works on S3 must also
    work on disk, or switching backends would break stored references.
    """
    if not isinstance(key, str) or not key:
        raise InvalidKey("key must be a non-empty string")
    if len(key.encode("utf-8")) > MAX_KEY_LENGTH:
        raise InvalidKey("key is too long")
    if "\\" in key or any(ord(ch) < 32 or ord(ch) == 127 for ch in key):
        raise InvalidKey(f"key contains a forbidden character: {key!r}")
    if key.startswith("/"):
        raise InvalidKey(f"key must be relative: {key!r}")
    parts = key.split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise InvalidKey(f"key has an empty, '.' or '..' segment: {key!r}")
    return key


def _folder_prefix(prefix: str) -> str:
    """Normalise a prefix to a folder ("a/b" -> "a/b/").

    Plain string prefixes would make delete_prefix("course/1") also wipe
    "course/10..." — a folder boundary is what callers always mean.
    """
    return validate_key(prefix.rstrip("/")) + "/"


def guess_content_type(name: str) -> str:
    """Content type for a file name, knowing the HLS types the stdlib lacks."""
    suffix = PurePosixPath(name).suffix.lower()
    return CONTENT_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


class _LimitedReader:
    """Wraps a stream, counting bytes and failing once `max_bytes` is passed.

    It reads until `size` bytes or EOF so S3 multipart parts are never short
    (S3 rejects non-final parts under 5 MiB), and it reports itself
    non-seekable so boto3 streams it instead of trying to measure it first.
    """

    def __init__(self, fileobj: BinaryIO, max_bytes: int | None) -> None:
        self._fileobj = fileobj
        self._max_bytes = max_bytes
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        read_all = size is None or size < 0
        pieces: list[bytes] = []
        wanted = CHUNK_SIZE if read_all else size
        while wanted > 0:
            piece = self._fileobj.read(wanted)
            if not piece:
                break
            pieces.append(piece)
            self.count += len(piece)
            # Checked per piece so an unbounded read() still stops at the limit.
            if self._max_bytes is not None and self.count > self._max_bytes:
                raise UploadTooLarge(self._max_bytes)
            if not read_all:
                wanted -= len(piece)
        return b"".join(pieces)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False


class Storage(abc.ABC):
    """Operations every backend offers. Keys are '/'-separated relative names."""

    @abc.abstractmethod
    def save(
        self,
        key: str,
        fileobj: BinaryIO,
        content_type: str | None = None,
        max_bytes: int | None = None,
    ) -> int:
        """Stream `fileobj` into `key` and return the number of bytes stored.

        Raises UploadTooLarge (keeping nothing new) when the stream passes
        `max_bytes`; an existing object under the key is left untouched.
        """

    @abc.abstractmethod
    def open(self, key: str) -> Readable:
        """Return a readable stream of the object; the caller closes it."""

    @abc.abstractmethod
    def read_range(self, key: str, start: int, end: int) -> bytes:
        """Bytes `start`..`end` inclusive, like an HTTP Range header.

        `end` past the object's end is clipped; `start` past it raises
        RangeNotSatisfiable so views can answer 416.
        """

    @abc.abstractmethod
    def size(self, key: str) -> int:
        """Object size in bytes; NotFound if missing."""

    @abc.abstractmethod
    def exists(self, key: str) -> bool:
        """Whether an object is stored under `key`."""

    @abc.abstractmethod
    def delete(self, key: str) -> None:
        """Remove the object; deleting a missing object is not an error."""

    @abc.abstractmethod
    def delete_prefix(self, prefix: str) -> int:
        """Remove every object under the folder `prefix`; returns how many."""

    @abc.abstractmethod
    def download_to(self, key: str, path: str | os.PathLike[str]) -> None:
        """Copy the object to a local file (ffmpeg needs a seekable file)."""

    @abc.abstractmethod
    def upload_dir(self, local_dir: str | os.PathLike[str], prefix: str) -> list[str]:
        """Store every file under `local_dir` below `prefix`; returns the keys."""

    def presigned_get(self, key: str, expires: int = 300) -> str | None:
        """A time-limited URL the client can fetch directly, or None.

        None means "no such URL exists here; serve the bytes yourself".
        """
        validate_key(key)
        return None

    def presigned_post(
        self, key: str, max_bytes: int, expires: int = 3600, content_type: str | None = None
    ) -> dict[str, Any] | None:
        """Form `{"url", "fields"}` for a browser-direct upload, or None.

        None means the browser must upload through the app instead.
        """
        validate_key(key)
        return None

    def verify_size(self, key: str, max_bytes: int) -> int:
        """Return the object's size, deleting it and raising if over `max_bytes`.

        Call this after a browser-direct upload: the POST policy makes S3 refuse
        oversized bodies, but not every S3-compatible server enforces it, and
        the limit must hold whichever store is in use.
        """
        size = self.size(key)
        if size > max_bytes:
            self.delete(key)
            raise UploadTooLarge(max_bytes)
        return size


def _walk_files(local_dir: Path) -> Iterator[tuple[Path, str]]:
    """Yield (path, relative posix name) for every regular file, sorted."""
    for path in sorted(local_dir.rglob("*")):
        if path.is_file():
            yield path, path.relative_to(local_dir).as_posix()
