"""S3-compatible object storage (AWS S3, MinIO, Ceph, Garage...) through boto3.

Segments and sources can then be served straight from the store via
presigned URLs, and providers can upload big sources browser-direct, so the
app's processes never carry those bytes.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, BinaryIO

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import ClientError

from lms.media.storage_base import (
    CHUNK_SIZE,
    NotFound,
    RangeNotSatisfiable,
    Readable,
    Storage,
    StorageError,
    _folder_prefix,
    _LimitedReader,
    _walk_files,
    guess_content_type,
    validate_key,
)


def _transfer_config() -> TransferConfig:
    """Parts of 8 MiB with at most 4 held in memory per upload.

    That keeps one upload near 32 MiB whatever the source size; boto3's
    default of 10 in-memory parts would allow 80 MiB per concurrent upload.
    boto3's constructor does not take the s3transfer setting, hence the
    attribute assignment.
    """
    config = TransferConfig(
        multipart_threshold=8 * CHUNK_SIZE,
        multipart_chunksize=8 * CHUNK_SIZE,
        max_concurrency=4,
    )
    config.max_in_memory_upload_chunks = 4
    return config


class S3Storage(Storage):
    """Objects in an S3 bucket (AWS, MinIO, Ceph, Garage... through boto3)."""

    TRANSFER = _transfer_config()
    UPLOAD_DIR_WORKERS = 8  # HLS output is hundreds of small files; latency dominates.
    #: Presigned URLs kept for handing out again (see `presigned_get`); beyond this many, the
    #: oldest are dropped all at once.
    PRESIGNED_KEPT = 4096

    def __init__(
        self,
        bucket: str,
        endpoint_url: str | None = None,
        region: str = "us-east-1",
        access_key: str | None = None,
        secret_key: str | None = None,
        path_style: bool = False,
    ) -> None:
        self.bucket = bucket
        config = Config(
            signature_version="s3v4",
            s3={"addressing_style": "path" if path_style else "auto"},
            retries={"max_attempts": 5, "mode": "standard"},
            max_pool_connections=self.UPLOAD_DIR_WORKERS * 2,
        )
        # Empty credentials fall through to boto3's chain (env, IAM role...).
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint_url or None,
            region_name=region or "us-east-1",
            aws_access_key_id=access_key or None,
            aws_secret_access_key=secret_key or None,
            config=config,
        )
        self._presigned: dict[tuple[str, int], tuple[str, float]] = {}

    @staticmethod
    def _is_missing(error: ClientError) -> bool:
        code = error.response.get("Error", {}).get("Code", "")
        return code in ("404", "NoSuchKey", "NotFound")

    def save(
        self,
        key: str,
        fileobj: BinaryIO,
        content_type: str | None = None,
        max_bytes: int | None = None,
    ) -> int:
        validate_key(key)
        reader = _LimitedReader(fileobj, max_bytes)
        extra = {"ContentType": content_type or guess_content_type(key)}
        # On UploadTooLarge boto3 aborts the multipart upload, and a single-part
        # PUT never starts, so no object and no orphaned parts remain.
        self.client.upload_fileobj(reader, self.bucket, key, ExtraArgs=extra, Config=self.TRANSFER)
        return reader.count

    def open(self, key: str) -> Readable:
        validate_key(key)
        try:
            return self.client.get_object(Bucket=self.bucket, Key=key)["Body"]
        except ClientError as error:
            if self._is_missing(error):
                raise NotFound(key) from None
            raise

    def read_range(self, key: str, start: int, end: int) -> bytes:
        validate_key(key)
        if start < 0 or end < start:
            raise ValueError(f"invalid range {start}-{end}")
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=key, Range=f"bytes={start}-{end}")
        except ClientError as error:
            if self._is_missing(error):
                raise NotFound(key) from None
            if error.response.get("Error", {}).get("Code") == "InvalidRange":
                raise RangeNotSatisfiable(f"{key}: range starts at {start}") from None
            raise
        with response["Body"] as body:
            return body.read()

    def size(self, key: str) -> int:
        validate_key(key)
        try:
            return int(self.client.head_object(Bucket=self.bucket, Key=key)["ContentLength"])
        except ClientError as error:
            if self._is_missing(error):
                raise NotFound(key) from None
            raise

    def exists(self, key: str) -> bool:
        try:
            self.size(key)
        except NotFound:
            return False
        return True

    def delete(self, key: str) -> None:
        validate_key(key)
        self.client.delete_object(Bucket=self.bucket, Key=key)

    def delete_prefix(self, prefix: str) -> int:
        folder = _folder_prefix(prefix)
        paginator = self.client.get_paginator("list_objects_v2")
        count = 0
        # list_objects_v2 pages hold at most 1000 keys, exactly delete_objects' cap.
        for page in paginator.paginate(Bucket=self.bucket, Prefix=folder):
            objects = [{"Key": item["Key"]} for item in page.get("Contents", [])]
            if not objects:
                continue
            response = self.client.delete_objects(
                Bucket=self.bucket, Delete={"Objects": objects, "Quiet": True}
            )
            if response.get("Errors"):
                first = response["Errors"][0]
                raise StorageError(f"could not delete {first.get('Key')}: {first.get('Message')}")
            count += len(objects)
        return count

    def download_to(self, key: str, path: str | os.PathLike[str]) -> None:
        validate_key(key)
        try:
            self.client.download_file(self.bucket, key, os.fspath(path), Config=self.TRANSFER)
        except ClientError as error:
            if self._is_missing(error):
                raise NotFound(key) from None
            raise

    def upload_dir(self, local_dir: str | os.PathLike[str], prefix: str) -> list[str]:
        base = _folder_prefix(prefix)
        files = [(path, validate_key(base + name)) for path, name in _walk_files(Path(local_dir))]

        def upload(item: tuple[Path, str]) -> str:
            path, key = item
            self.client.upload_file(
                os.fspath(path),
                self.bucket,
                key,
                ExtraArgs={"ContentType": guess_content_type(key)},
                Config=self.TRANSFER,
            )
            return key

        with ThreadPoolExecutor(max_workers=self.UPLOAD_DIR_WORKERS) as pool:
            # list() re-raises the first failure instead of silently skipping it.
            return list(pool.map(upload, files))

    def presigned_get(self, key: str, expires: int = 300) -> str | None:
        """A URL that fetches `key` for `expires` seconds, or for at least half of that: a URL
        is handed out again while half its lifetime is left. Every learner of a video fetches
        the same segments, and signing one costs a quarter of a segment request's CPU (botocore
        resolves the endpoint and runs its event hooks for each)."""
        validate_key(key)
        now = time.monotonic()
        kept = self._presigned.get((key, expires))
        if kept is not None and kept[1] > now:
            return kept[0]
        url = self.client.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": key}, ExpiresIn=expires
        )
        if len(self._presigned) >= self.PRESIGNED_KEPT:
            self._presigned.clear()
        self._presigned[(key, expires)] = (url, now + expires / 2)
        return url

    def presigned_post(
        self, key: str, max_bytes: int, expires: int = 3600, content_type: str | None = None
    ) -> dict[str, Any] | None:
        validate_key(key)
        fields: dict[str, str] = {}
        # A lower bound of 1 stops empty "uploads" from replacing a source.
        conditions: list[Any] = [["content-length-range", 1, max_bytes]]
        if content_type:
            fields["Content-Type"] = content_type
            conditions.append({"Content-Type": content_type})
        return self.client.generate_presigned_post(
            self.bucket, key, Fields=fields, Conditions=conditions, ExpiresIn=expires
        )
