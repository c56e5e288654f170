"""The player on a weak connection: it pauses when the network drops and plays on from the
frontier when it is back (nothing is lost); the data saver keeps it at the capped rung; a slow
connection starts it at the lowest rung; the browser's own HLS needs no hls.js. And for every
learner: the keyboard cannot skip ahead and hears why, captions stay on once asked for."""
from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect

from lms.catalog.models import ModuleKind
from lms.extensions import db
from lms.learning.models import ModuleProgress
from lms.preferences import services as preferences
from tests import factories, factories_media
from tests.browser.conftest import browser_login

CLIP = 8
PAUSE_LABEL, PLAY_LABEL = "Pause", "Play"


@pytest.fixture(autouse=True)
def leave_quietly(browser):
    yield
    for context in browser.contexts:
        for open_page in context.pages:
            try:
                open_page.goto("about:blank")
            except Exception:  # a crashed page has nothing left to load
                pass
    time.sleep(0.3)


def _course(live_server, size: str = "320x180", data_saver: int | None = None) -> dict:
    with live_server.app.app_context():
        learner = factories.learner()
        course = factories.course(kinds=(ModuleKind.VIDEO, ModuleKind.READING))
        enrollment = factories.enrollment(learner, course)
        video = course.current_version.modules[0]
        factories_media.ready_video(video, seconds=CLIP, size=size, app=live_server.app)
        if data_saver:
            preferences.set_data_saver(learner, data_saver)
            db.session.commit()
        return {"email": learner.email, "enrollment_id": enrollment.id, "module_id": video.id,
                "url": f"{live_server.url}/enrollments/{enrollment.id}/modules/{video.id}"}


def _progress(live_server, course) -> ModuleProgress | None:
    with live_server.app.app_context():
        return db.session.query(ModuleProgress).filter_by(
            enrollment_id=course["enrollment_id"], module_id=course["module_id"]).first()


def _open(page: Page, live_server, course) -> None:
    browser_login(page, live_server, course["email"])
    page.goto(course["url"])
    expect(page.locator(".pc-play")).to_be_enabled()


def _segments(page: Page) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url) if r.url.endswith(".ts") else None)
    return seen


@pytest.mark.browser
def test_a_dropped_connection_pauses_and_playing_resumes_when_it_is_back(page: Page,
                                                                        live_server):
    course = _course(live_server)
    _open(page, live_server, course)
    page.locator(".pc-play").click()
    page.wait_for_function("document.querySelector('video').currentTime > 2")
    page.context.set_offline(True)
    expect(page.locator(".pc-play")).to_have_attribute("aria-label", PLAY_LABEL)
    expect(page.locator(".player-status")).to_contain_text("Your connection dropped")
    kept = page.evaluate("document.querySelector('video').currentTime")
    assert kept > 2
    assert page.evaluate("window.alurPlayer.state().offline") is True
    page.context.set_offline(False)
    expect(page.locator(".player-status")).to_have_text("You are back online.")
    expect(page.locator(".pc-play")).to_have_attribute("aria-label", PAUSE_LABEL)
    # It plays on from where it was (at most back to the frontier), and nothing was lost.
    assert page.evaluate("document.querySelector('video').currentTime") >= kept - 6
    expect(page.locator('[data-role="done"]')).to_be_visible(timeout=CLIP * 1000 + 20_000)
    assert _progress(live_server, course).completed_at is not None


@pytest.mark.browser
def test_heartbeats_that_fail_are_retried_with_back_off_and_playing_resumes(page: Page,
                                                                           live_server):
    course = _course(live_server)
    _open(page, live_server, course)
    failures = {"left": 2}

    def flaky(route):
        # The server is unreachable for two heartbeats, then answers again.
        if failures["left"] > 0:
            failures["left"] -= 1
            route.abort("connectionrefused")
        else:
            route.continue_()
    page.route("**/heartbeats", flaky)
    page.locator(".pc-play").click()
    expect(page.locator(".player-status")).to_contain_text("Your connection dropped")
    expect(page.locator(".pc-play")).to_have_attribute("aria-label", PLAY_LABEL)
    expect(page.locator(".player-status")).to_have_text("You are back online.", timeout=10_000)
    expect(page.locator(".pc-play")).to_have_attribute("aria-label", PAUSE_LABEL)
    assert failures["left"] == 0
    expect(page.locator('[data-role="done"]')).to_be_visible(timeout=CLIP * 1000 + 20_000)


@pytest.mark.browser
def test_the_data_saver_keeps_the_player_at_the_capped_rung(page: Page, live_server):
    course = _course(live_server, size="640x360", data_saver=240)
    segments = _segments(page)
    _open(page, live_server, course)
    expect(page.locator("#player-data")).to_contain_text("Hemat kuota is on")
    page.locator(".pc-play").click()
    page.wait_for_function("document.querySelector('video').currentTime > 3")
    assert segments and all("/240p/" in url for url in segments), segments
    assert page.evaluate("window.alurPlayer.state().engine") == "hls.js"


@pytest.mark.browser
def test_a_slow_connection_starts_at_the_lowest_rung(page: Page, live_server):
    course = _course(live_server, size="640x360")
    page.add_init_script("Object.defineProperty(navigator, 'connection', "
                         "{value: {effectiveType: '3g', saveData: false}})")
    segments = _segments(page)
    _open(page, live_server, course)
    page.locator(".pc-play").click()
    page.wait_for_function("document.querySelector('video').currentTime > 1")
    assert segments and "/240p/" in segments[0], segments


@pytest.mark.browser
def test_the_browsers_own_hls_plays_without_hls_js(page: Page, live_server):
    course = _course(live_server)
    # Chromium plays HLS itself too; claiming to be Safari takes the native path.
    page.add_init_script("Object.defineProperty(Navigator.prototype, 'vendor', "
                         "{get: () => 'Apple Computer, Inc.'})")
    scripts: list[str] = []
    page.on("request", lambda r: scripts.append(r.url) if "hls" in r.url and r.url.endswith(".js")
            else None)
    _open(page, live_server, course)
    page.locator(".pc-play").click()
    page.wait_for_function("document.querySelector('video').currentTime > 1")
    assert page.evaluate("window.alurPlayer.state().engine") == "native"
    assert scripts == []


@pytest.mark.browser
def test_the_keyboard_cannot_skip_ahead_and_hears_why_with_focus_kept(page: Page, live_server):
    course = _course(live_server)
    _open(page, live_server, course)
    seek = page.locator(".pc-seek")
    seek.focus()
    page.keyboard.press("End")
    expect(page.locator(".player-status")).to_contain_text("You can't skip ahead")
    assert page.evaluate("document.activeElement.classList.contains('pc-seek')")
    assert page.evaluate("document.querySelector('video').currentTime") < 1
    status = page.locator(".player-status")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_attribute("aria-live", "polite")


@pytest.mark.browser
def test_captions_stay_on_once_the_learner_asked_for_them(page: Page, live_server):
    course = _course(live_server)
    _open(page, live_server, course)
    page.locator("#player").press("c")
    expect(page.locator(".pc-cc")).to_have_attribute("aria-pressed", "true")
    page.reload()
    expect(page.locator(".pc-play")).to_be_enabled()
    expect(page.locator(".pc-cc")).to_have_attribute("aria-pressed", "true")
    page.wait_for_function("[...document.querySelector('video').textTracks]"
                           ".some(t => t.mode === 'showing')")
