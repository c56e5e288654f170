"""Who may author, manage and see courses: a provider's staff their own, admins every one."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.accounts.models import Role, User
from lms.catalog.errors import CourseNotFound, ImageNotFound, VersionLocked
from lms.catalog.models import Course, CourseVersion
from lms.errors import Forbidden, NotFound
from lms.permissions.accounts import has_role, is_admin
from lms.permissions.derive import ensure_from


def may_author_for(user: User | None, provider_id: int) -> bool:
    """Provider staff author for their own provider only; admins for any."""
    return is_admin(user) or (has_role(user, Role.PROVIDER) and user.provider_id == provider_id)


def may_manage_course(user: User | None, course: Course) -> bool:
    return may_author_for(user, course.provider_id)


def may_view_course(user: User | None, course: Course) -> bool:
    """Published courses are public; drafts only for the people who manage them."""
    return course.is_published or may_manage_course(user, course)


# NotFound rather than Forbidden: another provider's drafts must not be seen to exist.
ensure_may_manage_course = ensure_from(may_manage_course,
                                       lambda: NotFound(code="course_not_found"))
ensure_may_view_course = ensure_from(
    may_view_course, lambda: NotFound(_l("No such course."), code="course_not_found"))


# --- the provider studio and the programme's review ------------------------------------------
# Staff author their own provider's courses, admins every one; learners are told plainly (403)
# that studio pages are not theirs, staff of another provider that the course does not exist.

def is_staff(user: User | None) -> bool:
    return has_role(user, Role.PROVIDER) or is_admin(user)


ensure_staff = ensure_from(is_staff, lambda: Forbidden(
    _l("Only training provider staff and programme admins may do that."), code="staff_only"))


def may_author(user: User | None, course: Course) -> bool:
    return may_manage_course(user, course)


def ensure_may_author(user: User | None, course: Course | None) -> Course:
    """Raises Forbidden for learners and CourseNotFound for staff of another provider."""
    ensure_staff(user)
    if course is None or not may_author(user, course):
        raise CourseNotFound()
    return course


def may_review(user: User | None) -> bool:
    return is_admin(user)


ensure_may_review = ensure_from(may_review, lambda: Forbidden(
    _l("Only programme admins review courses."), code="admin_only"))


def may_edit(version: CourseVersion) -> bool:
    """A version is edited while it is a draft or was returned, never in review or once
    published."""
    return version.is_editable


ensure_may_edit = ensure_from(may_edit, VersionLocked)


def may_see_reading_image(user: User | None, course: Course, enrolled_with_image: bool) -> bool:
    """A reading's image is seen by whoever may see the reading: the course's staff and admins
    (editing and previewing), and learners enrolled in a version whose readings show it."""
    return may_manage_course(user, course) or enrolled_with_image


# NotFound: whether an image exists in another course's readings is not told.
ensure_may_see_reading_image = ensure_from(may_see_reading_image, ImageNotFound)
