"""Writing and checking the hash-chained audit log.

Each entry's hash covers its content and the previous entry's hash, so editing or deleting
any past entry breaks every hash after it; `verify_chain` finds the first break.
"""
from __future__ import annotations

import hashlib
import json

from sqlalchemy import select, text

from lms.accounts.models import User
from lms.admin.models import AuditEntry
from lms.clock import utcnow
from lms.extensions import db

GENESIS = "0" * 64
# Serialises writers on PostgreSQL so two concurrent entries cannot share a predecessor.
_AUDIT_LOCK_KEY = 0x41_4C_55_52


def _digest(entry: AuditEntry) -> str:
    body = json.dumps(
        {
            "at": entry.at.isoformat(),
            "actor": entry.actor_id,
            "action": entry.action,
            "subject": [entry.subject_type, entry.subject_id],
            "data": entry.data,
            "prev": entry.prev_hash,
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(body.encode()).hexdigest()


def hold_chain_lock() -> None:
    """Hold the log's writer lock until the transaction ends (PostgreSQL; SQLite writers are
    serialised already). Domains that must order their own writes take it too, before their
    first write, so the two never wait on each other in opposite orders."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _AUDIT_LOCK_KEY})


def record(actor: User | None, action: str, subject_type: str, subject_id: object,
           **data: object) -> AuditEntry:
    """Append one entry; the caller's transaction commits it with the change it describes."""
    hold_chain_lock()
    prev = db.session.scalar(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1))
    entry = AuditEntry(
        at=utcnow().replace(microsecond=0),
        actor_id=actor.id if actor else None,
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        data=data,
        prev_hash=prev or GENESIS,
    )
    entry.hash = _digest(entry)
    db.session.add(entry)
    db.session.flush()
    return entry


def verify_chain() -> int | None:
    """Return the id of the first entry whose hash or link is wrong, or None if intact."""
    prev = GENESIS
    for entry in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)):
        if entry.prev_hash != prev or _digest(entry) != entry.hash:
            return entry.id
        prev = entry.hash
    return None
