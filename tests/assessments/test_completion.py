"""The course completion rule: every required module, the post-test passed, the skill task
passed — decided in the services and fired exactly once, even under concurrent calls."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from lms import signals
from lms.accounts.models import User
from lms.admin.models import AuditEntry
from lms.assessments import quizzes, skills
from lms.assessments.models import QuizAttempt
from lms.catalog import services as catalog
from lms.catalog.models import ModuleKind
from lms.extensions import db
from lms.learning import completion
from lms.learning.models import Enrollment, ModuleProgress
from tests import factories
from tests import factories_assessments as fa
from tests.concurrency import race

Q, V, A = ModuleKind.QUIZ, ModuleKind.VIDEO, ModuleKind.ASSIGNMENT


@pytest.fixture
def fired():
    """Every course_completed and module_completed signal sent during the test."""
    events = {"course": [], "module": []}
    lock = threading.Lock()

    def on_course(sender, **kw):
        with lock:
            events["course"].append((sender.id, kw.get("actor")))

    def on_module(sender, **kw):
        with lock:
            events["module"].append(sender.module_id)
    signals.course_completed.connect(on_course)
    signals.module_completed.connect(on_module)
    yield events
    signals.course_completed.disconnect(on_course)
    signals.module_completed.disconnect(on_module)


def _pass_quiz(learner, enrollment, module, right=True):
    attempt, _ = quizzes.start_attempt(learner, enrollment, module)
    db.session.commit()
    quizzes.submit_attempt(learner, attempt, fa.answers(attempt, right))
    db.session.commit()
    return attempt


def test_marking_a_module_complete_is_idempotent(app, clock, fired):
    course = factories.course(kinds=(V, V))
    enrollment = factories.enrollment(factories.learner(), course)
    video = course.current_version.modules[0]
    assert completion.mark_module_completed(enrollment, video, clock.now()) is True
    clock.advance(60)
    assert completion.mark_module_completed(enrollment, video, clock.now()) is False
    db.session.commit()
    progress = db.session.query(ModuleProgress).one()
    assert progress.completed_at == clock.now() - timedelta(seconds=60), "the first call counts"
    assert fired["module"] == [video.id] and fired["course"] == []


def test_a_course_without_assessments_completes_once_every_required_module_is_done(
        app, clock, fired):
    course = factories.course(kinds=(V, V, V), optional_positions=(3,))
    learner = factories.learner()
    enrollment = factories.enrollment(learner, course)
    first, second, _ = course.current_version.modules
    completion.mark_module_completed(enrollment, first, clock.now())
    assert enrollment.status == "active"
    completion.mark_module_completed(enrollment, second, clock.now(), actor=learner)
    db.session.commit()
    assert enrollment.status == "completed" and enrollment.completed_at is not None
    assert fired["course"] == [(enrollment.id, learner)]


def test_the_course_waits_for_the_posttest_and_the_skill_task(client, auth, app, clock, fired):
    provider = factories.provider()
    course = fa.full_course(provider, kinds=(Q, V, Q, A))
    learner = factories.learner()
    enrollment = factories.enrollment(learner, course)
    pretest, video, posttest, task = fa.modules(course)
    _pass_quiz(learner, enrollment, pretest, right=False)
    fa.complete_content(enrollment, 3)
    _pass_quiz(learner, enrollment, posttest, right=False)
    assert enrollment.status == "active"
    _pass_quiz(learner, enrollment, posttest)
    assert enrollment.status == "active", "the skill task is still missing"
    item = skills.submit(learner, enrollment, task, url="https://plan.test")
    db.session.commit()
    staff = factories.staff(provider)
    skills.grade(staff, item, "revise", "Add a budget.")
    db.session.commit()
    assert enrollment.status == "active"
    item = skills.submit(learner, enrollment, task, url="https://plan.test/v2")
    db.session.commit()
    skills.grade(staff, item, "passed", "Complete and clear.")
    db.session.commit()
    db.session.refresh(enrollment)
    assert enrollment.status == "completed"
    assert fired["course"] == [(enrollment.id, staff)]
    entry = db.session.query(AuditEntry).filter_by(action="enrollment.completed").one()
    assert entry.subject_id == str(enrollment.id)


def test_an_optional_posttest_or_skill_task_is_still_required(app, clock, fired):
    course = factories.course(kinds=(V, Q, A), published=False, optional_positions=(2, 3))
    version_modules = course.versions[-1].modules
    fa.quiz(version_modules[1], fa.bank(course), role="posttest")
    fa.skill_task(version_modules[2])
    catalog.publish_course(None, course)
    db.session.commit()
    enrollment = factories.enrollment(factories.learner(), course)
    completion.mark_module_completed(enrollment, version_modules[0], clock.now())
    db.session.commit()
    assert enrollment.status == "active" and fired["course"] == []


def test_completion_is_not_repeated_for_a_completed_enrollment(app, clock, fired):
    course = factories.course(kinds=(V,))
    enrollment = factories.enrollment(factories.learner(), course)
    completion.mark_module_completed(enrollment, course.current_version.modules[0], clock.now())
    db.session.commit()
    assert completion.complete_course_if_done(enrollment, clock.now()) is False
    assert len(fired["course"]) == 1


def test_two_submissions_of_one_attempt_at_once_count_once(app, clock, fired):
    course = fa.full_course(kinds=(Q,))
    learner = factories.learner()
    enrollment = factories.enrollment(learner, course)
    attempt, _ = quizzes.start_attempt(learner, enrollment, fa.modules(course)[0])
    db.session.commit()
    right, attempt_id, learner_id = fa.answers(attempt), attempt.id, learner.id

    def submit():
        quizzes.submit_attempt(db.session.get(User, learner_id),
                               db.session.get(QuizAttempt, attempt_id), right)

    assert sorted(race(app, [submit, submit])) == ["already_submitted", "ok"]
    db.session.expire_all()
    assert db.session.get(QuizAttempt, attempt_id).score == 100.0
    assert db.session.get(Enrollment, enrollment.id).status == "completed"
    assert len(fired["course"]) == 1 and len(fired["module"]) == 1


def test_racing_completions_fire_the_course_completion_once(app, clock, fired):
    course = factories.course(kinds=(V,))
    enrollment = factories.enrollment(factories.learner(), course)
    progress = ModuleProgress(enrollment=enrollment, module=course.current_version.modules[0],
                              completed_at=clock.now())
    db.session.add(progress)
    db.session.commit()
    enrollment_id, results = enrollment.id, []

    def complete():
        results.append(completion.complete_course_if_done(
            db.session.get(Enrollment, enrollment_id), clock.now()))

    assert race(app, [complete] * 4) == ["ok"] * 4
    assert sorted(results) == [False, False, False, True]
    assert len(fired["course"]) == 1
