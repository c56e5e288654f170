"""The pacing player and the reading page in real Chromium: watching to the end completes and
unlocks the next module without a reload; scripted seeking and speeding up gain nothing; a
second device takes over with a clear message; resume, keyboard and captions work."""
from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect

from lms.catalog.models import ModuleKind
from lms.extensions import db
from lms.learning.models import ModuleProgress
from lms.pacing import rules
from tests import factories, factories_media
from tests.browser.conftest import browser_login

V, R, Q = ModuleKind.VIDEO, ModuleKind.READING, ModuleKind.QUIZ
CLIP = 8  # seconds: short, so the suite stays quick
LONG_CLIP = 60  # the API tests' clip: transcoded once per run


@pytest.fixture(autouse=True)
def leave_quietly(browser, new_page):
    """After each test, leave every page so no segment or heartbeat is still being served
    when the live server's database is wiped (a request mid-transaction would block it)."""
    yield
    for context in browser.contexts:
        for open_page in context.pages:
            try:
                open_page.goto("about:blank")
            except Exception:  # a crashed page has nothing left to load
                pass
    time.sleep(0.3)


def _course(live_server, seconds: int = CLIP) -> dict:
    """A learner enrolled in video, video, reading, quiz; both videos playable."""
    with live_server.app.app_context():
        learner = factories.learner()
        course = factories.course(kinds=(V, V, R, Q))
        enrollment = factories.enrollment(learner, course)
        modules = course.current_version.modules
        for module in modules[:2]:
            factories_media.ready_video(module, seconds=seconds, app=live_server.app)
        return {"email": learner.email, "enrollment_id": enrollment.id,
                "ids": [m.id for m in modules],
                "url": f"{live_server.url}/enrollments/{enrollment.id}/modules/"}


@pytest.fixture
def course(live_server):
    return _course(live_server)


def _progress(live_server, course, position: int = 0) -> ModuleProgress | None:
    with live_server.app.app_context():
        return db.session.query(ModuleProgress).filter_by(
            enrollment_id=course["enrollment_id"], module_id=course["ids"][position]).first()


#: The player has loaded its session: it plays, asks where to resume, or says it was replaced.
PLAYER_SETTLED = """() => !document.getElementById('player-resume').hidden
    || !document.getElementById('player-alert').hidden
    || !document.querySelector('.pc-play').disabled"""


def _open_player(page: Page, live_server, course, position: int = 0) -> None:
    browser_login(page, live_server, course["email"])
    page.goto(course["url"] + str(course["ids"][position]))
    expect(page.locator(".pc-play")).to_be_enabled()


def _js_errors(errors: list[str]) -> list[str]:
    # Chromium reports the missing favicon as a console error; it is not the player's.
    return [e for e in errors if "Failed to load resource" not in e]


@pytest.mark.browser
def test_watching_to_the_end_completes_and_unlocks_the_next_module_without_a_reload(
        page: Page, live_server, course, page_errors):
    _open_player(page, live_server, course)
    second = page.locator(f'#module-outline [data-module="{course["ids"][1]}"]')
    expect(second).to_have_attribute("data-status", "locked")
    page.evaluate("window.__sameDocument = true")
    # Keyboard only: focus the play button and press Space; C turns captions on.
    page.locator(".pc-play").focus()
    started = time.monotonic()
    page.keyboard.press("Space")
    expect(page.locator(".pc-play")).to_have_attribute("aria-label", "Pause")
    page.locator("#player").press("c")
    expect(page.locator(".pc-cc")).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("[...document.querySelector('video').textTracks]"
                         ".some(t => t.mode === 'showing')")

    expect(page.locator('[data-role="done"]')).to_be_visible(timeout=CLIP * 1000 + 15_000)
    assert time.monotonic() - started >= CLIP - 5
    expect(second).to_have_attribute("data-status", "available")
    expect(second.locator("a.title")).to_have_count(1)
    expect(page.locator("#next-module")).to_have_attribute(
        "href", f"/enrollments/{course['enrollment_id']}/modules/{course['ids'][1]}")
    third = page.locator(f'#module-outline [data-module="{course["ids"][2]}"]')
    expect(third).to_have_attribute("data-status", "locked")
    assert page.evaluate("window.__sameDocument") is True
    progress = _progress(live_server, course)
    assert progress.completed_at is not None
    assert progress.frontier_seconds >= CLIP - rules.END_TOLERANCE_SECONDS
    assert _js_errors(page_errors) == []


@pytest.mark.browser
def test_jumping_to_the_end_by_script_neither_completes_nor_moves_the_frontier(
        page: Page, live_server):
    # Long enough that the end lies beyond any jitter tolerance from the start.
    course = _course(live_server, seconds=LONG_CLIP)
    _open_player(page, live_server, course)
    page.locator(".pc-play").click()
    page.wait_for_function("document.querySelector('video').currentTime > 1.5")
    page.evaluate("const v = document.querySelector('video'); v.currentTime = v.duration - 1")
    page.wait_for_timeout(700)
    # The player returned to where the learner really was.
    assert page.evaluate("document.querySelector('video').currentTime") < 4.5
    expect(page.locator(".player-status")).to_contain_text("You can't skip ahead")
    page.evaluate("document.querySelector('video').pause()")
    page.wait_for_timeout(500)

    # The frontier is where the learner really was (about 2 s in), not near the end.
    before = _progress(live_server, course).frontier_seconds
    assert before < 6
    # A forged heartbeat from the page itself (the player bypassed) gets 409 and no credit.
    forged = page.evaluate("""async () => {
        const sid = window.alurPlayer.state().session;
        const r = await fetch(`/api/v1/sessions/${sid}/heartbeats`, {method: 'POST',
            headers: {'Content-Type': 'application/json', 'X-CSRFToken':
                      document.querySelector('meta[name=csrf-token]').content},
            body: JSON.stringify({position: %d, playing: true, rate: 1, seq: 1000})});
        return {status: r.status, body: await r.json()};
    }""" % (LONG_CLIP - 1))
    assert forged["status"] == 409 and forged["body"]["error"] == "ahead_of_frontier"
    assert forged["body"]["resume_at"] == pytest.approx(before)
    progress = _progress(live_server, course)
    assert progress.frontier_seconds == before < LONG_CLIP - 2
    assert progress.completed_at is None
    expect(page.locator('[data-role="done"]')).to_be_hidden()


@pytest.mark.browser
def test_playback_rate_four_by_script_does_not_shorten_the_time_to_completion(
        page: Page, live_server, course):
    _open_player(page, live_server, course)
    page.evaluate("setInterval(() => { document.querySelector('video').playbackRate = 4 }, 50)")
    started = time.monotonic()
    page.locator(".pc-play").click()
    expect(page.locator('[data-role="done"]')).to_be_visible(timeout=CLIP * 1000 + 20_000)
    took = time.monotonic() - started
    assert took >= CLIP - rules.SPEED_ALLOWANCE_SECONDS - rules.END_TOLERANCE_SECONDS
    progress = _progress(live_server, course)
    assert progress.credited_seconds <= progress.wall_seconds + rules.SPEED_ALLOWANCE_SECONDS


@pytest.mark.browser
def test_another_device_takes_over_with_a_clear_message_and_it_can_take_back(
        page: Page, live_server, course, new_page):
    _open_player(page, live_server, course)
    page.locator(".pc-play").click()
    page.wait_for_function("document.querySelector('video').currentTime > 1")
    phone = new_page()
    _open_player(phone, live_server, course)
    page.evaluate("document.querySelector('video').pause()")  # its heartbeat answers 410
    alert = page.locator("#player-alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("now playing in another tab or on another device")
    expect(page.locator(".pc-play")).to_be_disabled()
    alert.locator('[data-action="takeover"]').click()
    expect(alert).to_be_hidden()
    expect(page.locator(".pc-play")).to_have_attribute("aria-label", "Pause")
    # The phone learns of the takeover when it next reports: at once if it already sent a
    # heartbeat (its controls are then disabled under the alert), else when it plays. On a slow
    # machine it may first ask where to continue (the first device passed the threshold).
    phone.wait_for_function(PLAYER_SETTLED)
    resume = phone.locator('#player-resume [data-action="resume"]')
    if resume.is_visible():
        resume.click()
    phone.evaluate("document.querySelector('video').play().catch(() => {})")
    expect(phone.locator("#player-alert")).to_be_visible()
    expect(phone.locator("#player-alert")).to_contain_text("another device")


@pytest.mark.browser
def test_reopening_offers_to_resume_where_the_learner_left_off(
        page: Page, live_server, course):
    with live_server.app.app_context():
        db.session.add(ModuleProgress(enrollment_id=course["enrollment_id"],
                                      module_id=course["ids"][0], frontier_seconds=6.0,
                                      position_seconds=5.0, credited_seconds=6.0,
                                      wall_seconds=6.0, delivered_segments="0-1"))
        db.session.commit()
    browser_login(page, live_server, course["email"])
    page.goto(course["url"] + str(course["ids"][0]))
    dialog = page.locator("#player-resume")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Continue from 0:05?")
    dialog.locator('[data-action="resume"]').click()
    page.wait_for_function("document.querySelector('video').currentTime >= 5")
    expect(dialog).to_be_hidden()


@pytest.mark.browser
def test_a_reading_completes_after_its_dwell_time_and_unlocks_the_quiz(
        page: Page, live_server, live_clock):
    with live_server.app.app_context():
        learner = factories.learner()
        course = factories.course(kinds=(R, Q))
        enrollment = factories.enrollment(learner, course)
        reading, quiz = (m.id for m in course.current_version.modules)
        email, eid = learner.email, enrollment.id
    browser_login(page, live_server, email)
    with page.expect_response(lambda r: "/heartbeats" in r.url):
        page.goto(f"{live_server.url}/enrollments/{eid}/modules/{reading}")
    expect(page.locator(".reading")).to_contain_text("Read this.")
    live_clock.advance(30)  # the provider's minimum is 30 s; the server's clock decides
    with page.expect_response(lambda r: "/heartbeats" in r.url):
        page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    expect(page.locator('[data-role="done"]')).to_be_visible()
    quiz_item = page.locator(f'#module-outline [data-module="{quiz}"]')
    expect(quiz_item).to_have_attribute("data-status", "available")
    expect(page.locator("#next-module")).to_be_visible()
