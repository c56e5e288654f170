"""The plain rules of a decision on a completion (who may decide: lms.permissions)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.verification.errors import InvalidDecision, ReasonRequired
from lms.verification.models import CompletionStatus

REASON_MAX_CHARS = 1000


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
