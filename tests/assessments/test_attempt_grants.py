"""Extra quiz attempts: a learner who used every attempt without passing is stuck until staff
of the course's provider (or an admin) grant one more, with a reason kept in the audit log."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from lms.admin import audit
from lms.admin.models import AuditEntry
from lms.assessments import grants, quizzes
from lms.assessments.models import AttemptGrant, QuizAttempt
from lms.catalog.models import ModuleKind
from lms.errors import Forbidden, NotFound
from lms.extensions import db
from tests import factories
from tests import factories_assessments as fa

Q, V = ModuleKind.QUIZ, ModuleKind.VIDEO
REASON = "Her phone died during the second attempt; she asked by e-mail."


@pytest.fixture
def stuck(app, clock):
    """A post-test with two attempts; the learner failed both. Another provider has its own
    stuck learner."""
    provider = factories.provider(name="Lembaga Satu")
    course = fa.full_course(provider, kinds=(Q,), attempts=2)
    learner = factories.learner(name="Siti Stuck")
    enrollment = factories.enrollment(learner, course)
    module = fa.modules(course)[0]
    _use_up(learner, enrollment, module, 2)
    other_provider = factories.provider(name="Lembaga Dua")
    other_course = fa.full_course(other_provider, kinds=(Q,), attempts=1)
    other_learner = factories.learner(name="Budi Elsewhere")
    other_enrollment = factories.enrollment(other_learner, other_course)
    _use_up(other_learner, other_enrollment, fa.modules(other_course)[0], 1)
    return {"provider": provider, "course": course, "learner": learner,
            "enrollment": enrollment, "module": module,
            "staff": factories.staff(provider, email="staff1@example.test"),
            "other_staff": factories.staff(other_provider, email="staff2@example.test"),
            "other_learner": other_learner, "headers": factories.api_token(learner)}


def _use_up(learner, enrollment, module, count: int, right: bool = False) -> None:
    for _ in range(count):
        attempt, _ = quizzes.start_attempt(learner, enrollment, module)
        quizzes.submit_attempt(learner, attempt, fa.answers(attempt, right=right))
        db.session.commit()


def _grant(client, auth, user, enrollment, module, reason=REASON):
    auth.login(user.email)
    response = client.post(f"/grading/attempts/{enrollment.id}/modules/{module.id}",
                           data={"reason": reason})
    auth.logout()
    return response


def _grants() -> int:
    return db.session.scalar(select(func.count(AttemptGrant.id)))


def _start(app, stuck):
    return app.test_client().post(f"/api/v1/modules/{stuck['module'].id}/attempts",
                                  headers=stuck["headers"])


def test_a_granted_attempt_lets_the_stuck_learner_try_exactly_once_more(app, client, auth,
                                                                       stuck):
    refused = _start(app, stuck)
    assert refused.status_code == 409
    assert refused.get_json()["error"] == "no_attempts_left"
    last = db.session.scalar(select(QuizAttempt).where(
        QuizAttempt.enrollment_id == stuck["enrollment"].id).order_by(QuizAttempt.id.desc()))
    before = app.test_client().get(f"/api/v1/attempts/{last.id}", headers=stuck["headers"])
    assert before.get_json()["attempts_left"] == 0

    response = _grant(client, auth, stuck["staff"], stuck["enrollment"], stuck["module"])
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/grading/attempts/")

    after = app.test_client().get(f"/api/v1/attempts/{last.id}", headers=stuck["headers"])
    assert after.get_json()["attempts_left"] == 1
    started = _start(app, stuck)
    assert started.status_code == 201
    assert started.get_json()["number"] == 3
    attempt = db.session.get(QuizAttempt, started.get_json()["attempt_id"])
    submitted = app.test_client().post(
        f"/api/v1/attempts/{attempt.id}/submit", headers=stuck["headers"],
        json={"answers": fa.answers(attempt, right=False)})
    assert submitted.status_code == 200
    assert submitted.get_json()["attempts_left"] == 0
    again = _start(app, stuck)
    assert again.status_code == 409 and again.get_json()["error"] == "no_attempts_left"


def test_the_learner_can_pass_with_the_granted_attempt(app, client, auth, stuck):
    _grant(client, auth, stuck["staff"], stuck["enrollment"], stuck["module"])
    attempt_id = _start(app, stuck).get_json()["attempt_id"]
    attempt = db.session.get(QuizAttempt, attempt_id)
    body = app.test_client().post(f"/api/v1/attempts/{attempt_id}/submit",
                                  headers=stuck["headers"],
                                  json={"answers": fa.answers(attempt)}).get_json()
    assert body["passed"] is True and body["module_completed"] is True


def test_the_grant_and_its_reason_are_in_the_audit_log(client, auth, stuck):
    _grant(client, auth, stuck["staff"], stuck["enrollment"], stuck["module"],
           reason=f"  {REASON}  ")
    grant = db.session.scalar(select(AttemptGrant))
    assert grant.reason == REASON and grant.granted_by_id == stuck["staff"].id
    entry = db.session.scalar(select(AuditEntry).where(
        AuditEntry.action == "quiz_attempt.granted"))
    assert entry is not None and entry.actor_id == stuck["staff"].id
    assert entry.subject_id == str(grant.id)
    assert entry.data["reason"] == REASON
    assert entry.data["enrollment"] == stuck["enrollment"].id
    assert entry.data["module"] == stuck["module"].id
    assert audit.verify_chain() is None


def test_staff_of_another_provider_get_404_and_grant_nothing(app, client, auth, stuck):
    response = _grant(client, auth, stuck["other_staff"], stuck["enrollment"], stuck["module"])
    assert response.status_code == 404
    assert "Siti Stuck" not in response.get_data(as_text=True)
    assert _grants() == 0
    assert _start(app, stuck).status_code == 409


def test_a_learner_cannot_grant_or_see_the_list(client, auth, stuck):
    response = _grant(client, auth, stuck["learner"], stuck["enrollment"], stuck["module"])
    assert response.status_code == 403
    auth.login(stuck["learner"].email)
    assert client.get("/grading/attempts/").status_code == 403
    assert _grants() == 0


def test_an_anonymous_caller_is_sent_to_sign_in(client, stuck):
    response = client.post(
        f"/grading/attempts/{stuck['enrollment'].id}/modules/{stuck['module'].id}",
        data={"reason": REASON})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert _grants() == 0


@pytest.mark.parametrize("reason, message", [
    ("", "Write why this learner gets another attempt."),
    ("   \n ", "Write why this learner gets another attempt."),
    ("x" * 501, "The reason has at most 500 characters."),
])
def test_a_missing_or_too_long_reason_is_shown_and_grants_nothing(app, client, auth, stuck,
                                                                  reason, message):
    response = _grant(client, auth, stuck["staff"], stuck["enrollment"], stuck["module"],
                      reason=reason)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert 'aria-invalid="true"' in page
    assert _grants() == 0
    assert _start(app, stuck).status_code == 409


def test_a_reason_of_exactly_500_characters_is_accepted(client, auth, stuck):
    response = _grant(client, auth, stuck["staff"], stuck["enrollment"], stuck["module"],
                      reason="y" * 500)
    assert response.status_code == 302 and _grants() == 1


def test_granting_while_attempts_remain_is_refused_with_a_message(app, client, auth, clock):
    provider = factories.provider()
    course = fa.full_course(provider, kinds=(Q,), attempts=2)
    learner = factories.learner()
    enrollment = factories.enrollment(learner, course)
    module = fa.modules(course)[0]
    staff = factories.staff(provider)
    _use_up(learner, enrollment, module, 1)
    response = _grant(client, auth, staff, enrollment, module)
    assert response.status_code == 409
    assert "still has attempts left" in response.get_data(as_text=True)

    quizzes.start_attempt(learner, enrollment, module)  # the last attempt, still running
    db.session.commit()
    response = _grant(client, auth, staff, enrollment, module)
    assert response.status_code == 409
    assert "taking an attempt right now" in response.get_data(as_text=True)
    assert _grants() == 0


def test_granting_after_a_pass_is_refused_with_a_message(client, auth, clock):
    provider = factories.provider()
    course = fa.full_course(provider, kinds=(Q,), attempts=1)
    learner = factories.learner()
    enrollment = factories.enrollment(learner, course)
    module = fa.modules(course)[0]
    _use_up(learner, enrollment, module, 1, right=True)
    response = _grant(client, auth, factories.staff(provider), enrollment, module)
    assert response.status_code == 409
    assert "already passed this quiz" in response.get_data(as_text=True)
    assert _grants() == 0


def test_no_attempt_is_granted_once_the_quiz_showed_its_answers(client, auth, clock):
    """Answers shown after the last attempt would make another attempt a formality."""
    provider = factories.provider()
    course = fa.full_course(provider, kinds=(Q,), attempts=1, reveal=True)
    learner = factories.learner()
    enrollment = factories.enrollment(learner, course)
    (posttest,) = fa.modules(course)
    _use_up(learner, enrollment, posttest, 1)
    response = _grant(client, auth, factories.staff(provider), enrollment, posttest)
    assert response.status_code == 409
    assert "showed the learner the correct answers" in response.get_data(as_text=True)
    assert _grants() == 0


def test_granting_for_a_module_that_is_not_a_quiz_is_refused(client, auth, clock):
    provider = factories.provider()
    course = fa.full_course(provider, kinds=(V, Q))
    enrollment = factories.enrollment(factories.learner(), course)
    video = fa.modules(course)[0]
    response = _grant(client, auth, factories.staff(provider), enrollment, video)
    assert response.status_code == 422
    assert "only be granted for a quiz" in response.get_data(as_text=True)
    assert _grants() == 0


def test_a_module_of_another_course_or_a_missing_enrollment_is_404(client, auth, stuck):
    other_module = fa.modules(fa.full_course(stuck["provider"], kinds=(Q,)))[0]
    assert _grant(client, auth, stuck["staff"], stuck["enrollment"],
                  other_module).status_code == 404
    auth.login(stuck["staff"].email)
    assert client.post(f"/grading/attempts/999999/modules/{stuck['module'].id}",
                       data={"reason": REASON}).status_code == 404
    assert _grants() == 0


def test_the_list_shows_own_stuck_learners_only_and_hides_granted_ones(client, auth, stuck):
    auth.login(stuck["staff"].email)
    queue = client.get("/grading/").get_data(as_text=True)
    assert 'href="/grading/attempts/"' in queue
    page = client.get("/grading/attempts/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Siti Stuck" in text and stuck["module"].title in text
    assert "2 of 2 attempts used" in text
    # The confirmation before granting is asked by static/js/alur.js from data-confirm (no
    # inline handler under the Content-Security-Policy).
    assert "Grant one more attempt" in text and "data-confirm=" in text
    assert 'name="reason"' in text and 'name="csrf_token"' in text
    assert "Budi Elsewhere" not in text
    auth.logout()

    auth.login(stuck["staff"].email)
    granted = client.post(
        f"/grading/attempts/{stuck['enrollment'].id}/modules/{stuck['module'].id}",
        data={"reason": REASON}, follow_redirects=True).get_data(as_text=True)
    assert "Siti Stuck may now make one more attempt" in granted
    assert "data-stuck=" not in granted and "data-empty" in granted

    auth.logout()
    auth.login(stuck["other_staff"].email)
    text = client.get("/grading/attempts/").get_data(as_text=True)
    assert "Budi Elsewhere" in text and "Siti Stuck" not in text


def test_an_admin_sees_every_provider_and_may_grant(client, auth, stuck):
    admin = factories.admin()
    auth.login(admin.email)
    text = client.get("/grading/attempts/").get_data(as_text=True)
    assert "Siti Stuck" in text and "Budi Elsewhere" in text
    auth.logout()
    assert _grant(client, auth, admin, stuck["enrollment"], stuck["module"]).status_code == 302
    assert _grants() == 1


def test_an_expired_unsubmitted_attempt_counts_as_used(client, auth, clock):
    provider = factories.provider()
    course = fa.full_course(provider, kinds=(Q,), attempts=1, time_limit=60)
    learner = factories.learner(name="Rina Timeout")
    enrollment = factories.enrollment(learner, course)
    module = fa.modules(course)[0]
    staff = factories.staff(provider)
    quizzes.start_attempt(learner, enrollment, module)
    db.session.commit()
    auth.login(staff.email)
    assert "Rina Timeout" not in client.get("/grading/attempts/").get_data(as_text=True)
    clock.advance(120)
    assert "Rina Timeout" in client.get("/grading/attempts/").get_data(as_text=True)
    auth.logout()
    assert _grant(client, auth, staff, enrollment, module).status_code == 302


def test_the_list_is_paginated_20_per_page(client, auth, clock):
    provider = factories.provider()
    course = fa.full_course(provider, kinds=(Q,), attempts=1)
    module = fa.modules(course)[0]
    for n in range(21):
        learner = factories.learner(name=f"Peserta {n:02d}")
        _use_up(learner, factories.enrollment(learner, course), module, 1)
        clock.advance(1)
    auth.login(factories.staff(provider).email)
    first = client.get("/grading/attempts/").get_data(as_text=True)
    second = client.get("/grading/attempts/?page=2").get_data(as_text=True)
    assert first.count("data-stuck=") == 20 and second.count("data-stuck=") == 1
    assert "Peserta 00" in first and "Peserta 20" in second and "Peserta 20" not in first
    assert "Page 1 of 2" in first
    assert client.get("/grading/attempts/?page=abc").status_code == 200
    assert client.get("/grading/attempts/?page=99").status_code == 200


def test_staff_without_stuck_learners_see_an_empty_state(client, auth, app):
    auth.login(factories.staff(factories.provider()).email)
    page = client.get("/grading/attempts/")
    assert page.status_code == 200
    assert "No learner is stuck on a quiz right now" in page.get_data(as_text=True)


def test_odd_input_never_breaks_the_page(client, auth, stuck):
    auth.login(stuck["staff"].email)
    module_id = stuck["module"].id
    assert client.post(f"/grading/attempts/99999999999999999999/modules/{module_id}",
                       data={"reason": REASON}).status_code == 404
    assert client.post(f"/grading/attempts/{stuck['enrollment'].id}/modules/9223372036854775808",
                       data={"reason": REASON}).status_code == 404
    assert client.post(f"/grading/attempts/{stuck['enrollment'].id}/modules/{module_id}",
                       json={"reason": REASON}).status_code == 422
    assert client.get("/grading/attempts/?page=-1").status_code == 200
    assert _grants() == 0


def test_the_service_itself_refuses_learners_and_other_providers(stuck):
    """The rule lives in the service, so no other entry point (CLI, tasks) can bypass it."""
    args = (stuck["enrollment"], stuck["module"], REASON)
    with pytest.raises(Forbidden):
        grants.grant_extra_attempt(stuck["learner"], *args)
    with pytest.raises(NotFound):
        grants.grant_extra_attempt(stuck["other_staff"], *args)
    db.session.rollback()
    assert _grants() == 0
