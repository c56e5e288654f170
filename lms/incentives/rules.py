"""The ledger's status rules as pure functions: which status an item starts in, and what each
event (a rating, a revocation, the payer's answer) does to it. Services apply the answers with
one guarded UPDATE each; these functions never touch the database."""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from lms.incentives.statuses import EligibilityReason as Reason
from lms.incentives.statuses import EligibilityStatus as S

PAYER_STATUSES = (S.PAID, S.REJECTED)


@dataclass(frozen=True)
class Change:
    """A status to move to from `expected`, with the fields that move with it."""

    expected: str
    status: str
    reason: str | None = None
    recovery_required: bool = False


def initial_status(is_first: bool, rated: bool) -> tuple[str, str | None]:
    """The status (and reason) of a new item: only the participant's first verified completion
    can be eligible, and only once its course is rated."""
    if not is_first:
        return S.NOT_ELIGIBLE, Reason.NOT_FIRST
    return (S.ELIGIBLE, None) if rated else (S.PENDING_RATING, None)


def on_rating(status: str) -> Change | None:
    """The learner rated the course: a first completion waiting for it becomes eligible."""
    return Change(S.PENDING_RATING, S.ELIGIBLE) if status == S.PENDING_RATING else None


def on_revocation(status: str) -> Change | None:
    """The certificate was revoked: whatever the item was, the incentive is clawed back, and
    money already paid must be recovered. Revoked twice changes nothing."""
    if status == S.CLAWED_BACK:
        return None
    return Change(status, S.CLAWED_BACK, Reason.CERTIFICATE_REVOKED,
                  recovery_required=status == S.PAID)


class PayerVerdict(Enum):
    APPLY = "apply"
    NO_OP = "no_op"
    CONFLICT = "conflict"


def payer_verdict(status: str, reference: str | None, requested: str,
                  requested_reference: str) -> PayerVerdict:
    """The payer reports `requested` (paid or rejected) under its `requested_reference`. The
    same report again is a no-op; an eligible item takes it; anything else conflicts (another
    outcome or reference for a settled item, or an item that is not eligible)."""
    if status == requested and reference == requested_reference:
        return PayerVerdict.NO_OP
    if status == S.ELIGIBLE:
        return PayerVerdict.APPLY
    return PayerVerdict.CONFLICT
