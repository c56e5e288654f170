"""Media upload fixtures: real clips made once per session, the five broken uploads, a course
with a video module, and the S3 server of the integration suite."""
from __future__ import annotations

from pathlib import Path

import pytest

from lms.extensions import db
from lms.media.models import VideoAsset
from tests import factories_video
from tests.integration.conftest import s3_bucket, s3_endpoint  # noqa: F401  (fixtures)


@pytest.fixture
def client(app):
    """A browser that asks for English: assertions read the English source strings whether
    or not the Indonesian catalogue (the default language) translates them."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture(scope="session")
def clips(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("media-clips")
    good = factories_video.clip(folder / "lesson.mp4", 320, 240, seconds=2.0)
    return {
        "good": good,
        "vga": factories_video.clip(folder / "vga.mp4", 640, 480, seconds=2.0),
        **factories_video.broken_files(folder / "broken", good),
    }


@pytest.fixture
def world(app) -> factories_video.VideoWorld:
    return factories_video.video_world()


@pytest.fixture
def media_root(app) -> Path:
    return Path(app.config["MEDIA_ROOT"])


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def assets() -> list[VideoAsset]:
    db.session.commit()  # end the read snapshot: jobs commit in their own sessions
    return list(db.session.query(VideoAsset).order_by(VideoAsset.id))
