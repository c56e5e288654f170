"""The JSON side of uploading: starting an upload, the status the page polls, and refusals in
the contract's error shape."""
from __future__ import annotations

import pytest

from lms.media.models import AssetStatus, VideoAsset
from lms.extensions import db
from tests import factories
from tests.media.conftest import assets


def start(client, module_id, body, headers=None):
    return client.post(f"/api/v1/modules/{module_id}/video-uploads", json=body,
                       headers=headers or {})


def test_with_the_local_store_the_page_is_told_to_post_the_file_to_the_app(client, auth, world):
    auth.login(world.staff.email)
    response = start(client, world.module.id, {"filename": "lesson.mp4", "size": 1234})
    assert response.status_code == 200
    assert response.get_json() == {"method": "multipart", "field": "file",
                                   "url": f"/provider/modules/{world.module.id}/video",
                                   "max_bytes": 2048 * 1024 * 1024}
    assert assets() == []


@pytest.mark.parametrize("body, status, code", [
    ({"filename": "lesson.mp4", "size": 0}, 422, "empty_file"),
    ({"filename": "lesson.mp4", "size": 2048 * 1024 * 1024 + 1}, 413, "too_large"),
    ({"filename": "lesson.mp4"}, 422, "invalid_field"),
    ({"filename": "lesson.mp4", "size": "big"}, 422, "invalid_field"),
    ({"filename": "lesson.mp4", "size": True}, 422, "invalid_field"),
    ({"filename": "lesson.mp4", "size": -5}, 422, "invalid_field"),
    ({"size": 10}, 422, "missing_field"),
    ({"filename": ["x"], "size": 10}, 422, "invalid_field"),
])
def test_bad_starts_are_refused_before_any_byte_is_sent(client, auth, world, body, status, code):
    auth.login(world.staff.email)
    response = start(client, world.module.id, body)
    assert response.status_code == status
    assert response.get_json()["error"] == code and response.get_json()["message"]
    assert assets() == []


def test_malformed_json_is_a_400_not_a_crash(client, auth, world):
    auth.login(world.staff.email)
    response = client.post(f"/api/v1/modules/{world.module.id}/video-uploads", data="{nope",
                           content_type="application/json")
    assert response.status_code == 400 and response.get_json()["error"] == "malformed_json"


def test_a_bearer_token_client_is_answered_like_the_page(client, world):
    headers = factories.api_token(world.staff)
    response = start(client, world.module.id, {"filename": "a.mp4", "size": 10}, headers)
    assert response.status_code == 200 and response.get_json()["method"] == "multipart"
    other = factories.api_token(world.other_staff)
    refused = start(client, world.module.id, {"filename": "a.mp4", "size": 10}, other)
    assert refused.status_code == 404 and refused.get_json()["error"] == "module_not_found"
    anonymous = start(client, world.module.id, {"filename": "a.mp4", "size": 10})
    assert anonymous.status_code == 401


def test_the_status_shows_a_waiting_processing_or_failed_asset(client, auth, world):
    asset = VideoAsset(module=world.module, status=AssetStatus.PROCESSING, progress_percent=42,
                       original_filename="lesson.mp4", source_key="sources/1/lesson.mp4")
    db.session.add(asset)
    db.session.commit()
    auth.login(world.staff.email)
    body = client.get(f"/api/v1/video-assets/{asset.id}").get_json()
    assert (body["status"], body["progress_percent"], body["renditions"]) == ("processing", 42, [])
    assert body["status_label"] == "Converting"
    asset.status, asset.error_code, asset.error_message = (
        AssetStatus.FAILED, "transcode_failed", "ffmpeg failed: moov atom not found")
    db.session.commit()
    body = client.get(f"/api/v1/video-assets/{asset.id}").get_json()
    assert body["status"] == "failed"
    assert body["error_message"].startswith("The video could not be converted.")
    assert body["error_detail"] == "ffmpeg failed: moov atom not found"


def test_another_providers_asset_is_not_found(client, auth, world):
    asset = VideoAsset(module=world.module, status=AssetStatus.READY, original_filename="x.mp4",
                       source_key="sources/1/x.mp4")
    db.session.add(asset)
    db.session.commit()
    auth.login(world.other_staff.email)
    response = client.get(f"/api/v1/video-assets/{asset.id}")
    assert response.status_code == 404 and response.get_json()["error"] == "video_not_found"
    assert client.post(f"/api/v1/video-assets/{asset.id}/complete").status_code == 404


def test_completing_an_upload_already_in_is_a_harmless_repeat(client, auth, world):
    asset = VideoAsset(module=world.module, status=AssetStatus.READY, original_filename="x.mp4",
                       source_key="sources/1/x.mp4")
    db.session.add(asset)
    db.session.commit()
    auth.login(world.staff.email)
    response = client.post(f"/api/v1/video-assets/{asset.id}/complete")
    assert response.status_code == 200 and response.get_json()["status"] == "ready"


def test_the_upload_api_is_in_the_openapi_document(client):
    paths = client.get("/api/openapi.json").get_json()["paths"]
    assert "post" in paths["/api/v1/modules/{module_id}/video-uploads"]
    assert "post" in paths["/api/v1/video-assets/{asset_id}/complete"]
    assert "get" in paths["/api/v1/video-assets/{asset_id}"]
