"""Rating and reviewing a completed course, and what provider staff see of the ratings.

The programme pays the incentive only to participants who rated and reviewed their course,
so `has_rated` is what the eligibility rules ask.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from lms import permissions
from lms.accounts.models import User
from lms.catalog.models import Course
from lms.unique_insert import insert_unless_taken
from lms.errors import Invalid
from lms.extensions import db
from lms.learning.models import Enrollment, EnrollmentStatus
from lms.permissions import reviews as review_permissions
from lms.reviews.errors import AlreadyRated, RatingNotFound, RatingNotOpen
from lms.reviews.models import MAX_STARS, MIN_STARS, Rating

MIN_REVIEW = 10
MAX_REVIEW = 2000
# Control characters (except tab and newline) and Unicode direction overrides, which can make
# a review display differently from what was typed.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class CourseSummary:
    course: Course
    count: int
    average: float | None


def clean_stars(value: object) -> int:
    """Whole stars from 1 to 5 (form text or a JSON integer). Raises Invalid (invalid_stars)."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) \
            or not MIN_STARS <= value <= MAX_STARS:
        raise Invalid(_l("Choose from %(low)d to %(high)d stars.", low=MIN_STARS, high=MAX_STARS),
                      code="invalid_stars", field="stars")
    return value


def clean_review(value: object) -> str:
    """The review as plain text: unprintable characters removed, line breaks normalised,
    10 to 2000 characters. Raises Invalid (invalid_review)."""
    if not isinstance(value, str):
        value = ""
    text = _UNPRINTABLE.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if not MIN_REVIEW <= len(text) <= MAX_REVIEW:
        raise Invalid(_l("Write a review of %(low)d to %(high)d characters.", low=MIN_REVIEW,
                         high=MAX_REVIEW), code="invalid_review", field="review")
    return text


def rating_of(enrollment: Enrollment) -> Rating | None:
    return db.session.scalar(select(Rating).where(Rating.enrollment_id == enrollment.id))


def has_rated(enrollment: Enrollment) -> bool:
    """Whether the learner has rated and reviewed this enrollment's course."""
    return db.session.scalar(select(Rating.id).where(Rating.enrollment_id == enrollment.id)) \
        is not None


def rate_course(actor: User, enrollment: Enrollment, stars: object, review: object) -> Rating:
    """Record the learner's rating and review, once. Raises NotFound for another learner's
    enrollment, RatingNotOpen (409) before completion, AlreadyRated (409), Invalid (422)."""
    permissions.ensure_enrollment_owner(actor, enrollment)
    if enrollment.status != EnrollmentStatus.COMPLETED:
        raise RatingNotOpen()
    if has_rated(enrollment):
        raise AlreadyRated()
    values = {"enrollment_id": enrollment.id, "user_id": actor.id,
              "course_id": enrollment.course_id, "stars": clean_stars(stars),
              "review": clean_review(review)}
    # A double-clicked submit races here; the unique enrollment_id lets exactly one through.
    if not insert_unless_taken(Rating.__table__, values):
        raise AlreadyRated()
    rating = rating_of(enrollment)
    assert rating is not None
    return rating


def rating_for(actor: User, enrollment: Enrollment) -> Rating:
    """The learner's own rating. Raises NotFound for another's enrollment or no rating."""
    permissions.ensure_enrollment_owner(actor, enrollment)
    rating = rating_of(enrollment)
    if rating is None:
        raise RatingNotFound()
    return rating


def course_summaries(actor: User, page: int = 1, per_page: int = 20):
    """The courses whose ratings the actor may read (their provider's; all for admins), a
    page of them by title, and each one's number of ratings and average stars."""
    review_permissions.ensure_may_read_ratings(actor)
    statement = select(Course).order_by(Course.title, Course.id)
    if not permissions.is_admin(actor):
        statement = statement.where(Course.provider_id == actor.provider_id)
    courses = db.paginate(statement, page=page, per_page=per_page, error_out=False)
    ids = [c.id for c in courses.items]
    stats = {cid: (n, a) for cid, n, a in db.session.execute(
        select(Rating.course_id, func.count(Rating.id), func.avg(Rating.stars))
        .where(Rating.course_id.in_(ids)).group_by(Rating.course_id))} if ids else {}
    summaries = []
    for course in courses.items:
        n, average = stats.get(course.id, (0, None))
        summaries.append(CourseSummary(course, n, float(average) if average is not None else None))
    return courses, summaries


def course_ratings(actor: User, course: Course, page: int = 1, per_page: int = 20):
    """One course's summary and its ratings, newest first. Raises Forbidden for learners and
    NotFound for staff of another provider (their courses' reviews are not theirs to read)."""
    review_permissions.ensure_may_read_ratings(actor)
    permissions.ensure_may_manage_course(actor, course)
    count, average = db.session.execute(
        select(func.count(Rating.id), func.avg(Rating.stars)).where(Rating.course_id == course.id)
    ).one()
    summary = CourseSummary(course, count, float(average) if average is not None else None)
    ratings = db.paginate(select(Rating).where(Rating.course_id == course.id)
                          .order_by(Rating.created_at.desc(), Rating.id.desc()),
                          page=page, per_page=per_page, error_out=False)
    return summary, ratings
