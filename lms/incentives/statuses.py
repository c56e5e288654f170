"""The ledger's statuses and reasons (plain names, shared by the rules and the models)."""
from __future__ import annotations


class EligibilityStatus:
    PENDING_RATING = "pending_rating"
    ELIGIBLE = "eligible"
    PAID = "paid"
    REJECTED = "rejected"
    NOT_ELIGIBLE = "not_eligible"
    CLAWED_BACK = "clawed_back"
    ALL = (PENDING_RATING, ELIGIBLE, PAID, REJECTED, NOT_ELIGIBLE, CLAWED_BACK)


class EligibilityReason:
    NOT_FIRST = "not_first"
    CERTIFICATE_REVOKED = "certificate_revoked"
