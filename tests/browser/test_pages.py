"""Every page kind in real Chromium with the app's Content-Security-Policy in force: axe-core
finds no WCAG 2.1 A/AA violation, and the browser refuses nothing (no inline script, style or
handler, no other origin). The pages come from the route matrix (every GET page some caller
sees), plus the player and the reading page with a real video and a running session."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from lms.catalog.models import ModuleKind
from tests import factories, factories_media
from tests import factories_assessments as fa
from tests.access.matrix import ROLES
from tests.access.test_route_matrix import CASES, _world
from tests.browser.conftest import browser_login

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Records what the policy refused; an init script runs before any page script, outside the CSP.
WATCH_CSP = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' '
                    + (e.sourceFile || '') + ':' + (e.lineNumber || ''));
});
"""
PAGE_CASES = [case for case in CASES
              if case.method == "GET" and not case.path.startswith(("/api/", "/media/sessions"))
              and 200 in case.expect.values()]


@pytest.fixture(autouse=True)
def leave_quietly(browser):
    """Leave every page so no heartbeat or segment is mid-request when the database is wiped."""
    yield
    for context in browser.contexts:
        for open_page in context.pages:
            try:
                open_page.goto("about:blank")
            except Exception:  # a crashed page has nothing left to load
                pass
    time.sleep(0.3)


def _checked_page(new_page) -> Page:
    page = new_page(bypass_csp=False)
    page.add_init_script(WATCH_CSP)
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text)
            if "Content Security Policy" in m.text else None)
    page.alur_refused = refused  # type: ignore[attr-defined]
    return page


def _audit(page: Page) -> dict:
    """axe's WCAG A/AA violations and the policy's refusals on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
                           ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact,"
                           " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))",
                           WCAG_AA)
    refused = page.evaluate("window.__csp || []") + page.alur_refused  # type: ignore[attr-defined]
    return {"axe": result, "csp": refused}


def _problems(page: Page, label: str, found: dict, into: dict) -> None:
    if found["axe"] or found["csp"]:
        into[label] = found


@pytest.mark.browser
def test_every_page_kind_passes_axe_and_the_content_security_policy(live_server, new_page):
    with live_server.app.app_context():
        world = _world()
        emails = {role: world["users"][role].email for role in ROLES if role != "anonymous"}
        paths = [(next(r for r in ROLES if case.expect[r] == 200), case.path.format(**world))
                 for case in PAGE_CASES]
    pages: dict[str, Page] = {}
    for role in ROLES:
        pages[role] = _checked_page(new_page)
        if role != "anonymous":
            browser_login(pages[role], live_server, emails[role])
    problems: dict[str, dict] = {}
    checked = 0
    for role, path in sorted(set(paths), key=lambda rp: (ROLES.index(rp[0]), rp[1])):
        page = pages[role]
        probe = page.request.get(live_server.url + path)
        if "text/html" not in probe.headers.get("content-type", ""):
            continue  # a file download (a PDF, a hand-in): no page to audit
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, (role, path)
        page.wait_for_load_state("load")
        _problems(page, f"{role} {path}", _audit(page), problems)
        checked += 1
    assert checked >= 35
    assert not problems, json.dumps(problems, indent=1)


@pytest.fixture
def study(live_server):
    """A learner with a playable video (done) before a reading, and a course whose quiz is
    done before a skill task: every study page kind, each reachable."""
    with live_server.app.app_context():
        learner = factories.learner()
        course = factories.course(kinds=(ModuleKind.VIDEO, ModuleKind.READING))
        enrollment = factories.enrollment(learner, course)
        video, reading = course.current_version.modules
        factories_media.ready_video(video, seconds=8, app=live_server.app)
        factories.complete_module(enrollment, 1)
        assessed = fa.full_course(kinds=(ModuleKind.QUIZ, ModuleKind.ASSIGNMENT))
        second = factories.enrollment(learner, assessed)
        quiz, task = assessed.current_version.modules
        factories.complete_module(second, 1)
        module = f"/enrollments/{enrollment.id}/modules/"
        return {"email": learner.email, "video": f"{module}{video.id}",
                "reading": f"{module}{reading.id}", "outline": f"/enrollments/{enrollment.id}",
                "quiz": f"/enrollments/{second.id}/modules/{quiz.id}",
                "skill_task": f"/enrollments/{second.id}/modules/{task.id}"}


@pytest.mark.browser
def test_the_study_pages_work_under_the_policy_and_pass_axe(live_server, new_page, study):
    page = _checked_page(new_page)
    browser_login(page, live_server, study["email"])
    problems: dict[str, dict] = {}
    page.goto(live_server.url + study["video"])
    # The player opened its session and loaded hls.js: its scripts ran under the policy.
    expect(page.locator(".pc-play")).to_be_enabled()
    _problems(page, "player (ready)", _audit(page), problems)
    page.locator(".pc-play").click()
    expect(page.locator(".pc-play")).to_have_attribute("aria-label", "Pause")
    _problems(page, "player (playing)", _audit(page), problems)
    for kind in ("outline", "quiz", "skill_task"):
        page.goto(live_server.url + study[kind])
        _problems(page, kind, _audit(page), problems)
    with page.expect_response(lambda r: "/heartbeats" in r.url):
        page.goto(live_server.url + study["reading"])
    _problems(page, "reading", _audit(page), problems)
    assert not problems, json.dumps(problems, indent=1)
