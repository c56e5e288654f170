"""Who may author, manage and see courses: a provider's staff their own, admins every one."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.accounts.models import Role, User
from lms.catalog.models import Course
from lms.errors import NotFound
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
