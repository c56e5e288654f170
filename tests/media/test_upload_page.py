"""Uploading a module's video through the provider page, with and without JavaScript: a good
file becomes a playable ladder; each broken file gets its own message and leaves nothing."""
from __future__ import annotations

import io

import pytest

from lms.admin.models import AuditEntry
from lms.extensions import db
from lms.media import probe, services
from lms.media.models import AssetStatus
from tests.media.conftest import assets, stored_files

XHR = {"Accept": "application/json"}


def upload(client, module_id, path=None, name=None, data=None, headers=None):
    stream = io.BytesIO(path.read_bytes()) if path is not None else io.BytesIO(data or b"")
    return client.post(f"/provider/modules/{module_id}/video",
                       data={"file": (stream, name or (path.name if path else "video.mp4"))},
                       content_type="multipart/form-data", headers=headers or {})


def test_staff_upload_becomes_a_ready_ladder_the_page_lists(client, auth, world, clips,
                                                            media_root):
    auth.login(world.staff.email)
    response = upload(client, world.module.id, clips["good"])
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/provider/modules/{world.module.id}/video")

    (asset,) = assets()
    assert asset.status == AssetStatus.READY and asset.progress_percent == 100
    assert asset.uploaded_by_id == world.staff.id and asset.original_filename == "lesson.mp4"
    # A 240-line source is not upscaled: one rendition, never 720p from 240p.
    assert [r.name for r in asset.renditions] == ["240p"]
    assert asset.renditions[0].codecs.startswith("avc1.") and asset.renditions[0].segment_count == 1
    assert asset.duration_seconds == pytest.approx(2.0, abs=0.1)
    assert world.module.duration_seconds == pytest.approx(2.0, abs=0.1)
    keys = {p.relative_to(media_root).as_posix() for p in stored_files(media_root)}
    assert {f"sources/{asset.id}/lesson.mp4", f"hls/{asset.id}/master.m3u8",
            f"hls/{asset.id}/poster.jpg", f"hls/{asset.id}/240p/index.m3u8",
            f"hls/{asset.id}/240p/seg_00000.ts"} <= keys
    assert asset.hls_prefix == f"hls/{asset.id}" and asset.poster_key == f"hls/{asset.id}/poster.jpg"
    assert db.session.query(AuditEntry).filter_by(action="video.uploaded").count() == 1

    page = client.get(f"/provider/modules/{world.module.id}/video").get_data(as_text=True)
    assert 'data-status="ready"' in page and 'data-name="240p"' in page
    assert "Playing in the course" in page


@pytest.mark.parametrize("code", ["empty_file", "not_media", "image_not_video", "truncated",
                                  "no_video_stream"])
def test_each_broken_upload_gets_its_own_message_in_the_page_and_leaves_nothing(
        client, auth, world, clips, media_root, code):
    auth.login(world.staff.email)
    response = upload(client, world.module.id, clips[code])
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert probe.MESSAGES[code] in page
    for other, message in probe.MESSAGES.items():
        if other != code:
            assert message not in page, f"{code} also shows the message of {other}"
    assert assets() == []
    assert stored_files(media_root) == []
    assert db.session.query(AuditEntry).filter_by(action="video.uploaded").count() == 0


@pytest.mark.parametrize("code", ["empty_file", "not_media", "image_not_video", "truncated",
                                  "no_video_stream"])
def test_each_broken_upload_answers_its_own_code_to_the_page_script(
        client, auth, world, clips, media_root, code):
    auth.login(world.staff.email)
    response = upload(client, world.module.id, clips[code], headers=XHR)
    assert response.status_code == 422
    assert response.get_json() == {"error": code, "message": probe.MESSAGES[code]}
    assert assets() == [] and stored_files(media_root) == []


def test_the_page_script_gets_the_new_asset_as_json(client, auth, world, clips):
    auth.login(world.staff.email)
    response = upload(client, world.module.id, clips["good"], headers=XHR)
    assert response.status_code == 201
    body = response.get_json()
    # Immediate mode in the tests: the job already ran when the answer is read.
    assert body["asset_id"] == assets()[0].id and body["original_filename"] == "lesson.mp4"
    assert body["status_url"] == f"/api/v1/video-assets/{body['asset_id']}"
    status = client.get(body["status_url"]).get_json()
    assert status["status"] == "ready" and status["progress_percent"] == 100
    assert [r["name"] for r in status["renditions"]] == ["240p"]
    assert status["error_message"] == ""


def test_a_file_over_the_size_limit_is_refused_clearly_and_not_kept(client, auth, world, app,
                                                                    media_root):
    app.config["MAX_UPLOAD_MB"] = 1
    auth.login(world.staff.email)
    response = upload(client, world.module.id, data=b"\0" * (1024 * 1024 + 10), name="big.mp4")
    assert response.status_code == 413
    assert "larger than the limit of 1 MB" in response.get_data(as_text=True)
    json_answer = upload(client, world.module.id, data=b"\0" * (1024 * 1024 + 10),
                         name="big.mp4", headers=XHR)
    assert json_answer.status_code == 413
    assert json_answer.get_json()["error"] == "too_large"
    assert "1 MB" in json_answer.get_json()["message"]
    assert assets() == [] and stored_files(media_root) == []


def test_a_request_body_over_the_limit_is_refused_before_it_is_read(client, auth, world, app):
    app.config["MAX_UPLOAD_MB"] = 1
    app.config["MAX_CONTENT_LENGTH"] = 512 * 1024
    auth.login(world.staff.email)
    response = upload(client, world.module.id, data=b"\0" * (600 * 1024), name="big.mp4")
    assert response.status_code == 413
    assert "larger than the limit of 1 MB" in response.get_data(as_text=True)
    answer = upload(client, world.module.id, data=b"\0" * (600 * 1024), name="big.mp4",
                    headers=XHR)
    assert answer.status_code == 413 and answer.get_json()["error"] == "too_large"
    assert assets() == []


def test_posting_without_a_file_asks_for_one(client, auth, world):
    auth.login(world.staff.email)
    response = client.post(f"/provider/modules/{world.module.id}/video", data={},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Choose a video file to upload." in response.get_data(as_text=True)


def test_staff_of_another_provider_and_learners_cannot_upload(client, auth, world, clips,
                                                              media_root):
    for person in (world.other_staff, world.learner):
        auth.login(person.email)
        assert upload(client, world.module.id, clips["good"]).status_code == 404
        assert client.get(f"/provider/modules/{world.module.id}/video").status_code == 404
        auth.logout()
    assert assets() == [] and stored_files(media_root) == []


def test_an_admin_may_upload_for_any_provider(client, auth, world, clips):
    auth.login(world.admin.email)
    assert upload(client, world.module.id, clips["good"]).status_code == 302
    assert assets()[0].status == AssetStatus.READY


def test_a_reading_module_takes_no_video(client, auth, world, clips):
    auth.login(world.staff.email)
    response = upload(client, world.reading.id, clips["good"], headers=XHR)
    assert response.status_code == 409
    assert assets() == []


def test_a_failure_after_storing_leaves_neither_row_nor_bytes(client, auth, world, clips,
                                                              media_root, monkeypatch):
    def broken_audit(*args, **kwargs):
        raise RuntimeError("audit log unavailable")
    monkeypatch.setattr(services.audit, "record", broken_audit)
    auth.login(world.staff.email)
    response = upload(client, world.module.id, clips["good"])
    assert response.status_code == 500
    assert "Nothing was saved" in response.get_data(as_text=True)
    assert assets() == []
    assert stored_files(media_root) == []


def test_the_page_without_uploads_explains_what_learners_see(client, auth, world):
    auth.login(world.staff.email)
    page = client.get(f"/provider/modules/{world.module.id}/video").get_data(as_text=True)
    assert "No video yet" in page
    assert "at most 2048 MB" in page
    assert 'data-mode="multipart"' in page
