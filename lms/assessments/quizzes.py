"""Taking a quiz: starting an attempt, submitting it once, grading it on the server.

The paper a learner sees carries no hint of the answers (no flags, no per-learner-stable
option ids); answers are read strictly against that attempt's paper and graded here.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from lms import permissions
from lms.accounts.models import User
from lms.assessments import accommodations, events, rules
from lms.assessments.errors import AlreadySubmitted, AttemptExpired, AttemptNotFound, NotReady
from lms.assessments.models import AttemptGrant, Question, QuizAttempt, QuizSettings
from lms.catalog.models import Module, ModuleKind
from lms.clock import utcnow
from lms.errors import NotFound
from lms.extensions import db
from lms.learning import completion
from lms.learning import deadlines
from lms.learning.models import Enrollment
from lms.pacing import attendance


def owner_enrollment(user: User, module_id: int) -> tuple[Enrollment, Module]:
    """The module and the user's enrollment in its course version. Raises NotFound for an
    unknown module or one whose course version the user is not enrolled in."""
    module = db.session.get(Module, module_id)
    if module is None:
        raise NotFound(_l("No such module."), code="module_not_found")
    enrollment = db.session.scalar(select(Enrollment).where(
        Enrollment.user_id == user.id, Enrollment.version_id == module.version_id))
    if enrollment is None:
        raise NotFound(_l("You are not enrolled in this course."), code="enrollment_not_found")
    return enrollment, module


def load(user: User, enrollment_id: int, module_id: int) -> tuple[Enrollment, Module]:
    """The user's enrollment and a module of its course version, for the pages. Raises
    NotFound for another learner's enrollment or a module of another course; the sequence
    gate is the services' business."""
    enrollment = permissions.ensure_enrollment_owner(user, db.session.get(Enrollment,
                                                                          enrollment_id))
    module = db.session.get(Module, module_id)
    if module is None or module.version_id != enrollment.version_id:
        raise NotFound(_l("No such module in this course."), code="module_not_found")
    return enrollment, module


def settings_for(module: Module) -> QuizSettings | None:
    return db.session.scalar(select(QuizSettings).where(QuizSettings.module_id == module.id))


def ready_settings(module: Module) -> QuizSettings:
    """Raises NotFound for a module that is not a quiz, NotReady for an unconfigured one."""
    if module.kind != ModuleKind.QUIZ:
        raise NotFound(_l("This module is not a quiz."), code="not_a_quiz")
    settings = settings_for(module)
    if settings is None or not any(q.active and q.options for q in settings.bank.questions):
        raise NotReady()
    return settings


def allowed_attempts(settings: QuizSettings, enrollment: Enrollment) -> int:
    """The quiz's attempts plus one per extra attempt staff granted this learner."""
    granted = db.session.scalar(select(func.count(AttemptGrant.id)).where(
        AttemptGrant.enrollment_id == enrollment.id,
        AttemptGrant.module_id == settings.module_id))
    return settings.attempts_allowed + (granted or 0)


def attempts_of(enrollment: Enrollment, module: Module) -> list[QuizAttempt]:
    return list(db.session.scalars(select(QuizAttempt).where(
        QuizAttempt.enrollment_id == enrollment.id, QuizAttempt.module_id == module.id
    ).order_by(QuizAttempt.number)))


def facts(attempts: list[QuizAttempt], now: datetime) -> list[rules.AttemptFacts]:
    return [rules.AttemptFacts(submitted=a.is_submitted, passed=a.passed,
                               expired=not a.is_submitted and rules.is_expired(a.deadline_at, now))
            for a in attempts]


def start_attempt(user: User, enrollment: Enrollment, module: Module) -> tuple[QuizAttempt, bool]:
    """Open an attempt, or return the learner's attempt still running (same paper, same
    deadline: reloading never deals a fresh paper or restarts the clock). The bool says
    whether it is new.

    Raises NotFound (someone else's enrollment, a module of another course, not a quiz),
    ModuleLocked, DeadlinePassed (403), NotReady, AlreadyCompleted, NoAttemptsLeft (409).
    """
    permissions.ensure_enrollment_owner(user, enrollment)
    permissions.ensure_module_available(enrollment, module)
    settings = ready_settings(module)
    now = utcnow()
    deadlines.ensure_before_deadline(enrollment, now)
    attendance.ensure_attended(user, now)
    attempts = attempts_of(enrollment, module)
    running = next((a for a, f in zip(attempts, facts(attempts, now))
                    if not f.submitted and not f.expired), None)
    if running is not None:
        return running, False
    rules.ensure_may_start(settings.role, allowed_attempts(settings, enrollment),
                           facts(attempts, now))
    bank = [(q.id, [o.id for o in q.options]) for q in settings.bank.questions
            if q.active and q.options]
    attempt = QuizAttempt(
        enrollment_id=enrollment.id, module_id=module.id, number=len(attempts) + 1,
        started_at=now, layout=rules.draw_layout(bank, settings.questions_per_attempt),
        deadline_at=rules.deadline_for(now, accommodations.accommodated_limit(
            settings.time_limit_seconds, accommodations.extra_time_percent(enrollment)),
            enrollment.finish_by))
    attempt.question_count = len(attempt.layout)
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:
        # A second tab started the same attempt number at the same moment: use its attempt.
        attempts = attempts_of(enrollment, module)
        running = next((a for a, f in zip(attempts, facts(attempts, now))
                        if not f.submitted and not f.expired), None)
        if running is None:
            raise AlreadySubmitted() from None
        return running, False
    completion.progress_for(enrollment, module, now)
    return attempt, True


def get_attempt_for(user: User, attempt_id: int) -> QuizAttempt:
    """Raises AttemptNotFound for a missing attempt or another learner's."""
    attempt = db.session.get(QuizAttempt, attempt_id)
    if attempt is None or user is None or not user.is_authenticated \
            or attempt.enrollment.user_id != user.id:
        raise AttemptNotFound()
    return attempt


def questions_of(attempt: QuizAttempt) -> dict[int, Question]:
    ids = [int(entry["q"]) for entry in attempt.layout]
    return {q.id: q for q in db.session.scalars(select(Question).where(Question.id.in_(ids)))}


@dataclass(frozen=True)
class Graded:
    attempt: QuizAttempt
    attempts_left: int
    module_completed: bool


def submit_attempt(user: User, attempt: QuizAttempt, raw_answers: object) -> Graded:
    """Grade the attempt once.

    Raises AttemptNotFound (someone else's attempt), AlreadySubmitted (409: a second
    submission, even a concurrent one, changes nothing), AttemptExpired (410: past the
    deadline plus a few seconds' grace) and InvalidAnswers (422: anything not on this
    attempt's paper). On failure the attempt is left exactly as it was.
    """
    if attempt.enrollment.user_id != getattr(user, "id", None):
        raise AttemptNotFound()
    now = utcnow()
    if attempt.is_submitted:
        raise AlreadySubmitted()
    if rules.is_expired(attempt.deadline_at, now):
        raise AttemptExpired()
    questions = questions_of(attempt)
    selected = rules.parse_answers(raw_answers, attempt.layout,
                                   {qid: q.kind for qid, q in questions.items()})
    correct = {int(entry["q"]): frozenset(o.id for o in questions[int(entry["q"])].options
                                          if o.is_correct)
               if int(entry["q"]) in questions else frozenset()
               for entry in attempt.layout}
    right = rules.count_correct(selected, correct)
    settings = settings_for(attempt.module)
    if settings is None:
        raise NotReady()
    passed = rules.is_pass(right, attempt.question_count, settings.pass_percent)
    table = QuizAttempt.__table__
    # Two submissions racing: the guard lets exactly one of them grade the attempt.
    claimed = db.session.execute(
        update(table).where(table.c.id == attempt.id, table.c.submitted_at.is_(None))
        .values(submitted_at=now, correct_count=right, passed=passed,
                score=rules.score_percent(right, attempt.question_count),
                answers={str(q): sorted(opts) for q, opts in selected.items()})
    ).rowcount
    db.session.refresh(attempt)
    if claimed != 1:
        raise AlreadySubmitted()
    events.quiz_graded.send(attempt, now=now)
    enrollment = attempt.enrollment
    module_completed = False
    if passed:
        completion.mark_module_completed(enrollment, attempt.module, now, actor=user)
        module_completed = True
    attempts = attempts_of(enrollment, attempt.module)
    left = rules.attempts_available(settings.role, allowed_attempts(settings, enrollment),
                                    facts(attempts, now))
    return Graded(attempt, left, module_completed)
