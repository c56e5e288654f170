"""Taking quizzes through the pages: the module panel, the paper with its server-side
countdown, the result, and the same refusals as the API with pages that explain them."""
from __future__ import annotations

import re

import pytest

from lms.assessments.models import QuizAttempt
from lms.catalog.models import ModuleKind
from lms.extensions import db
from tests import factories
from tests import factories_assessments as fa

Q = ModuleKind.QUIZ


@pytest.fixture
def learner_in(app, clock, auth):
    def make(**options):
        course = fa.full_course(**options)
        learner = factories.learner()
        enrollment = factories.enrollment(learner, course)
        auth.login(learner.email)
        return enrollment, fa.modules(course)
    return make


def _module_url(enrollment, module):
    return f"/enrollments/{enrollment.id}/modules/{module.id}"


def _start(client, enrollment, module):
    return client.post(_module_url(enrollment, module) + "/attempts")


def _latest_attempt():
    return db.session.query(QuizAttempt).order_by(QuizAttempt.id.desc()).first()


def test_the_module_page_explains_the_quiz_and_offers_to_start(client, learner_in):
    enrollment, modules = learner_in(time_limit=300, attempts=2)
    page = client.get(_module_url(enrollment, modules[0])).get_data(as_text=True)
    assert "Pre-test" in page and "There is no pass mark" in page
    assert "5 min" in page and 'id="start-attempt"' in page


def test_the_paper_shows_a_countdown_and_no_answers(client, learner_in, clock):
    enrollment, modules = learner_in(time_limit=300)
    response = _start(client, enrollment, modules[0])
    assert response.status_code == 302 and "/attempts/" in response.headers["Location"]
    clock.advance(65)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'data-seconds-left="235"' in page and "3:55" in page
    assert page.count('class="question card"') == 3
    assert "Because" not in page and "correct" not in page.lower().replace("every correct", "")
    attempt = _latest_attempt()
    db_ids = {str(oid) for e in attempt.layout for _, oid in e["o"]}
    values = set(re.findall(r'name="q\d+" value="([^"]+)"', page))
    assert len(values) == 9 and not values & db_ids


def test_answering_through_the_form_grades_and_shows_the_result(client, learner_in):
    enrollment, modules = learner_in()
    _start(client, enrollment, modules[0])
    attempt = _latest_attempt()
    response = client.post(f"/attempts/{attempt.id}", data=fa.form_answers(attempt))
    assert response.status_code == 302
    page = client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    assert "Your score: 100%" in page and "pre-test score is recorded" in page
    assert 'id="next-module"' in page
    module_page = client.get(_module_url(enrollment, modules[0])).get_data(as_text=True)
    assert "You have completed this quiz." in module_page


def test_a_tampered_form_that_adds_fields_is_refused_and_changes_nothing(client, learner_in):
    enrollment, modules = learner_in()
    _start(client, enrollment, modules[0])
    attempt = _latest_attempt()
    for extra in ({"score": "100"}, {"passed": "1"}, {"q999999": "deadbeef"}):
        response = client.post(f"/attempts/{attempt.id}",
                               data={**fa.form_answers(attempt), **extra})
        assert response.status_code == 422
        assert "do not match the questions" in response.get_data(as_text=True)
    db.session.expire_all()
    attempt = db.session.get(QuizAttempt, attempt.id)
    assert attempt.submitted_at is None and attempt.score is None


def test_a_late_form_is_refused_with_a_clear_message(client, learner_in, clock):
    enrollment, modules = learner_in(time_limit=120)
    _start(client, enrollment, modules[0])
    attempt = _latest_attempt()
    clock.advance(121 + 10)
    response = client.post(f"/attempts/{attempt.id}", data=fa.form_answers(attempt))
    assert response.status_code == 410
    assert "time for this attempt ran out" in response.get_data(as_text=True)
    page = client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    assert "Time ran out" in page


def test_one_attempt_too_many_gets_a_page_that_says_so(client, learner_in):
    enrollment, modules = learner_in(kinds=(Q,), attempts=1)
    _start(client, enrollment, modules[0])
    attempt = _latest_attempt()
    client.post(f"/attempts/{attempt.id}", data=fa.form_answers(attempt, right=False))
    page = client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    assert "Not passed: the pass mark is 60%" in page
    assert "used every attempt" in page
    response = _start(client, enrollment, modules[0])
    assert response.status_code == 409
    assert "all 1 attempts" in response.get_data(as_text=True)


def test_a_double_submitted_form_counts_once(client, learner_in):
    enrollment, modules = learner_in(kinds=(Q,))
    _start(client, enrollment, modules[0])
    attempt = _latest_attempt()
    client.post(f"/attempts/{attempt.id}", data=fa.form_answers(attempt, right=False))
    response = client.post(f"/attempts/{attempt.id}", data=fa.form_answers(attempt))
    assert response.status_code == 409
    assert "already been submitted" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(QuizAttempt, attempt.id).score == 0.0


def test_the_answers_are_shown_after_the_last_attempt_when_allowed(client, learner_in):
    enrollment, modules = learner_in(kinds=(Q,), attempts=1, reveal=True)
    _start(client, enrollment, modules[0])
    attempt = _latest_attempt()
    client.post(f"/attempts/{attempt.id}", data=fa.form_answers(attempt, right=False))
    page = client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    assert "The correct answers" in page and "✔ right 1" in page and "Because 1." in page


def test_a_locked_quiz_cannot_be_started_from_a_direct_url(client, learner_in):
    enrollment, modules = learner_in()
    response = _start(client, enrollment, modules[2])
    assert response.status_code == 403
    assert db.session.query(QuizAttempt).count() == 0


def test_another_learners_attempt_page_is_not_found(client, learner_in, auth):
    enrollment, modules = learner_in()
    _start(client, enrollment, modules[0])
    attempt = _latest_attempt()
    auth.logout()
    auth.login(factories.learner().email)
    assert client.get(f"/attempts/{attempt.id}").status_code == 404
    assert client.post(f"/attempts/{attempt.id}", data={}).status_code == 404


def test_the_dashboard_compares_the_pretest_with_the_posttest(client, learner_in):
    enrollment, modules = learner_in(kinds=(Q, ModuleKind.VIDEO, Q), questions=4)
    _start(client, enrollment, modules[0])
    pre = _latest_attempt()
    answers = fa.form_answers(pre, right=False)
    first = next(iter(fa.form_answers(pre)))
    answers[first] = fa.form_answers(pre)[first]
    client.post(f"/attempts/{pre.id}", data=answers)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Pre-test: <strong data-pretest>25%" in page and "data-posttest>—" in page
    fa.complete_content(enrollment, 3)
    _start(client, enrollment, modules[2])
    post = _latest_attempt()
    client.post(f"/attempts/{post.id}", data=fa.form_answers(post))
    page = client.get("/dashboard").get_data(as_text=True)
    assert "data-pretest>25%" in page and "data-posttest>100%" in page and "+75" in page
