"""Provider staff upload a 1080p, one-minute video in real Chromium and watch it go uploaded →
processing (with percent) → ready with four renditions, without reloading and without a
terminal: a real queue consumer does the work. Then a learner's browser plays it via hls.js."""
from __future__ import annotations


import boto3
import pytest
from playwright.sync_api import Page, expect

from lms.catalog.models import ModuleKind
from lms.extensions import db, init_task_queue
from lms.media.clips import make_clip
from lms.media.models import AssetStatus, VideoAsset
from tests import factories, factories_video
from tests.browser.conftest import browser_login
from tests.integration.conftest import (  # noqa: F401  (s3_endpoint, s3_bucket: fixtures)
    S3_ACCESS_KEY, S3_REGION, S3_SECRET_KEY, s3_bucket, s3_endpoint)
from tests.media.worker_support import consumer_thread

CARD = "#assets .asset"


@pytest.fixture(scope="module")
def source_1080p(tmp_path_factory):
    """A 1080p, 60 s H.264/AAC mp4. Five frames a second keep it cheap to make and transcode;
    it is still a full-size, full-length source for the ladder."""
    path = tmp_path_factory.mktemp("upload") / "lecture-1080p.mp4"
    return make_clip(path, 60, width=1920, height=1080, fps=5)


@pytest.fixture
def queued_live_server(live_server):
    """The served app on a real SQLite (or Redis) queue instead of running jobs inline."""
    live_server.app.config["HUEY_IMMEDIATE"] = False
    init_task_queue(live_server.app)
    return live_server


@pytest.mark.browser
@pytest.mark.timeout(600)
def test_staff_upload_a_1080p_video_and_a_learner_plays_its_ladder(
        page: Page, new_page, queued_live_server, source_1080p, page_errors):
    server = queued_live_server
    with server.app.app_context():
        provider = factories.provider()
        staff = factories.staff(provider)
        course = factories.course(provider, kinds=(ModuleKind.VIDEO, ModuleKind.READING))
        learner = factories.learner()
        enrollment = factories.enrollment(learner, course)
        module_id = course.current_version.modules[0].id
        enrollment_id, staff_email, learner_email = enrollment.id, staff.email, learner.email

    with consumer_thread():
        browser_login(page, server, staff_email)
        page.get_by_role("link", name="My courses").click()
        page.locator(f'[data-module="{module_id}"]').get_by_role("link",
                                                                 name="Upload video").click()
        expect(page.locator("h1")).to_have_text("Module 1 (video)")
        expect(page.locator(".assets-empty")).to_be_visible()
        page.evaluate("window.__samePage = true")

        page.locator("#file").set_input_files(str(source_1080p))
        page.get_by_role("button", name="Upload").click()
        card = page.locator(CARD).first
        expect(card).to_have_attribute("data-status", "uploaded", timeout=60_000)
        expect(card.locator(".asset-status")).to_have_text("Uploaded, waiting for conversion")
        page.wait_for_function(
            """() => { const c = document.querySelector('#assets .asset');
                       return c.dataset.status === 'processing'
                              && parseInt(c.querySelector('.asset-percent').textContent) > 0; }""",
            timeout=120_000)
        expect(card.locator(".asset-progress")).to_be_visible()
        expect(card).to_have_attribute("data-status", "ready", timeout=400_000)
        expect(card.locator(".asset-status")).to_have_text("Ready")
        expect(card.locator(".asset-progress")).to_be_hidden()
        expect(card.locator(".rendition")).to_have_count(4)
        names = card.locator(".rendition").evaluate_all(
            "items => items.map(i => i.dataset.name)")
        assert names == ["720p", "480p", "360p", "240p"]
        assert page.evaluate("window.__samePage") is True  # no reload happened

    with server.app.app_context():
        asset = db.session.query(VideoAsset).filter_by(module_id=module_id).one()
        assert asset.status == AssetStatus.READY and (asset.width, asset.height) == (1920, 1080)
        assert [(r.name, r.height) for r in asset.renditions] == [
            ("720p", 720), ("480p", 480), ("360p", 360), ("240p", 240)]
        assert all(r.segment_count == 10 for r in asset.renditions)  # 60 s in 6 s segments
        assert asset.module.duration_seconds == pytest.approx(60.0, abs=0.5)

    learner_page = new_page()
    browser_login(learner_page, server, learner_email)
    learner_page.goto(f"{server.url}/enrollments/{enrollment_id}/modules/{module_id}")
    play = learner_page.locator(".pc-play")
    expect(play).to_be_enabled(timeout=30_000)
    play.click()
    learner_page.wait_for_function("document.querySelector('#player-video').currentTime > 2",
                                   timeout=60_000)
    assert learner_page.evaluate("typeof Hls !== 'undefined' && Hls.isSupported()")
    assert [e for e in page_errors if "Failed to load resource" not in e] == []
    for open_page in (learner_page, page):  # nothing still streaming when the data is wiped
        open_page.goto("about:blank")


@pytest.mark.browser
def test_with_s3_the_browser_posts_the_file_straight_to_the_bucket(
        page: Page, live_server, s3_endpoint, s3_bucket, tmp_path, page_errors):
    live_server.app.config.update(
        S3_BUCKET=s3_bucket, S3_ENDPOINT_URL=s3_endpoint, S3_PATH_STYLE=True,
        S3_ACCESS_KEY_ID=S3_ACCESS_KEY, S3_SECRET_ACCESS_KEY=S3_SECRET_KEY, S3_REGION=S3_REGION)
    live_server.app.extensions.pop("alur.media.storage", None)
    source = factories_video.clip(tmp_path / "lesson.mp4", 320, 240, seconds=2.0)
    with live_server.app.app_context():
        provider = factories.provider()
        staff_email = factories.staff(provider).email
        module_id = factories.course(provider, kinds=(ModuleKind.VIDEO,)) \
            .current_version.modules[0].id

    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    browser_login(page, live_server, staff_email)
    page.goto(f"{live_server.url}/provider/modules/{module_id}/video")
    expect(page.locator("#video-upload")).to_have_attribute("data-mode", "s3_post")
    page.locator("#file").set_input_files(str(source))
    page.get_by_role("button", name="Upload").click()
    card = page.locator(CARD).first
    expect(card).to_have_attribute("data-status", "ready", timeout=60_000)
    expect(card.locator(".rendition")).to_have_count(1)

    assert any(url.startswith(s3_endpoint) for url in posts), posts
    assert not any(url.endswith(f"/provider/modules/{module_id}/video") for url in posts)
    with live_server.app.app_context():
        asset = db.session.query(VideoAsset).filter_by(module_id=module_id).one()
        keys = {o["Key"] for o in boto3.client(
            "s3", endpoint_url=s3_endpoint, region_name=S3_REGION,
            aws_access_key_id=S3_ACCESS_KEY, aws_secret_access_key=S3_SECRET_KEY,
        ).list_objects_v2(Bucket=s3_bucket)["Contents"]}
        assert {asset.source_key, f"hls/{asset.id}/master.m3u8"} <= keys
    assert [e for e in page_errors if "Failed to load resource" not in e] == []
