"""The catalog's refusals: each with its machine code and a sentence in the user's language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.errors import Conflict, Invalid, NotFound, TooLarge


class CourseNotFound(NotFound):
    code = "course_not_found"
    default_message = _l("No such course.")


class ModuleNotFound(NotFound):
    code = "module_not_found"
    default_message = _l("No such module.")


class VersionLocked(Conflict):
    """The version waits for the programme's review (or is published): it is not edited."""

    code = "version_locked"
    default_message = _l("This version is in review, so it cannot be changed now. Wait for "
                         "the programme's decision.")


class NotInReview(Conflict):
    code = "not_in_review"
    default_message = _l("This course is not waiting for review.")


class CourseIncomplete(Invalid):
    """The checklist found problems; `problems` lists them as [{code, message}]."""

    code = "course_incomplete"
    default_message = _l("The course is not ready for review yet. Fix the problems listed.")


class InvalidPackage(Invalid):
    """A course package was refused; `problems` lists every one as [{path, message}]."""

    code = "invalid_package"
    default_message = _l("The course package is not valid. Nothing was created.")


class NotPublished(Conflict):
    code = "course_not_published"
    default_message = _l("Codes are issued only for a published course.")


class CoverTooLarge(TooLarge):
    default_message = _l("The cover image is larger than the limit.")


class PackageTooLarge(TooLarge):
    default_message = _l("The package is larger than the limit.")


class ImageTooLarge(TooLarge):
    default_message = _l("The image is larger than the limit.")


class ImageNotFound(NotFound):
    code = "image_not_found"
    default_message = _l("No such image.")


class NotAReading(Invalid):
    code = "not_a_reading"
    default_message = _l("Images are added to reading modules only.")
