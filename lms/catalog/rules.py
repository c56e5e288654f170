"""Who may do what in the provider studio and the programme's review.

Staff author for their own provider's courses, admins for every provider; anyone else is told
the course does not exist (404) so drafts do not leak. Learners asking for studio pages are
told plainly (403) that these pages are not theirs.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms import permissions
from lms.accounts.models import Role, User
from lms.catalog.errors import CourseNotFound, VersionLocked
from lms.catalog.models import Course, CourseVersion
from lms.errors import Forbidden


def is_staff(user: User | None) -> bool:
    return bool(user and user.is_authenticated and user.role in (Role.PROVIDER, Role.ADMIN))


def ensure_staff(user: User | None) -> None:
    """Raises Forbidden for anyone but provider staff and admins."""
    if not is_staff(user):
        raise Forbidden(_l("Only training provider staff and programme admins may do that."),
                        code="staff_only")


def may_author(user: User | None, course: Course) -> bool:
    return permissions.may_manage_course(user, course)


def ensure_may_author(user: User | None, course: Course | None) -> Course:
    """Raises Forbidden for learners and CourseNotFound for staff of another provider."""
    ensure_staff(user)
    if course is None or not may_author(user, course):
        raise CourseNotFound()
    return course


def may_review(user: User | None) -> bool:
    return permissions.is_admin(user)


def ensure_may_review(user: User | None) -> None:
    """Raises Forbidden unless the user is a programme admin."""
    if not may_review(user):
        raise Forbidden(_l("Only programme admins review courses."), code="admin_only")


def may_edit(version: CourseVersion) -> bool:
    return version.is_editable


def ensure_may_edit(version: CourseVersion) -> None:
    """Raises VersionLocked (409) while the version is in review."""
    if not may_edit(version):
        raise VersionLocked()
