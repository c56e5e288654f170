"""Extra quiz attempts: provider staff (or a programme admin) let a learner who used every
allowed attempt without passing try once more, with a written reason kept in the audit log.

Each grant is a row of its own and adds one to the attempts allowed (see
`quizzes.allowed_attempts`), so the quiz settings stay the same for everyone else.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, or_, select

from lms import permissions
from lms.accounts.models import Role, User
from lms.admin import audit
from lms.assessments import quizzes, rules
from lms.assessments.errors import (AnswersAlreadyShown, AttemptsRemaining, NotAQuiz,
                                    QuizAlreadyPassed)
from lms.assessments.models import AttemptGrant, QuizAttempt, QuizSettings
from lms.catalog.models import Course, Module, ModuleKind
from lms.clock import utcnow
from lms.errors import Invalid, NotFound
from lms.extensions import db
from lms.learning.models import Enrollment, EnrollmentStatus

MAX_REASON = 500
PER_PAGE = 20


def grant_extra_attempt(actor: User, enrollment: Enrollment, module: Module,
                        reason: str) -> AttemptGrant:
    """Allow the enrollment's learner one more attempt at the quiz module.

    Raises Forbidden (not provider staff or an admin), NotFound (staff of another provider,
    or a module outside the enrollment's course version), NotAQuiz (422), QuizAlreadyPassed
    (409), AttemptsRemaining (409: attempts left or one still running), AnswersAlreadyShown
    (409: the quiz revealed its answers after the last attempt) and Invalid (422: the
    reason is missing or longer than 500 characters).
    """
    permissions.ensure_may_grant_attempt(actor, enrollment.course)
    if module.version_id != enrollment.version_id:
        raise NotFound(_l("No such module in this course."), code="module_not_found")
    settings = quizzes.settings_for(module) if module.kind == ModuleKind.QUIZ else None
    if settings is None:
        raise NotAQuiz()
    # Two staff members answering the same learner at once must not grant two attempts: the
    # enrollment lock (PostgreSQL; SQLite's writers are already serialised) makes the second
    # one see the first grant and find nothing left to grant.
    db.session.scalars(select(Enrollment).where(Enrollment.id == enrollment.id)
                       .with_for_update()).one()
    now = utcnow()
    facts = quizzes.facts(quizzes.attempts_of(enrollment, module), now)
    if rules.is_done(settings.role, facts):
        raise QuizAlreadyPassed()
    if any(not f.submitted and not f.expired for f in facts):
        raise AttemptsRemaining(_l("This learner is taking an attempt right now. Wait until it "
                                   "is submitted or its time runs out."))
    if rules.attempts_left(quizzes.allowed_attempts(settings, enrollment), facts) > 0:
        raise AttemptsRemaining()
    if settings.show_answers_after_last:
        raise AnswersAlreadyShown()
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_l("Write why this learner gets another attempt."),
                      code="missing_field", field="reason")
    if len(reason) > MAX_REASON:
        raise Invalid(_l("The reason has at most %(n)d characters.", n=MAX_REASON),
                      code="invalid_field", field="reason")
    grant = AttemptGrant(enrollment_id=enrollment.id, module_id=module.id,
                         granted_by_id=actor.id, granted_at=now, reason=reason)
    db.session.add(grant)
    db.session.flush()
    audit.record(actor, "quiz_attempt.granted", "attempt_grant", grant.id,
                 enrollment=enrollment.id, module=module.id, user=enrollment.user_id,
                 reason=reason)
    return grant


# --- Who is stuck -------------------------------------------------------------------------

@dataclass(frozen=True)
class StuckLearner:
    """A learner who used every allowed attempt of a quiz without passing it."""

    enrollment: Enrollment
    module: Module
    settings: QuizSettings
    used: int
    granted: int
    best_score: float | None
    last_at: datetime

    @property
    def key(self) -> tuple[int, int]:
        return self.enrollment.id, self.module.id


@dataclass(frozen=True)
class StuckPage:
    """One page of stuck learners, shaped like Flask-SQLAlchemy's pagination for the
    `pagination` macro."""

    items: list[StuckLearner]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None


def load_for_grant(actor: User, enrollment_id: int, module_id: int) -> tuple[Enrollment, Module]:
    """The enrollment and quiz module a grant is for. Raises NotFound when either is missing
    (ids past 32 bits never get here: lms.converters bounds every id in a URL); the grant
    itself checks who may give it."""
    enrollment = db.session.get(Enrollment, enrollment_id)
    module = db.session.get(Module, module_id)
    if enrollment is None or module is None:
        raise NotFound()
    return enrollment, module


def stuck_learners(actor: User, page: int = 1, per_page: int = PER_PAGE) -> StuckPage:
    """Active enrollments with a quiz whose every allowed attempt (granted ones included) is
    used, none passed and none still running, longest-waiting first: the actor's own
    provider's courses for staff, every course for admins. Raises Forbidden for anyone else.
    """
    permissions.ensure_role(actor, Role.PROVIDER, Role.ADMIN)
    a = QuizAttempt
    # The SQL form of "not submitted and not expired" (rules.is_expired), evaluated now.
    cutoff = utcnow() - timedelta(seconds=rules.SUBMIT_GRACE_SECONDS)
    running = and_(a.submitted_at.is_(None), or_(a.deadline_at.is_(None), a.deadline_at >= cutoff))
    # A submitted pre-test is graded as passed (no pass mark), so "passed" also means done.
    done = and_(a.submitted_at.is_not(None), a.passed.is_(True))
    attempts = (select(a.enrollment_id, a.module_id,
                       func.count(a.id).label("used"),
                       func.max(a.score).label("best"),
                       func.max(func.coalesce(a.submitted_at, a.deadline_at, a.started_at))
                       .label("last_at"),
                       func.sum(case((done, 1), else_=0)).label("done"),
                       func.sum(case((running, 1), else_=0)).label("running"))
                .group_by(a.enrollment_id, a.module_id).subquery())
    grants = (select(AttemptGrant.enrollment_id, AttemptGrant.module_id,
                     func.count(AttemptGrant.id).label("granted"))
              .group_by(AttemptGrant.enrollment_id, AttemptGrant.module_id).subquery())
    granted = func.coalesce(grants.c.granted, 0)
    query = (select(Enrollment, Module, QuizSettings, attempts.c.used, granted,
                    attempts.c.best, attempts.c.last_at)
             .join(attempts, attempts.c.enrollment_id == Enrollment.id)
             .join(Module, Module.id == attempts.c.module_id)
             .join(QuizSettings, QuizSettings.module_id == Module.id)
             .join(Course, Course.id == Enrollment.course_id)
             .outerjoin(grants, and_(grants.c.enrollment_id == attempts.c.enrollment_id,
                                     grants.c.module_id == attempts.c.module_id))
             .where(Enrollment.status == EnrollmentStatus.ACTIVE,
                    Module.kind == ModuleKind.QUIZ,
                    attempts.c.done == 0, attempts.c.running == 0,
                    attempts.c.used >= QuizSettings.attempts_allowed + granted))
    if actor.role != Role.ADMIN:
        query = query.where(Course.provider_id == actor.provider_id)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, math.ceil(total / per_page))
    page = min(max(page, 1), pages)
    rows = db.session.execute(query.order_by(attempts.c.last_at, Enrollment.id, Module.id)
                              .limit(per_page).offset((page - 1) * per_page)).all()
    return StuckPage([StuckLearner(*row) for row in rows], page, per_page, total)
