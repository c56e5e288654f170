"""Quizzes through the JSON API: papers without answers, grading once on the server, time
limits, attempt limits, tampering, and the sequence gate."""
from __future__ import annotations

import json

import pytest

from lms.assessments.models import QuizAttempt
from lms.catalog.models import ModuleKind
from lms.extensions import db
from lms.learning.models import ModuleProgress
from tests import factories
from tests import factories_assessments as fa

Q, V = ModuleKind.QUIZ, ModuleKind.VIDEO


@pytest.fixture
def setup(app, clock):
    """A learner enrolled in: pre-test, video, module quiz, reading, post-test, skill task."""
    course = fa.full_course(reveal=False, attempts=2, time_limit=300)
    learner = factories.learner()
    enrollment = factories.enrollment(learner, course)
    return {"course": course, "learner": learner, "enrollment": enrollment,
            "headers": factories.api_token(learner), "modules": fa.modules(course)}


def _start(client, headers, module):
    return client.post(f"/api/v1/modules/{module.id}/attempts", headers=headers)


def _submit(client, headers, attempt_id, answers, extra=None):
    body = {"answers": answers, **(extra or {})}
    return client.post(f"/api/v1/attempts/{attempt_id}/submit", headers=headers, json=body)


def _unchanged(attempt_id):
    db.session.expire_all()
    attempt = db.session.get(QuizAttempt, attempt_id)
    return attempt.submitted_at is None and attempt.answers is None and attempt.score is None


def test_the_paper_never_hints_at_the_answers(client, setup):
    pretest = setup["modules"][0]
    response = _start(client, setup["headers"], pretest)
    assert response.status_code == 201
    body = response.get_json()
    assert body["deadline_at"] and body["attempt_id"]
    assert len(body["questions"]) == 3
    raw = response.get_data(as_text=True)
    for word in ("correct", "is_correct", "explanation", "Because", "right_option", "weight"):
        assert word not in raw
    attempt = db.session.get(QuizAttempt, body["attempt_id"])
    option_ids = {str(oid) for e in attempt.layout for _, oid in e["o"]}
    for question in body["questions"]:
        assert set(question) == {"question_id", "kind", "text", "options"}
        for option in question["options"]:
            assert set(option) == {"option_id", "text"}
            assert option["option_id"] not in option_ids, "database ids would be shareable"


def test_reloading_resumes_the_same_paper_and_clock(client, setup, clock):
    pretest = setup["modules"][0]
    first = _start(client, setup["headers"], pretest).get_json()
    clock.advance(30)
    again = _start(client, setup["headers"], pretest).get_json()
    assert again["attempt_id"] == first["attempt_id"] and again["resumed"] is True
    assert again["questions"] == first["questions"]
    assert again["deadline_at"] == first["deadline_at"]
    assert db.session.query(QuizAttempt).count() == 1


def test_a_pretest_records_the_score_without_a_pass_mark_and_opens_the_next_module(client,
                                                                                   setup):
    pretest, video = setup["modules"][:2]
    attempt_id = _start(client, setup["headers"], pretest).get_json()["attempt_id"]
    attempt = db.session.get(QuizAttempt, attempt_id)
    response = _submit(client, setup["headers"], attempt_id, fa.answers(attempt, right=False))
    assert response.status_code == 200
    assert response.get_json().items() >= {"score": 0.0, "passed": True, "attempts_left": 0,
                                        "pass_percent": None}.items()
    status = client.get(f"/api/v1/enrollments/{setup['enrollment'].id}",
                        headers=setup["headers"]).get_json()["modules"]
    assert [m["status"] for m in status[:2]] == ["completed", "available"]
    again = _start(client, setup["headers"], pretest)
    assert again.status_code == 409 and again.get_json()["error"] == "already_completed"


def test_a_quiz_behind_an_unfinished_module_is_locked(client, setup):
    quiz = setup["modules"][2]
    response = _start(client, setup["headers"], quiz)
    assert response.status_code == 403
    assert response.get_json()["error"] == "module_locked"
    assert db.session.query(QuizAttempt).count() == 0


def _open_module_quiz(client, setup):
    fa.complete_content(setup["enrollment"], 3)
    pretest = setup["modules"][0]
    attempt_id = _start(client, setup["headers"], pretest).get_json()["attempt_id"]
    _submit(client, setup["headers"], attempt_id, {})
    return setup["modules"][2]


def test_passing_a_quiz_completes_its_module(client, setup):
    quiz = _open_module_quiz(client, setup)
    attempt_id = _start(client, setup["headers"], quiz).get_json()["attempt_id"]
    attempt = db.session.get(QuizAttempt, attempt_id)
    response = _submit(client, setup["headers"], attempt_id, fa.answers(attempt))
    assert response.status_code == 200
    assert response.get_json().items() >= {"score": 100.0, "passed": True, "attempts_left": 0,
                                        "module_completed": True, "course_completed": False}.items()
    progress = db.session.query(ModuleProgress).filter_by(module_id=quiz.id).one()
    assert progress.completed_at is not None


def test_failing_leaves_the_module_open_and_counts_an_attempt(client, setup):
    quiz = _open_module_quiz(client, setup)
    attempt_id = _start(client, setup["headers"], quiz).get_json()["attempt_id"]
    attempt = db.session.get(QuizAttempt, attempt_id)
    response = _submit(client, setup["headers"], attempt_id, fa.answers(attempt, right=False))
    assert response.get_json().items() >= {"score": 0.0, "passed": False,
                                           "attempts_left": 1}.items()
    status = client.get(f"/api/v1/enrollments/{setup['enrollment'].id}",
                        headers=setup["headers"]).get_json()["modules"]
    assert status[2]["status"] == "in_progress" and status[3]["status"] == "locked"


def test_one_attempt_too_many_is_refused(client, setup):
    quiz = _open_module_quiz(client, setup)
    for _ in range(2):
        attempt_id = _start(client, setup["headers"], quiz).get_json()["attempt_id"]
        _submit(client, setup["headers"], attempt_id,
                fa.answers(db.session.get(QuizAttempt, attempt_id), right=False))
    response = _start(client, setup["headers"], quiz)
    assert response.status_code == 409
    body = response.get_json()
    assert body["error"] == "no_attempts_left" and "2 attempts" in body["message"]
    assert db.session.query(QuizAttempt).filter_by(module_id=quiz.id).count() == 2


def test_a_late_submission_is_refused_and_counts_as_a_used_attempt(client, setup, clock):
    quiz = _open_module_quiz(client, setup)
    attempt_id = _start(client, setup["headers"], quiz).get_json()["attempt_id"]
    answers = fa.answers(db.session.get(QuizAttempt, attempt_id))
    clock.advance(300 + 6)
    response = _submit(client, setup["headers"], attempt_id, answers)
    assert response.status_code == 410
    assert response.get_json()["error"] == "attempt_expired"
    assert "time" in response.get_json()["message"].lower()
    assert _unchanged(attempt_id)
    # The expired attempt counted: one left, and a fresh paper.
    second = _start(client, setup["headers"], quiz).get_json()
    assert second["attempt_id"] != attempt_id
    assert client.get(f"/api/v1/attempts/{attempt_id}",
                      headers=setup["headers"]).get_json()["status"] == "expired"


def test_a_submission_within_the_grace_seconds_counts(client, setup, clock):
    quiz = _open_module_quiz(client, setup)
    attempt_id = _start(client, setup["headers"], quiz).get_json()["attempt_id"]
    clock.advance(300 + 4)
    response = _submit(client, setup["headers"], attempt_id,
                       fa.answers(db.session.get(QuizAttempt, attempt_id)))
    assert response.status_code == 200 and response.get_json()["passed"] is True


def test_submitting_twice_counts_once(client, setup):
    quiz = _open_module_quiz(client, setup)
    attempt_id = _start(client, setup["headers"], quiz).get_json()["attempt_id"]
    attempt = db.session.get(QuizAttempt, attempt_id)
    wrong, right = fa.answers(attempt, right=False), fa.answers(attempt)
    assert _submit(client, setup["headers"], attempt_id, wrong).status_code == 200
    second = _submit(client, setup["headers"], attempt_id, right)
    assert second.status_code == 409 and second.get_json()["error"] == "already_submitted"
    db.session.expire_all()
    assert db.session.get(QuizAttempt, attempt_id).score == 0.0


@pytest.mark.parametrize("tamper", [
    lambda a, other: {**a, "999999": []},  # a question that is not on the paper
    lambda a, other: {k: v + v for k, v in a.items()},  # an option twice
    lambda a, other: {k: other[k] for k in a},  # options of another attempt's paper
    lambda a, other: {k: [int(v[0], 16)] for k, v in a.items()},  # numbers, not tokens
    lambda a, other: {k: v[0] for k, v in a.items()},  # strings, not lists
])
def test_tampered_answers_are_refused_and_change_nothing(client, setup, tamper):
    quiz = _open_module_quiz(client, setup)
    attempt_id = _start(client, setup["headers"], quiz).get_json()["attempt_id"]
    attempt = db.session.get(QuizAttempt, attempt_id)
    other_learner = factories.learner()
    other_enrollment = factories.enrollment(other_learner, setup["course"])
    fa.complete_content(other_enrollment, 3)
    other_headers = factories.api_token(other_learner)
    other_pre = _start(client, other_headers, setup["modules"][0]).get_json()["attempt_id"]
    _submit(client, other_headers, other_pre, {})
    other_id = _start(client, other_headers, quiz).get_json()["attempt_id"]
    other = fa.answers(db.session.get(QuizAttempt, other_id))
    response = _submit(client, setup["headers"], attempt_id, tamper(fa.answers(attempt), other))
    assert response.status_code == 422
    assert response.get_json()["error"] == "invalid_answers"
    assert _unchanged(attempt_id)


@pytest.mark.parametrize("body", [
    {"answers": {}, "score": 100},  # an extra field
    {"answers": {}, "passed": True},
    {"answers": []},
    {"answer": {}},
])
def test_a_tampered_body_is_refused(client, setup, body):
    pretest = setup["modules"][0]
    attempt_id = _start(client, setup["headers"], pretest).get_json()["attempt_id"]
    response = client.post(f"/api/v1/attempts/{attempt_id}/submit", headers=setup["headers"],
                           json=body)
    assert response.status_code == 422 and response.get_json()["error"] == "invalid_answers"
    assert _unchanged(attempt_id)


def test_malformed_json_is_a_clear_400(client, setup):
    attempt_id = _start(client, setup["headers"], setup["modules"][0]).get_json()["attempt_id"]
    response = client.post(f"/api/v1/attempts/{attempt_id}/submit", headers={
        **setup["headers"], "Content-Type": "application/json"}, data="{not json")
    assert response.status_code == 400 and response.get_json()["error"] == "malformed_json"
    assert _unchanged(attempt_id)


def test_another_learners_attempt_does_not_exist_for_you(client, setup):
    attempt_id = _start(client, setup["headers"], setup["modules"][0]).get_json()["attempt_id"]
    intruder = factories.learner()
    factories.enrollment(intruder, setup["course"])
    headers = factories.api_token(intruder)
    for response in (client.get(f"/api/v1/attempts/{attempt_id}", headers=headers),
                     _submit(client, headers, attempt_id, {})):
        assert response.status_code == 404
        assert response.get_json()["error"] == "attempt_not_found"
    assert _unchanged(attempt_id)


def test_a_module_of_a_course_you_are_not_enrolled_in_is_not_found(client, setup):
    stranger = factories.learner()
    response = _start(client, factories.api_token(stranger), setup["modules"][0])
    assert response.status_code == 404 and response.get_json()["error"] == "enrollment_not_found"
    assert _start(client, setup["headers"], type("M", (), {"id": 987654})).status_code == 404


def test_answers_are_revealed_after_the_last_attempt_only_when_the_quiz_says_so(client, clock):
    course = fa.full_course(kinds=(Q,), attempts=2, reveal=True)
    learner = factories.learner()
    factories.enrollment(learner, course)
    headers = factories.api_token(learner)
    (posttest,) = fa.modules(course)
    ids = []
    for _ in range(2):
        attempt_id = _start(client, headers, posttest).get_json()["attempt_id"]
        ids.append(attempt_id)
        _submit(client, headers, attempt_id,
                fa.answers(db.session.get(QuizAttempt, attempt_id), right=False))
        body = client.get(f"/api/v1/attempts/{attempt_id}", headers=headers).get_json()
        if len(ids) == 1:
            assert body["answers_revealed"] is False and "correct_answers" not in body
    assert body["answers_revealed"] is True
    assert body["correct_answers"] == {k: v for k, v in fa.answers(
        db.session.get(QuizAttempt, ids[1])).items()}


def test_no_attempt_can_start_after_the_finish_by_date(client, app, clock):
    course = fa.full_course(kinds=(Q,))
    learner = factories.learner()
    factories.enrollment(learner, course, finish_by=clock.now())
    clock.advance(1)
    response = _start(client, factories.api_token(learner), fa.modules(course)[0])
    assert response.status_code == 403 and response.get_json()["error"] == "deadline_passed"


def test_an_attempt_never_outlives_the_finish_by_date(client, app, clock):
    from datetime import timedelta
    course = fa.full_course(kinds=(Q,), time_limit=600)
    learner = factories.learner()
    factories.enrollment(learner, course, finish_by=clock.now() + timedelta(seconds=60))
    headers = factories.api_token(learner)
    attempt_id = _start(client, headers, fa.modules(course)[0]).get_json()["attempt_id"]
    clock.advance(120)
    response = _submit(client, headers, attempt_id,
                       fa.answers(db.session.get(QuizAttempt, attempt_id)))
    assert response.status_code == 410


def test_an_unconfigured_quiz_says_it_is_not_ready(client, app):
    course = factories.course(kinds=(Q,))
    learner = factories.learner()
    factories.enrollment(learner, course)
    response = _start(client, factories.api_token(learner), course.current_version.modules[0])
    assert response.status_code == 409 and response.get_json()["error"] == "assessment_not_ready"


def test_a_random_subset_is_drawn_when_the_quiz_asks_for_fewer_questions(client, app):
    course = fa.full_course(kinds=(Q,), questions=6, per_attempt=4)
    learner = factories.learner()
    factories.enrollment(learner, course)
    body = _start(client, factories.api_token(learner), fa.modules(course)[0]).get_json()
    assert len(body["questions"]) == 4
    assert json.dumps(body).count("option_id") == 12
