"""With S3 the browser posts the source straight to the bucket (presigned, size-limited form)
and the app checks it afterwards; the job reads and writes the bucket. Against moto's S3
server on loopback, over real HTTP."""
from __future__ import annotations

import boto3
import pytest
import requests

from lms.media.models import AssetStatus
from tests.integration.conftest import S3_ACCESS_KEY, S3_REGION, S3_SECRET_KEY, s3_settings
from tests.media.conftest import assets


@pytest.fixture
def s3(app, s3_endpoint, s3_bucket):
    app.config.update(s3_settings(s3_endpoint, s3_bucket))
    app.extensions.pop("alur.media.storage", None)
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name=S3_REGION,
                          aws_access_key_id=S3_ACCESS_KEY, aws_secret_access_key=S3_SECRET_KEY)
    yield lambda prefix="": sorted(o["Key"] for o in client.list_objects_v2(
        Bucket=s3_bucket, Prefix=prefix).get("Contents", []))
    app.extensions.pop("alur.media.storage", None)


def browser_upload(client, module_id, path, name=None):
    """What upload.js does: ask for the form, post to the bucket, then complete."""
    data = path.read_bytes()
    plan = client.post(f"/api/v1/modules/{module_id}/video-uploads",
                       json={"filename": name or path.name, "size": len(data),
                             "content_type": "video/mp4"})
    assert plan.status_code == 201, plan.get_json()
    plan = plan.get_json()
    posted = requests.post(plan["url"], data=plan["fields"],
                           files={"file": (name or path.name, data, "video/mp4")}, timeout=30)
    assert posted.status_code in (200, 201, 204), posted.text
    return plan, client.post(plan["complete_url"])


def test_a_direct_upload_is_checked_transcoded_and_stored_in_the_bucket(client, auth, world,
                                                                        clips, s3):
    auth.login(world.staff.email)
    page = client.get(f"/provider/modules/{world.module.id}/video").get_data(as_text=True)
    assert 'data-mode="s3_post"' in page
    plan, completed = browser_upload(client, world.module.id, clips["good"])
    assert plan["method"] == "s3_post" and plan["max_bytes"] == 2048 * 1024 * 1024
    assert completed.status_code == 200
    asset_id = plan["asset_id"]
    status = client.get(f"/api/v1/video-assets/{asset_id}").get_json()
    assert status["status"] == "ready" and [r["name"] for r in status["renditions"]] == ["240p"]
    keys = s3()
    assert f"sources/{asset_id}/lesson.mp4" in keys
    assert {f"hls/{asset_id}/master.m3u8", f"hls/{asset_id}/poster.jpg",
            f"hls/{asset_id}/240p/index.m3u8", f"hls/{asset_id}/240p/seg_00000.ts"} <= set(keys)
    assert client.post(plan["complete_url"]).get_json()["status"] == "ready"  # a repeat is harmless


@pytest.mark.parametrize("code", ["not_media", "image_not_video", "truncated",
                                  "no_video_stream"])
def test_a_broken_direct_upload_is_refused_and_removed_from_the_bucket(client, auth, world,
                                                                       clips, s3, code):
    auth.login(world.staff.email)
    _, completed = browser_upload(client, world.module.id, clips[code], name="lesson.mp4")
    assert completed.status_code == 422 and completed.get_json()["error"] == code
    assert assets() == []
    assert s3() == []


def test_completing_before_the_file_arrived_lets_the_browser_try_again(client, auth, world,
                                                                       clips, s3):
    auth.login(world.staff.email)
    plan = client.post(f"/api/v1/modules/{world.module.id}/video-uploads",
                       json={"filename": "lesson.mp4", "size": 1000}).get_json()
    early = client.post(plan["complete_url"])
    assert early.status_code == 409 and early.get_json()["error"] == "upload_not_received"
    (waiting,) = assets()
    assert waiting.status == AssetStatus.AWAITING_UPLOAD
    requests.post(plan["url"], data=plan["fields"],
                  files={"file": ("lesson.mp4", clips["good"].read_bytes())}, timeout=30)
    assert client.post(plan["complete_url"]).status_code == 200
    assert assets()[0].status == AssetStatus.READY


def test_an_object_over_the_limit_is_deleted_even_if_the_store_accepted_it(client, auth, world,
                                                                           app, s3):
    auth.login(world.staff.email)
    plan = client.post(f"/api/v1/modules/{world.module.id}/video-uploads",
                       json={"filename": "lesson.mp4", "size": 1000}).get_json()
    requests.post(plan["url"], data=plan["fields"],
                  files={"file": ("lesson.mp4", b"\0" * (1024 * 1024 + 1))}, timeout=30)
    app.config["MAX_UPLOAD_MB"] = 1  # the limit was lowered, or the store ignored the policy
    completed = client.post(plan["complete_url"])
    assert completed.status_code == 413 and completed.get_json()["error"] == "too_large"
    assert assets() == [] and s3() == []
