"""What the programme is told after the fact — post-test (999), skill task, feedback — goes
through the outbox (destination `programme`): delivered after the commit, retried with
back-off, in order per enrollment, visible to admins with the last error."""
from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from lms.admin.models import AuditEntry
from lms.assessments.models import QuizAttempt
from lms.clock import utcnow
from lms.extensions import db
from lms.learning.models import Enrollment
from lms.pacing import attendance
from lms.outbox import delivery
from lms.outbox.models import OutboxEvent
from lms.programme import outbound
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


def _calls() -> list[OutboxEvent]:
    db.session.expire_all()
    return db.session.scalars(select(OutboxEvent).where(OutboxEvent.destination == "programme")
                              .order_by(OutboxEvent.id)).all()


def test_post_test_skill_task_and_feedback_reach_the_programme_in_order(
        studying, client, auth, prakerja):
    _pass_posttest(client, studying["posttest"])
    submission_id = _hand_in(client, studying["task"], studying["link"])
    _grade(client, auth, studying, submission_id)
    calls = _calls()
    assert [c.event_type for c in calls] == \
        ["programme.posttest", "programme.submission", "programme.feedback"]
    assert {c.ordering_key for c in calls} == {calls[0].ordering_key}
    assert all(c.state == "delivered" and c.attempts == 1 for c in calls)
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
    assert posttest.state == "delivered"
    assert (submission.state, submission.attempts) == ("failing", 1)
    assert submission.last_error
    assert feedback.state == "pending" and feedback.attempts == 0  # in order: not before
    assert prakerja.state.feedback == []
    assert outbound.deliver_due(utcnow()) == 0  # still backing off
    db.session.commit()
    clock.advance(11)
    assert outbound.deliver_due(utcnow()) == 2
    db.session.commit()
    _, submission, feedback = _calls()
    assert (submission.state, submission.attempts, submission.last_error) == \
        ("delivered", 2, None)
    assert feedback.state == "delivered"
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
    page = client.get("/admin/programme/calls?state=failing")
    assert page.status_code == 200
    assert b"HTTP 500" in page.data and b'data-state="failing"' in page.data
    call = _calls()[-1]
    assert client.post(f"/admin/programme/calls/{call.id}/retry").status_code == 302
    assert _calls()[-1].attempts == 2  # tried again at once (and failed again)
    assert db.session.scalar(select(AuditEntry.action).order_by(AuditEntry.id.desc())) == \
        "outbox.retry_now"
    assert client.post("/admin/programme/calls/999999/retry").status_code == 404
    delivered = client.get("/admin/programme/calls?state=delivered")
    assert delivered.status_code == 200 and b'data-state="failing"' not in delivered.data
    assert b'data-state="delivered"' in delivered.data
    # The outbox's own page lists the programme's messages beside the payer's.
    everything = client.get("/admin/deliveries/?state=failing")
    assert everything.status_code == 200 and call.message_id.encode() in everything.data


def test_the_calls_page_is_for_admins_only(studying, client):
    assert client.get("/admin/programme/calls").status_code == 403


def test_the_programme_page_retries_only_the_programme_s_messages(app, client, auth):
    payer = delivery.enqueue("payer", "participant:1", "eligibility.changed", "{}", utcnow())
    db.session.commit()
    auth.login(factories.admin().email)
    assert client.post(f"/admin/programme/calls/{payer.id}/retry").status_code == 404
    assert client.get("/admin/programme/calls").data.count(b"data-call=") == 0


def test_messages_wait_while_the_connector_is_builtin(app):
    outbound.enqueue(outbound.OutboundCall("posttest", "enrollment:1",
                                           {"redeem_code": "PRAT-X", "sequence": 999}))
    db.session.commit()
    (waiting,) = _calls()
    assert (waiting.state, waiting.attempts) == ("pending", 0)
    assert outbound.deliver_due(utcnow()) == 0


def test_a_skill_task_file_link_is_made_when_sent_off_any_request(prakerja, app, clock):
    """The outbox's sender threads serve no request: the destination brings the app's context
    and the signed link is built from PUBLIC_BASE_URL."""
    app.config["PUBLIC_BASE_URL"] = prakerja.url  # the stand-in answers its own fetch: 404
    outbound.enqueue(outbound.OutboundCall("submission", "enrollment:7", {
        "redeem_code": "PRAT-THREAD", "scope": "uk", "sequence": 999, "submission_id": 7}))
    outbound.forget_delivery(db.session)  # sent below, from a sender thread, not after commit
    db.session.commit()
    with ThreadPoolExecutor(max_workers=1) as pool:
        assert delivery.deliver_due(app.config, utcnow(), pool=pool, only=("programme",)) == 1
    (sent,) = _calls()
    assert sent.state == "failing" and "file_unreachable" in sent.last_error
    (call,) = support.calls_to(prakerja, "tpm/submission")
    assert json.loads(call["body"])["url_file"].startswith(prakerja.url + "/programme/files/")
