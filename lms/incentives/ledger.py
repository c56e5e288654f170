"""Writing the ledger: every change takes the next change number under one lock, is one
guarded UPDATE (… WHERE status = expected), is audited, and enqueues its event to the payer,
all in the caller's transaction.

The lock is the audit log's own (its entries are written in the same transactions, so one
lock order serves both and no two writers can deadlock). Held until commit, it makes
`change_seq` grow in commit order on PostgreSQL; SQLite writers are serialised anyway.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone

from sqlalchemy import func, select, update

from lms.accounts.models import User
from lms.admin import audit
from lms.extensions import db
from lms.incentives.models import EligibilityItem
from lms.incentives.rules import Change
from lms.outbox.delivery import enqueue

PAYER_DESTINATION = "payer"


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def item_record(item: EligibilityItem) -> dict:
    """The item as the payer sees it, in the API and in webhook events alike."""
    return {"eligibility_id": item.id, "participant_ref": item.participant_ref,
            "certificate_number": item.certificate_number, "course_slug": item.course_slug,
            "completed_at": iso(item.completed_at), "status": item.status,
            "reason": item.reason, "recovery_required": item.recovery_required,
            "payer_reference": item.payer_reference, "changed_at": iso(item.changed_at)}


def lock_ledger() -> None:
    """Serialise ledger writers until commit (see the module's docstring)."""
    audit.hold_chain_lock()


def next_change_seq() -> int:
    lock_ledger()
    return int(db.session.scalar(select(func.coalesce(func.max(EligibilityItem.change_seq), 0)))
               ) + 1


def announce(item: EligibilityItem, actor: User | None, now: datetime, **detail: object) -> None:
    """Audit the item's new status and enqueue its event for the payer."""
    audit.record(actor, f"eligibility.{item.status}", "eligibility", item.id,
                 participant=item.participant_ref, certificate=item.certificate_number,
                 **detail)
    event_type = f"eligibility.{item.status}"
    body = json.dumps({"type": event_type, "timestamp": iso(now), "data": item_record(item)},
                      separators=(",", ":"), sort_keys=True)
    enqueue(PAYER_DESTINATION, f"participant:{item.participant_ref}", event_type, body, now)


def apply(item: EligibilityItem, change: Change, actor: User | None, now: datetime,
          **values: object) -> bool:
    """Move the item as `change` says if it is still in `change.expected`; False otherwise."""
    seq = next_change_seq()
    moved = db.session.execute(
        update(EligibilityItem)
        .where(EligibilityItem.id == item.id, EligibilityItem.status == change.expected)
        .values(status=change.status, reason=change.reason,
                recovery_required=change.recovery_required, change_seq=seq, changed_at=now,
                **values)
        .execution_options(synchronize_session=False)).rowcount
    db.session.refresh(item)
    if moved != 1:
        return False
    announce(item, actor, now, previous=change.expected)
    return True
