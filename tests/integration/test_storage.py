"""One behaviour suite for both storage backends (local folder and S3 over HTTP).

The app, the worker and the segment gate only ever see `Storage`; if these
pass for both, switching MEDIA_ROOT for S3_BUCKET changes nothing for them.
"""

from __future__ import annotations

import base64
import io
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from lms.media.storage import (
    InvalidKey,
    LocalStorage,
    NotFound,
    RangeNotSatisfiable,
    S3Storage,
    Storage,
    UploadTooLarge,
    make_storage,
)

MiB = 1024 * 1024
ROOT = Path(__file__).resolve().parents[2]


class PatternStream(io.RawIOBase):
    """A big, non-seekable upload produced on the fly, like a request body.

    Byte i is (i // 4096) % 251, so any range of it can be checked without
    keeping the whole thing, and it records how much was asked for at once.
    """

    def __init__(self, total: int) -> None:
        self.total = total
        self.position = 0
        self.largest_read = 0
        self.reads = 0

    @staticmethod
    def expected(start: int, end: int) -> bytes:
        """Bytes start..end inclusive, built 4 KiB run by run (fast enough for 30 MB)."""
        out = bytearray()
        position = start
        while position <= end:
            run_end = min(end, (position // 4096 + 1) * 4096 - 1)
            out += bytes([(position // 4096) % 251]) * (run_end - position + 1)
            position = run_end + 1
        return bytes(out)

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = self.total - self.position
        size = min(size, self.total - self.position)
        self.reads += 1
        self.largest_read = max(self.largest_read, size)
        data = self.expected(self.position, self.position + size - 1) if size > 0 else b""
        self.position += size
        return data

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _no_leftovers(storage: Storage, tmp_path: Path) -> None:
    """Nothing half-written remains: no temp files on disk, no open multipart uploads."""
    if isinstance(storage, LocalStorage):
        assert [p for p in storage.root.rglob("*") if p.is_file()] == []
    else:
        assert isinstance(storage, S3Storage)
        uploads = storage.client.list_multipart_uploads(Bucket=storage.bucket)
        assert uploads.get("Uploads", []) == []
        assert storage.client.list_objects_v2(Bucket=storage.bucket).get("KeyCount", 0) == 0


def test_saved_object_reads_back_identically(storage: Storage) -> None:
    data = b"segment bytes " * 1000
    assert storage.save("videos/1/hls/720p/seg_00000.ts", io.BytesIO(data), "video/mp2t") == len(data)

    assert storage.exists("videos/1/hls/720p/seg_00000.ts")
    assert storage.size("videos/1/hls/720p/seg_00000.ts") == len(data)
    with storage.open("videos/1/hls/720p/seg_00000.ts") as handle:
        assert handle.read() == data


def test_saving_again_replaces_the_object(storage: Storage) -> None:
    storage.save("docs/a.txt", io.BytesIO(b"first version"))
    storage.save("docs/a.txt", io.BytesIO(b"second"))
    assert storage.read_range("docs/a.txt", 0, 100) == b"second"
    assert storage.size("docs/a.txt") == 6


def test_read_range_is_inclusive_like_http_and_clipped_at_the_end(storage: Storage) -> None:
    storage.save("r.bin", io.BytesIO(bytes(range(100))))
    assert storage.read_range("r.bin", 0, 0) == b"\x00"
    assert storage.read_range("r.bin", 10, 19) == bytes(range(10, 20))
    assert storage.read_range("r.bin", 90, 500) == bytes(range(90, 100))
    with pytest.raises(RangeNotSatisfiable):
        storage.read_range("r.bin", 100, 200)


def test_missing_objects_say_so(storage: Storage) -> None:
    assert not storage.exists("nope/x.ts")
    with pytest.raises(NotFound):
        storage.open("nope/x.ts")
    with pytest.raises(NotFound):
        storage.size("nope/x.ts")
    with pytest.raises(NotFound):
        storage.read_range("nope/x.ts", 0, 10)
    storage.delete("nope/x.ts")  # deleting twice (retried jobs) is not an error


def test_delete_removes_only_that_object(storage: Storage) -> None:
    storage.save("a/1.ts", io.BytesIO(b"1"))
    storage.save("a/2.ts", io.BytesIO(b"2"))
    storage.delete("a/1.ts")
    assert not storage.exists("a/1.ts")
    assert storage.exists("a/2.ts")


def test_delete_prefix_removes_a_folder_and_not_its_lookalike_neighbour(storage: Storage) -> None:
    for key in ("course/1/hls/720p/a.ts", "course/1/hls/master.m3u8", "course/1/poster.jpg",
                "course/10/hls/master.m3u8", "course/1.txt"):
        storage.save(key, io.BytesIO(b"x"))

    assert storage.delete_prefix("course/1") == 3

    assert not storage.exists("course/1/hls/master.m3u8")
    assert storage.exists("course/10/hls/master.m3u8")
    assert storage.exists("course/1.txt")
    assert storage.delete_prefix("course/1/") == 0


def test_upload_dir_stores_an_hls_folder_under_a_prefix(storage: Storage, tmp_path: Path) -> None:
    hls = tmp_path / "hls"
    (hls / "240p").mkdir(parents=True)
    (hls / "master.m3u8").write_text("#EXTM3U\n")
    (hls / "240p" / "index.m3u8").write_text("#EXTM3U\n#EXT-X-ENDLIST\n")
    (hls / "240p" / "seg_00000.ts").write_bytes(b"\x47" * 188 * 10)

    keys = storage.upload_dir(hls, "videos/7/hls")

    assert sorted(keys) == ["videos/7/hls/240p/index.m3u8", "videos/7/hls/240p/seg_00000.ts",
                            "videos/7/hls/master.m3u8"]
    assert storage.read_range("videos/7/hls/240p/seg_00000.ts", 0, 0) == b"\x47"
    assert storage.size("videos/7/hls/240p/seg_00000.ts") == 1880
    if isinstance(storage, S3Storage):
        # Players check the type; S3 would otherwise serve binary/octet-stream.
        head = storage.client.head_object(Bucket=storage.bucket, Key="videos/7/hls/master.m3u8")
        assert head["ContentType"] == "application/vnd.apple.mpegurl"
        head = storage.client.head_object(Bucket=storage.bucket, Key="videos/7/hls/240p/seg_00000.ts")
        assert head["ContentType"] == "video/mp2t"


def test_download_to_copies_the_object_to_a_local_file(storage: Storage, tmp_path: Path) -> None:
    storage.save("sources/v.mp4", io.BytesIO(b"not really a video"))
    storage.download_to("sources/v.mp4", tmp_path / "v.mp4")
    assert (tmp_path / "v.mp4").read_bytes() == b"not really a video"
    with pytest.raises(NotFound):
        storage.download_to("sources/missing.mp4", tmp_path / "m.mp4")


#: Saves 30 MiB into a local store in a process of its own and prints the peak of memory the
#: Python heap held meanwhile: in the test's own process, threads of earlier tests' servers
#: (moto, stand-ins) allocate too, and once pushed the peak past the bound (13 MB).
LOCAL_PEAK_PROBE = """
import sys, tracemalloc
from pathlib import Path
from lms.media.storage import LocalStorage
from tests.integration.test_storage import MiB, PatternStream
tracemalloc.start()
LocalStorage(Path(sys.argv[1])).save("sources/big.mp4", PatternStream(30 * MiB), "video/mp4")
print(tracemalloc.get_traced_memory()[1])
"""


def test_a_30_mb_upload_is_streamed_in_bounded_chunks(storage: Storage, tmp_path: Path) -> None:
    total = 30 * MiB
    stream = PatternStream(total)
    stored = storage.save("sources/big.mp4", stream, "video/mp4")

    assert stored == total
    assert stream.position == total
    # Never "read everything": at most one S3 part (8 MiB) per read.
    assert stream.largest_read <= 8 * MiB
    assert stream.reads >= 4
    if isinstance(storage, LocalStorage):
        # The S3 case cannot be measured this way: moto's server shares this
        # process and keeps the object in memory by design.
        probe = subprocess.run([sys.executable, "-c", LOCAL_PEAK_PROBE, str(tmp_path / "probe")],
                               cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
        assert int(probe.stdout) < 8 * MiB
    assert storage.size("sources/big.mp4") == total
    for start in (0, 8 * MiB - 3, total - 5000):
        assert storage.read_range("sources/big.mp4", start, start + 4999) == PatternStream.expected(
            start, start + 4999)


@pytest.mark.parametrize("total, limit", [(100, 50), (20 * MiB, 9 * MiB)],
                         ids=["single-part", "multipart"])
def test_an_upload_over_the_limit_fails_and_leaves_nothing(
        storage: Storage, tmp_path: Path, total: int, limit: int) -> None:
    with pytest.raises(UploadTooLarge):
        storage.save("uploads/too-big.mp4", PatternStream(total), "video/mp4", max_bytes=limit)
    assert not storage.exists("uploads/too-big.mp4")
    _no_leftovers(storage, tmp_path)


def test_an_upload_over_the_limit_keeps_the_previous_version(storage: Storage) -> None:
    storage.save("uploads/v.mp4", io.BytesIO(b"good old file"))
    with pytest.raises(UploadTooLarge):
        storage.save("uploads/v.mp4", PatternStream(1000), max_bytes=100)
    assert storage.read_range("uploads/v.mp4", 0, 100) == b"good old file"


def test_an_upload_at_exactly_the_limit_is_accepted(storage: Storage) -> None:
    assert storage.save("uploads/ok.bin", PatternStream(4096), max_bytes=4096) == 4096


@pytest.mark.parametrize("key", ["../escape.txt", "a/../../escape.txt", "/etc/passwd", "a\\..\\b",
                                 "", "a//b", "./a", "a/.", "a/\x00b", "x/../y"])
def test_keys_that_could_escape_are_refused(storage: Storage, tmp_path: Path, key: str) -> None:
    with pytest.raises(InvalidKey):
        storage.save(key, io.BytesIO(b"x"))
    with pytest.raises(InvalidKey):
        storage.open(key)
    with pytest.raises(InvalidKey):
        storage.exists(key)
    with pytest.raises(InvalidKey):
        storage.delete(key)
    with pytest.raises(InvalidKey):
        storage.delete_prefix(key)
    assert not (tmp_path / "escape.txt").exists()


def test_a_symlink_inside_the_root_cannot_redirect_writes(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    local = LocalStorage(tmp_path / "media")
    (local.root / "link").symlink_to(outside)
    with pytest.raises(InvalidKey):
        local.save("link/evil.txt", io.BytesIO(b"x"))
    assert list(outside.iterdir()) == []


def test_local_storage_has_no_presigned_urls(tmp_path: Path) -> None:
    local = LocalStorage(tmp_path)
    assert local.presigned_get("a.ts") is None  # the app serves the bytes itself
    assert local.presigned_post("a.mp4", max_bytes=10) is None  # the browser posts to the app


def test_presigned_get_url_downloads_over_http(s3_storage: S3Storage) -> None:
    s3_storage.save("videos/1/hls/240p/seg_00003.ts", io.BytesIO(b"\x47" * 376), "video/mp2t")
    url = s3_storage.presigned_get("videos/1/hls/240p/seg_00003.ts", expires=60)
    assert url is not None and "X-Amz-Signature=" in url and "X-Amz-Algorithm=AWS4-HMAC-SHA256" in url

    response = requests.get(url, timeout=10)
    assert response.status_code == 200
    assert response.content == b"\x47" * 376
    ranged = requests.get(url, headers={"Range": "bytes=0-187"}, timeout=10)
    assert ranged.status_code == 206 and len(ranged.content) == 188


def test_a_presigned_url_is_handed_out_again_while_half_its_lifetime_is_left(
        s3_storage: S3Storage) -> None:
    """Every learner of a video fetches the same segments: one signature serves them all, and
    no URL handed out has less than half its lifetime left."""
    key = "videos/1/hls/240p/seg_00004.ts"
    s3_storage.save(key, io.BytesIO(b"\x47" * 188), "video/mp2t")
    first = s3_storage.presigned_get(key, expires=2)
    assert s3_storage.presigned_get(key, expires=2) == first
    assert s3_storage.presigned_get(key, expires=60) != first  # another lifetime, its own URL
    time.sleep(1.2)  # past half of 2 s (and into another second of the signing date)
    renewed = s3_storage.presigned_get(key, expires=2)
    assert renewed != first
    assert requests.get(renewed, timeout=10).content == b"\x47" * 188


def test_presigned_post_lets_a_browser_upload_directly(s3_storage: S3Storage) -> None:
    form = s3_storage.presigned_post("sources/9/upload.mp4", max_bytes=1 * MiB, expires=600,
                                     content_type="video/mp4")
    assert form is not None

    response = requests.post(form["url"], data=form["fields"],
                             files={"file": ("lesson.mp4", b"\x00" * 5000, "video/mp4")}, timeout=10)

    assert response.status_code in (200, 201, 204), response.text
    assert s3_storage.size("sources/9/upload.mp4") == 5000
    assert s3_storage.verify_size("sources/9/upload.mp4", max_bytes=1 * MiB) == 5000


def test_presigned_post_policy_carries_the_size_limit(s3_storage: S3Storage) -> None:
    form = s3_storage.presigned_post("sources/9/upload.mp4", max_bytes=2 * MiB, expires=600)
    assert form is not None
    policy = json.loads(base64.b64decode(form["fields"]["policy"]))
    # This signed condition is what makes S3 itself answer 400 EntityTooLarge.
    assert ["content-length-range", 1, 2 * MiB] in policy["conditions"]
    assert {"key": "sources/9/upload.mp4"} in policy["conditions"]
    assert form["fields"]["x-amz-algorithm"] == "AWS4-HMAC-SHA256"


def test_an_oversized_direct_upload_is_never_accepted(s3_storage: S3Storage) -> None:
    form = s3_storage.presigned_post("sources/9/big.mp4", max_bytes=1000, expires=600)
    assert form is not None

    response = requests.post(form["url"], data=form["fields"],
                             files={"file": ("big.mp4", b"\x00" * 5000, "video/mp4")}, timeout=10)

    if response.status_code in (400, 403):
        # Real S3 (and MinIO) enforce the policy and answer EntityTooLarge.
        assert "EntityTooLarge" in response.text or "Policy" in response.text
        assert not s3_storage.exists("sources/9/big.mp4")
    else:
        # moto stores it anyway (it does not check POST policies); the app's
        # confirmation step is what must catch it then.
        with pytest.raises(UploadTooLarge):
            s3_storage.verify_size("sources/9/big.mp4", max_bytes=1000)
        assert not s3_storage.exists("sources/9/big.mp4")


def test_make_storage_picks_the_backend_from_settings(tmp_path: Path, s3_endpoint: str,
                                                     s3_bucket: str) -> None:
    local = make_storage({"MEDIA_ROOT": str(tmp_path / "m"), "S3_BUCKET": ""})
    assert isinstance(local, LocalStorage)

    remote = make_storage({
        "S3_BUCKET": s3_bucket, "S3_ENDPOINT_URL": s3_endpoint, "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY_ID": "testing", "S3_SECRET_ACCESS_KEY": "testing", "S3_PATH_STYLE": "true",
        "MEDIA_ROOT": str(tmp_path / "unused"),
    })
    assert isinstance(remote, S3Storage)
    remote.save("probe.txt", io.BytesIO(b"hello"))
    assert remote.read_range("probe.txt", 0, 4) == b"hello"
    # Path-style: the bucket is in the path, not the host name.
    assert remote.presigned_get("probe.txt", 60).startswith(f"{s3_endpoint}/{s3_bucket}/probe.txt?")

    with pytest.raises(ValueError):
        make_storage({})
