"""What rating a course can refuse."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.errors import Conflict, NotFound


class AlreadyRated(Conflict):
    code = "already_rated"
    default_message = _l("You have already rated this course.")


class RatingNotOpen(Conflict):
    code = "not_completed"
    default_message = _l("You can rate the course once you have completed it.")


class RatingNotFound(NotFound):
    code = "rating_not_found"
    default_message = _l("You have not rated this course yet.")
