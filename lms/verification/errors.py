"""Refusals of the completion review."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.errors import Conflict, Invalid, NotFound


class CompletionNotFound(NotFound):
    code = "completion_not_found"
    default_message = _l("No such completion.")


class InvalidDecision(Invalid):
    code = "invalid_decision"
    default_message = _l("Choose “verified” or “rejected”.")


class ReasonRequired(Invalid):
    code = "reason_required"
    default_message = _l("Give the reason for the decision.")


class DecisionConflict(Conflict):
    code = "decision_conflict"
    default_message = _l("Another decision was already made on this completion.")


class InvalidFilter(Invalid):
    code = "invalid_filter"
    default_message = _l("That filter is not valid.")
