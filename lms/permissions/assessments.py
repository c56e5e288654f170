"""Who may grade skill tasks and give a learner another quiz attempt or extra time."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.accounts.models import Role, User
from lms.assessments.errors import SubmissionNotFound
from lms.catalog.models import Course
from lms.errors import Forbidden, NotFound
from lms.permissions.accounts import has_role, is_provider_staff
from lms.permissions.catalog import may_manage_course
from lms.permissions.derive import ensure_from


def may_grade(user: User | None, course: Course) -> bool:
    """Skill tasks are graded by staff of the course's own provider, nobody else."""
    return is_provider_staff(user) and user.provider_id == course.provider_id


def may_grant_attempt(user: User | None, course: Course) -> bool:
    """Staff of the course's own provider and programme admins may give extra quiz attempts."""
    return may_manage_course(user, course)


def may_accommodate(user: User | None, course: Course) -> bool:
    """The staff who may give extra attempts at a course's quizzes may give extra time too."""
    return may_grant_attempt(user, course)


def is_staff_or_admin(user: User | None) -> bool:
    return has_role(user, Role.PROVIDER, Role.ADMIN)


def _enrollment_not_found() -> NotFound:
    return NotFound(_l("No such enrollment."), code="enrollment_not_found")


ensure_grading_staff = ensure_from(
    is_provider_staff,
    lambda: Forbidden(_l("Only training provider staff grade skill tasks."), code="staff_only"))
_ensure_grades_course = ensure_from(may_grade, SubmissionNotFound)
_ensure_granting_staff = ensure_from(
    is_staff_or_admin,
    lambda: Forbidden(_l("Only training provider staff and programme admins may grant extra "
                         "attempts."), code="staff_only"))
_ensure_grants_for_course = ensure_from(may_grant_attempt, _enrollment_not_found)
_ensure_accommodating_staff = ensure_from(
    is_staff_or_admin,
    lambda: Forbidden(_l("Only training provider staff and programme admins may give extra "
                         "time."), code="staff_only"))
_ensure_accommodates_for_course = ensure_from(may_accommodate, _enrollment_not_found)


def ensure_may_grade(user: User | None, course: Course) -> None:
    """Raises Forbidden for non-staff and SubmissionNotFound (404) for staff of another
    provider, so another provider's learners and work do not leak."""
    ensure_grading_staff(user)
    _ensure_grades_course(user, course)


def ensure_may_grant_attempt(user: User | None, course: Course) -> None:
    """Raises Forbidden for anyone but provider staff and admins, and NotFound for staff of
    another provider, so another provider's learners do not leak."""
    _ensure_granting_staff(user)
    _ensure_grants_for_course(user, course)


def ensure_may_accommodate(user: User | None, course: Course) -> None:
    """Raises Forbidden for anyone but provider staff and admins, and NotFound for staff of
    another provider, so another provider's learners do not leak."""
    _ensure_accommodating_staff(user)
    _ensure_accommodates_for_course(user, course)
