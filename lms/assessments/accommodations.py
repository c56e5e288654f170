"""Extra time on timed quizzes ("accommodations"): provider staff or a programme admin give
one enrollment's learner more time on every timed quiz of the course — for example 1.5× for a
learner with a disability — with a written reason kept in the audit log. The learner sees it
before starting and while answering. 100% withdraws it; every change is a new row.
"""
from __future__ import annotations

import math

from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select

from lms.accounts.models import Role, User
from lms.admin import audit
from lms.assessments.models import TimeAccommodation
from lms.catalog.models import Course
from lms.clock import utcnow
from lms.errors import Invalid, NotFound
from lms.extensions import db
from lms.learning.models import Enrollment
from lms.permissions.assessments import ensure_may_accommodate

PERCENT_CHOICES = (100, 125, 150, 200)
NO_EXTRA_TIME = 100
MAX_REASON = 500
PER_PAGE = 20


def accommodated_limit(time_limit_seconds: int | None, percent: int) -> int | None:
    """The time limit an accommodated learner gets (None: the quiz is untimed)."""
    if not time_limit_seconds:
        return time_limit_seconds
    return math.ceil(time_limit_seconds * percent / 100)


def extra_time_percent(enrollment: Enrollment) -> int:
    """The percentage of every time limit this enrollment's learner gets (100: none extra)."""
    latest = db.session.scalar(
        select(TimeAccommodation.percent).where(TimeAccommodation.enrollment_id == enrollment.id)
        .order_by(TimeAccommodation.id.desc()).limit(1))
    return latest or NO_EXTRA_TIME


def find_enrollment(actor: User, email: str, course_id: int | None) -> Enrollment:
    """The enrollment of the learner with this e-mail in this course, as the actor may see it.
    Raises NotFound (no such learner or enrollment, or another provider's course)."""
    course = db.session.get(Course, course_id) if course_id else None
    if course is None:
        raise NotFound(_l("Choose one of your courses."), code="course_not_found")
    ensure_may_accommodate(actor, course)
    enrollment = db.session.scalar(
        select(Enrollment).join(User, User.id == Enrollment.user_id)
        .where(User.email == (email or "").strip().lower(), Enrollment.course_id == course.id)
        .order_by(Enrollment.id.desc()).limit(1))
    if enrollment is None:
        raise NotFound(_l("No learner with this e-mail address is enrolled in this course."),
                       code="enrollment_not_found")
    return enrollment


def give_extra_time(actor: User, enrollment: Enrollment, percent: int,
                    reason: str) -> TimeAccommodation:
    """Set the enrollment's extra time (a new row; 100 withdraws it), audited.

    Raises Forbidden/NotFound (see ensure_may_accommodate) and Invalid (422: a percentage not
    offered, or a reason missing or longer than 500 characters). Attempts already running
    keep their deadline; the next attempt gets the new time.
    """
    ensure_may_accommodate(actor, enrollment.course)
    if percent not in PERCENT_CHOICES:
        raise Invalid(_l("Choose one of the extra time options."), code="invalid_field",
                      field="percent")
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_l("Write why this learner gets extra time."), code="missing_field",
                      field="reason")
    if len(reason) > MAX_REASON:
        raise Invalid(_l("The reason has at most %(n)d characters.", n=MAX_REASON),
                      code="invalid_field", field="reason")
    row = TimeAccommodation(enrollment_id=enrollment.id, percent=percent,
                            granted_by_id=actor.id, granted_at=utcnow(), reason=reason)
    db.session.add(row)
    db.session.flush()
    audit.record(actor, "quiz_time.accommodated", "time_accommodation", row.id,
                 enrollment=enrollment.id, user=enrollment.user_id, percent=percent,
                 reason=reason)
    return row


def courses_for(actor: User) -> list[Course]:
    """The courses whose learners the actor may give extra time."""
    query = select(Course).order_by(Course.title)
    if actor.role != Role.ADMIN:
        query = query.where(Course.provider_id == actor.provider_id)
    return list(db.session.scalars(query))


def history(actor: User, page: int) -> Pagination:
    """Every extra-time decision in the actor's courses, newest first."""
    query = (select(TimeAccommodation).join(Enrollment)
             .join(Course, Course.id == Enrollment.course_id)
             .order_by(TimeAccommodation.id.desc()))
    if actor.role != Role.ADMIN:
        query = query.where(Course.provider_id == actor.provider_id)
    return db.paginate(query, page=page, per_page=PER_PAGE, error_out=False)
