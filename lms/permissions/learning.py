"""Whose an enrollment is, and which of its modules are open to its learner."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.accounts.models import User
from lms.catalog.models import Module
from lms.errors import NotFound
from lms.learning import progression
from lms.learning.errors import ModuleLocked
from lms.learning.models import Enrollment
from lms.permissions.accounts import is_signed_in
from lms.permissions.derive import ensure_subject_from


def owns_enrollment(user: User | None, enrollment: Enrollment) -> bool:
    return is_signed_in(user) and enrollment.user_id == user.id


# Another learner's enrollment is indistinguishable from a missing one.
ensure_enrollment_owner = ensure_subject_from(
    owns_enrollment, lambda: NotFound(_l("No such enrollment."), code="enrollment_not_found"))


def ensure_module_available(enrollment: Enrollment, module: Module) -> None:
    """Raises NotFound if the module is not part of the enrollment's course version and
    ModuleLocked (403) naming the module to finish first if an earlier required one is open."""
    if module.version_id != enrollment.version_id:
        raise NotFound(_l("No such module in this course."), code="module_not_found")
    blocker = progression.blocking_module(enrollment, module)
    if blocker is not None:
        raise ModuleLocked(
            _l("This module is locked. Finish “%(title)s” first.", title=blocker.title),
            finish_first={"module_id": blocker.id, "position": blocker.position,
                          "title": blocker.title},
        )
