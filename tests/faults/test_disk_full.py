"""The media disk full during an upload: a clear refusal (507 Insufficient Storage, in the
contract's error shape or beside the form), and nothing half-created: no asset row, no audit
entry, no partial file, the space given back.

MEDIA_ROOT is a real 1 MB tmpfs mounted for the test, and the upload a real video larger than
that. 507, not 413: the file is within the upload limit and fits once there is room, so the
provider must not be told to make it smaller; nor 500: nothing is broken in the request.
"""
from __future__ import annotations

import html
import io
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask_babel import force_locale
from PIL import Image
from sqlalchemy import func, select

from lms.admin.models import AuditEntry
from lms.catalog.models import ModuleKind
from lms.errors import InsufficientStorage
from lms.extensions import db
from lms.media.clips import make_clip
from tests import factories, factories_video
from tests.media.conftest import assets, stored_files
from tests.media.test_upload_page import XHR, upload

DISK_SIZE = "1m"


@pytest.fixture
def small_disk(tmp_path) -> Iterator[Path]:
    folder = tmp_path / "small-disk"
    folder.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={DISK_SIZE}", "tmpfs", str(folder)],
                   check=True)
    try:
        yield folder
    finally:
        if subprocess.run(["umount", str(folder)]).returncode != 0:
            subprocess.run(["umount", "--lazy", str(folder)], check=True)


@pytest.fixture(params=["store", "store and scratch"])
def app_settings(request, small_disk) -> dict:
    """The store on the small disk; in the second case the upload's scratch copy too."""
    scratch = {"MEDIA_TMP_DIR": str(small_disk / "tmp")} if "scratch" in request.param else {}
    return {"MEDIA_ROOT": str(small_disk), **scratch}


@pytest.fixture(scope="session")
def big_video(tmp_path_factory) -> Path:
    """About 1.5 MB of real H.264 (lossless, so the test pattern does not shrink)."""
    path = make_clip(tmp_path_factory.mktemp("big") / "lesson.mp4", 3, width=640, height=360,
                     crf=0)
    assert path.stat().st_size > 1024 * 1024
    return path


def _message(locale: str) -> str:
    with force_locale(locale):
        return str(InsufficientStorage.default_message)


def _nothing_kept(disk: Path, used_before: int) -> None:
    assert assets() == []
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "video.uploaded")) == 0
    assert stored_files(disk) == []
    assert shutil.disk_usage(disk).used == used_before


def test_a_video_larger_than_the_free_space_is_refused_and_leaves_nothing(
        app, client, auth, small_disk, big_video):
    world = factories_video.video_world()
    auth.login(world.staff.email)
    used_before = shutil.disk_usage(small_disk).used

    answer = upload(client, world.module.id, big_video, headers=XHR)
    assert answer.status_code == 507
    assert answer.get_json() == {"error": "storage_full", "message": _message("en")}
    _nothing_kept(small_disk, used_before)

    page = client.post(f"/provider/modules/{world.module.id}/video?lang=id",
                       data={"file": (io.BytesIO(big_video.read_bytes()), "lesson.mp4")},
                       content_type="multipart/form-data")
    assert page.status_code == 507 and page.mimetype == "text/html"
    assert _message("id") != _message("en")
    # Beside the upload form's file field, where the page shows every refused upload.
    assert f'<p class="error" id="file-error">{_message("id")}</p>' \
        in html.unescape(page.get_data(as_text=True))
    _nothing_kept(small_disk, used_before)


def test_a_reading_image_larger_than_the_free_space_is_refused(app, client, auth, small_disk):
    provider = factories.provider()
    course = factories.course(provider, kinds=(ModuleKind.READING,), published=False)
    reading = course.versions[-1].modules[0]
    auth.login(factories.staff(provider).email)
    noise = io.BytesIO()
    Image.effect_noise((800, 800), 100).convert("RGB").save(noise, "PNG")
    assert noise.tell() > 1024 * 1024
    answer = client.post(f"/provider/modules/{reading.id}/images",
                         data={"image": (io.BytesIO(noise.getvalue()), "gambar.png")},
                         content_type="multipart/form-data", headers=XHR)
    assert answer.status_code == 507
    assert answer.get_json() == {"error": "storage_full", "message": _message("en")}
    assert stored_files(small_disk) == []
