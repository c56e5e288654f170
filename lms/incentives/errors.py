"""Refusals of the eligibility ledger and the payer's API."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.errors import Conflict, Forbidden, Invalid, NotFound


class PayerOnly(Forbidden):
    code = "payer_only"
    default_message = _l("Only the incentive payer and programme admins may do that.")


class EligibilityNotFound(NotFound):
    code = "eligibility_not_found"
    default_message = _l("No such eligibility item.")


class StatusConflict(Conflict):
    code = "status_conflict"
    default_message = _l("This item's status cannot change that way.")


class InvalidStatus(Invalid):
    code = "invalid_status"
    default_message = _l("The status must be “paid” or “rejected”.")


class InvalidReference(Invalid):
    code = "invalid_reference"
    default_message = _l("Give the payer's reference (1 to 200 characters).")


class InvalidFilter(Invalid):
    code = "invalid_status"
    default_message = _l("Unknown eligibility status.")


class InvalidLimit(Invalid):
    code = "invalid_limit"
    default_message = _l("The limit must be a whole number from 1 to 500.")


class InvalidCursor(Invalid):
    code = "invalid_cursor"
    default_message = _l("The cursor is not valid; start again without one.")
