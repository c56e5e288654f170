"""Real collaborators for the media tests: an S3 server on loopback and real ffmpeg clips.

Nothing here is mocked: moto runs as an actual HTTP server (the mode that
installs here), so signatures, presigned URLs and multipart uploads go over
the wire exactly as they would against S3 or MinIO.
"""

from __future__ import annotations

import socket
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from lms.media.clips import make_clip as ffmpeg_clip
from lms.media.storage import LocalStorage, S3Storage, Storage

S3_ACCESS_KEY = "testing"
S3_SECRET_KEY = "testing"
S3_REGION = "us-east-1"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """URL of a moto S3 server, started once for the whole session."""
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3_bucket(s3_endpoint: str) -> str:
    """A fresh, empty bucket per test, so prefix listings see only that test's objects."""
    name = f"alur-test-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name=S3_REGION,
        aws_access_key_id=S3_ACCESS_KEY,
        aws_secret_access_key=S3_SECRET_KEY,
    )
    client.create_bucket(Bucket=name)
    return name


def s3_settings(s3_endpoint: str, s3_bucket: str) -> dict[str, object]:
    """An app's configuration for storing media in the test bucket."""
    return {"S3_BUCKET": s3_bucket, "S3_ENDPOINT_URL": s3_endpoint, "S3_PATH_STYLE": True,
            "S3_ACCESS_KEY_ID": S3_ACCESS_KEY, "S3_SECRET_ACCESS_KEY": S3_SECRET_KEY,
            "S3_REGION": S3_REGION}


@pytest.fixture
def s3_storage(s3_endpoint: str, s3_bucket: str) -> S3Storage:
    return S3Storage(
        s3_bucket,
        endpoint_url=s3_endpoint,
        region=S3_REGION,
        access_key=S3_ACCESS_KEY,
        secret_key=S3_SECRET_KEY,
        path_style=True,
    )


@pytest.fixture(params=["local", "s3"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Storage:
    """Each storage test runs once per backend: the app must not care which it has."""
    if request.param == "local":
        return LocalStorage(tmp_path / "media")
    return request.getfixturevalue("s3_storage")


ClipMaker = Callable[..., Path]


@pytest.fixture(scope="session")
def make_clip(tmp_path_factory: pytest.TempPathFactory) -> ClipMaker:
    """Make real H.264/AAC clips with ffmpeg's test sources; identical requests are reused.

    make_clip(width=320, height=240, duration=2.0, fps=25, audio=True,
              faststart=False, container="mp4") -> Path
    """
    folder = tmp_path_factory.mktemp("clips")
    cache: dict[tuple[object, ...], Path] = {}

    def make(
        width: int = 320,
        height: int = 240,
        duration: float = 2.0,
        fps: int = 25,
        audio: bool = True,
        faststart: bool = False,
        container: str = "mp4",
    ) -> Path:
        key = (width, height, duration, fps, audio, faststart, container)
        if key in cache:
            return cache[key]
        out = folder / f"clip_{width}x{height}_{duration}s_{fps}fps_{int(audio)}{int(faststart)}.{container}"
        cache[key] = ffmpeg_clip(out, duration, width=width, height=height, fps=fps,
                                 audio=audio, faststart=faststart)
        return out

    return make
