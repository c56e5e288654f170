"""What the programme is told after the fact — post-test (999), skill task, feedback — goes
through the programme calls: delivered after the commit, retried with back-off, in order per
enrollment, visible to admins with the last error."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from lms.admin.models import AuditEntry
from lms.assessments.models import QuizAttempt
from lms.clock import utcnow
from lms.extensions import db
from lms.learning.models import Enrollment
from lms.pacing import attendance
from lms.programme import outbound
from lms.programme.models import ProgrammeCall
from tests import factories
from tests import factories_assessments as fa
from tests.programme import support


@pytest.fixture
def studying(prakerja, app, clock, auth, client):
    """A Prakerja learner verified for today, the content before the post-test done."""
    provider = factories.provider()
    course = support.programme_course(provider)
    learner = factories.learner()
    auth.login(learner.email)
    enrollment_id = client.post("/api/v1/enrollments",
                                json={"code": "PRAT-OUT"}).get_json()["enrollment_id"]
    attendance.record_verification(learner, learner, clock.now(), source="prakerja")
    db.session.commit()
    pretest, reading, posttest, task = fa.modules(course)
    attempt = client.post(f"/api/v1/modules/{pretest.id}/attempts").get_json()
    client.post(f"/api/v1/attempts/{attempt['attempt_id']}/submit",
                json={"answers": fa.answers(db.session.get(QuizAttempt, attempt["attempt_id"]))})
    fa.complete_content(db.session.get(Enrollment, enrollment_id), 3)
    return {"learner": learner, "posttest": posttest, "task": task,
            "staff": factories.staff(provider), "link": prakerja.url + "/standin/state"}


def _pass_posttest(client, module):
    attempt = client.post(f"/api/v1/modules/{module.id}/attempts").get_json()
    row = db.session.get(QuizAttempt, attempt["attempt_id"])
    answer = client.post(f"/api/v1/attempts/{row.id}/submit", json={"answers": fa.answers(row)})
    assert answer.get_json()["passed"] is True


def _hand_in(client, module, url):
    answer = client.post(f"/api/v1/modules/{module.id}/submissions", json={"url": url})
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()["submission_id"]


def _grade(client, auth, studying, submission_id):
    auth.logout()
    auth.login(studying["staff"].email)
    answer = client.post(f"/grading/submissions/{submission_id}",
                         data={"decision": "passed", "feedback": "Clear plan, well argued."})
    assert answer.status_code == 302, answer.get_data(as_text=True)[:300]


def _calls() -> list[ProgrammeCall]:
    db.session.expire_all()
    return db.session.scalars(select(ProgrammeCall).order_by(ProgrammeCall.id)).all()


def test_post_test_skill_task_and_feedback_reach_the_programme_in_order(
        studying, client, auth, prakerja):
    _pass_posttest(client, studying["posttest"])
    submission_id = _hand_in(client, studying["task"], studying["link"])
    _grade(client, auth, studying, submission_id)
    calls = _calls()
    assert [c.kind for c in calls] == ["posttest", "submission", "feedback"]
    assert all(c.status == "delivered" and c.attempts == 1 for c in calls)
    posttest = json.loads(support.calls_to(prakerja, "redeem-code/status")[-1]["body"])
    assert posttest == {"redeem_code": "PRAT-OUT", "sequence": 999}
    (forwarded,) = prakerja.state.submissions
    assert forwarded["scope"] == "uk" and forwarded["sequence"] == 999
    assert forwarded["url_file"] == studying["link"] and forwarded["file_size"] > 0
    (feedback,) = prakerja.state.feedback
    assert feedback["notes"] == "Clear plan, well argued." and feedback["scope"] == "uk"
    assert feedback["url_file"] == studying["link"]


@pytest.mark.parametrize("mode", ["error", "timeout", "refuse"])
def test_a_failed_call_waits_out_its_back_off_and_holds_back_the_later_ones(
        studying, client, auth, prakerja, clock, mode):
    _pass_posttest(client, studying["posttest"])
    support.fault(prakerja, "tpm/submission", mode)
    submission_id = _hand_in(client, studying["task"], studying["link"])
    _grade(client, auth, studying, submission_id)
    posttest, submission, feedback = _calls()
    assert posttest.status == "delivered"
    assert (submission.status, submission.attempts) == ("pending", 1)
    assert submission.last_error
    assert feedback.status == "pending" and feedback.attempts == 0  # in order: not before
    assert prakerja.state.feedback == []
    assert outbound.deliver_due(utcnow()) == 0  # still backing off
    db.session.commit()
    clock.advance(31)
    assert outbound.deliver_due(utcnow()) == 2
    db.session.commit()
    _, submission, feedback = _calls()
    assert (submission.status, submission.attempts, submission.last_error) == \
        ("delivered", 2, "")
    assert feedback.status == "delivered"
    assert len(prakerja.state.submissions) == 1 and len(prakerja.state.feedback) == 1


def test_a_learner_outside_the_programme_reports_nothing(app, clock, auth, client, prakerja):
    course = fa.full_course(kinds=(fa.A,))
    learner = factories.learner()
    factories.enrollment(learner, course)
    attendance.record_verification(learner, learner, clock.now())
    db.session.commit()
    auth.login(learner.email)
    _hand_in(client, fa.modules(course)[0], "https://drive.example.com/plan")
    assert _calls() == []


def test_admins_see_failed_calls_with_their_last_error_and_may_retry(
        studying, client, auth, prakerja, clock):
    _pass_posttest(client, studying["posttest"])
    support.fault(prakerja, "tpm/submission", "error", times=5)
    _hand_in(client, studying["task"], studying["link"])
    auth.logout()
    auth.login(factories.admin().email)
    page = client.get("/admin/programme/calls?status=pending")
    assert page.status_code == 200
    assert b"HTTP 500" in page.data and b'data-status="pending"' in page.data
    call = _calls()[-1]
    assert client.post(f"/admin/programme/calls/{call.id}/retry").status_code == 302
    assert _calls()[-1].attempts == 2  # tried again at once (and failed again)
    assert db.session.scalar(select(AuditEntry.action).order_by(AuditEntry.id.desc())) == \
        "programme_call.retry"
    assert client.post("/admin/programme/calls/999999/retry").status_code == 404
    delivered = client.get("/admin/programme/calls?status=delivered")
    assert delivered.status_code == 200 and b'data-status="pending"' not in delivered.data


def test_the_calls_page_is_for_admins_only(studying, client):
    assert client.get("/admin/programme/calls").status_code == 403
