"""Who may review completions, and the plain rules of a decision.

Lives here until access rules move into a package of their own; the lead moves it then.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.accounts.models import User
from lms.errors import Forbidden
from lms.permissions import is_admin
from lms.verification.errors import InvalidDecision, ReasonRequired
from lms.verification.models import CompletionStatus

REASON_MAX_CHARS = 1000


def may_review_completions(user: User | None) -> bool:
    """Programme admins, and no one else, see evidence of other people and decide on it."""
    return is_admin(user)


def ensure_may_review_completions(user: User | None) -> None:
    if not may_review_completions(user):
        raise Forbidden(_l("Only programme admins may review completions."), code="admin_only")


def clean_decision(value: object) -> str:
    if value not in CompletionStatus.DECISIONS:
        raise InvalidDecision()
    return str(value)


def clean_reason(value: object) -> str:
    """The reason, stripped; required, at most REASON_MAX_CHARS characters."""
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise ReasonRequired()
    if len(text) > REASON_MAX_CHARS:
        raise ReasonRequired(_l("The reason has at most %(n)d characters.", n=REASON_MAX_CHARS))
    return text


def is_no_op(current_status: str, decided: bool, decision: str) -> bool:
    """Repeating the decision already in force changes nothing (an automatic verification
    counts as a decision to verify)."""
    return current_status == decision and (decided or decision == CompletionStatus.VERIFIED)


def may_decide_now(current_status: str, decided: bool) -> bool:
    """Open for a decision: not yet decided and not verified by its checks."""
    return not decided and current_status in (CompletionStatus.PENDING, CompletionStatus.FLAGGED)
