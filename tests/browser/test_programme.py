"""The Kartu Prakerja flow end to end with a real browser: redeem a PRAT- code, go to the
programme's face verification (the stand-in) and come back, study, be stopped the next day
until verified again, pass the post-test (999 reported), hand in the skill task (forwarded;
the stand-in fetches the file through its signed link) and have staff grade it (feedback
forwarded)."""
from __future__ import annotations

import hashlib
import json
import re

import pytest
import requests
from playwright.sync_api import expect

from lms.assessments.models import QuizAttempt
from lms.extensions import db
from lms.learning.models import Enrollment
from tests import factories
from tests import factories_assessments as fa
from tests.browser.conftest import browser_login
from tests.programme import support


@pytest.fixture
def standin():
    server = support.start_standin()
    yield server
    server.stop()


def _verify_today(page, live_server, standin):
    page.goto(live_server.url + "/programme/verify?next=/dashboard")
    with page.expect_navigation(url=re.compile(re.escape(standin.url) + r"/standin/face")):
        page.locator("#start-verification").click()
    expect(page.locator("h1")).to_contain_text("Face verification")
    with page.expect_navigation(url=re.compile(re.escape(live_server.url) + "/dashboard")):
        page.locator("#face-pass").click()
    expect(page.locator("[role=status], .flash").first).to_contain_text(
        "Attendance verified for today")


def _api(live_server, headers, method, path, **kwargs):
    return requests.request(method, live_server.url + path, headers=headers, timeout=10,
                            **kwargs)


def _take(live_server, headers, module_id, status=201):
    started = _api(live_server, headers, "POST", f"/api/v1/modules/{module_id}/attempts")
    assert started.status_code == status, started.text
    return started.json()


def _answer(live_server, headers, attempt_id):
    with live_server.app.app_context():
        answers = fa.answers(db.session.get(QuizAttempt, attempt_id))
        db.session.remove()
    graded = _api(live_server, headers, "POST", f"/api/v1/attempts/{attempt_id}/submit",
                  json={"answers": answers})
    assert graded.status_code == 200, graded.text
    return graded.json()


@pytest.mark.browser
def test_a_prakerja_learner_from_redeem_to_graded_skill_task(page, new_page, live_server,
                                                            live_clock, standin):
    live_server.app.config.update(support.prakerja_settings(standin, live_server.url))
    with live_server.app.app_context():
        provider = factories.provider()
        course = support.programme_course(provider)
        module_ids = [m.id for m in fa.modules(course)]
        learner, staff = factories.learner(), factories.staff(provider)
        headers = factories.api_token(learner)
        learner_email, staff_email = learner.email, staff.email
        db.session.remove()
    pretest, reading, posttest, task = module_ids

    browser_login(page, live_server, learner_email)
    page.goto(live_server.url + "/dashboard")
    page.locator("#code").fill("PRAT-BROWSER-1")
    with page.expect_navigation():
        page.locator("form.redeem button[type=submit]").click()
    assert "/enrollments/" in page.url

    # Day 1: study waits for the face check, which goes to the programme and back.
    refused = _take(live_server, headers, pretest, status=403)
    assert refused["error"] == "attendance_required"
    _verify_today(page, live_server, standin)
    _answer(live_server, headers, _take(live_server, headers, pretest)["attempt_id"])
    with live_server.app.app_context():
        enrollment = db.session.query(Enrollment).one()
        fa.complete_content(enrollment, 3)
        db.session.remove()

    # Day 2: stopped until verified again (sequence 2).
    live_clock.advance(24 * 3600)
    assert _take(live_server, headers, posttest, status=403)["error"] == "attendance_required"
    _verify_today(page, live_server, standin)
    generated = [json.loads(c["body"])["sequence"]
                 for c in support.calls_to(standin, "oauth/url-generate")]
    assert generated == [1, 2]
    assert _answer(live_server, headers,
                   _take(live_server, headers, posttest)["attempt_id"])["passed"] is True
    reported = [json.loads(c["body"]) for c in support.calls_to(standin, "redeem-code/status")]
    assert reported[-1] == {"redeem_code": "PRAT-BROWSER-1", "sequence": 999}

    # The skill task is forwarded; the programme fetches the file through its signed link.
    handed = _api(live_server, headers, "POST", f"/api/v1/modules/{task}/submissions",
                  files={"file": ("plan.pdf", support.PDF, "application/pdf")})
    assert handed.status_code == 201, handed.text
    (forwarded,) = standin.state.submissions
    assert forwarded["file_sha256"] == hashlib.sha256(support.PDF).hexdigest()
    assert forwarded["url_file"].startswith(live_server.url + "/programme/files/")
    assert (forwarded["scope"], forwarded["sequence"]) == ("uk", 999)

    # Staff grade it on the grading page; the feedback is forwarded.
    grader = new_page()
    browser_login(grader, live_server, staff_email)
    grader.goto(live_server.url + f"/grading/submissions/{handed.json()['submission_id']}")
    grader.locator("input[name=decision][value=passed]").check()
    grader.locator("textarea[name=feedback]").fill("A clear and realistic plan.")
    with grader.expect_navigation():
        grader.locator("#grade-form button[type=submit]").click()
    (feedback,) = standin.state.feedback
    assert feedback["notes"] == "A clear and realistic plan."
    assert feedback["url_file"].startswith(live_server.url + "/programme/files/")
