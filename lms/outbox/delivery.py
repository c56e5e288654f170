"""Enqueueing messages and delivering them: claim a batch, send, record, retry.

A pass of the worker (`deliver_due`) claims the *head* of each ordering key — its oldest
undelivered message — when that message is due and unclaimed, so a participant's event N+1
never leaves before event N was acknowledged. The claim (attempts + 1, a lease) is committed
before anything is sent; the outcome is committed after. A worker killed in between leaves
the lease to expire and the message to be sent again under the same id: nothing is lost, and
a receiver that de-duplicates by id acts on it once.
"""
from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update

from lms.extensions import db
from lms.outbox import destinations as registry
from lms.outbox.destinations import Destination, Envelope, Outcome
from lms.outbox.models import OutboxEvent
from lms.outbox.schedule import retry_delay

DEFAULT_BATCH = 200
DEFAULT_LEASE_SECONDS = 60


def new_message_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


def enqueue(destination: str, ordering_key: str, event_type: str, body: str,
            now: datetime) -> OutboxEvent:
    """Add a message in the caller's transaction (it leaves only if that commits)."""
    event = OutboxEvent(destination=destination, ordering_key=ordering_key,
                        event_type=event_type, message_id=new_message_id(), body=body,
                        created_at=now, next_attempt_at=now)
    db.session.add(event)
    db.session.flush()
    return event


def _due_heads(names: Iterable[str], now: datetime, limit: int) -> list[int]:
    # The head of each ordering key is its smallest undelivered id: one grouped scan of the
    # waiting messages (a correlated NOT EXISTS degrades to a quadratic plan on stale
    # statistics, as right after a burst of events).
    heads = (select(func.min(OutboxEvent.id))
             .where(OutboxEvent.destination.in_(list(names)), OutboxEvent.delivered_at.is_(None))
             .group_by(OutboxEvent.destination, OutboxEvent.ordering_key))
    return list(db.session.scalars(
        select(OutboxEvent.id)
        .where(OutboxEvent.id.in_(heads), OutboxEvent.next_attempt_at <= now,
               (OutboxEvent.leased_until.is_(None)) | (OutboxEvent.leased_until < now))
        .order_by(OutboxEvent.next_attempt_at, OutboxEvent.id).limit(limit)))


def claim(names: Iterable[str], now: datetime, limit: int = DEFAULT_BATCH,
          lease_seconds: int = DEFAULT_LEASE_SECONDS) -> list[tuple[str, Envelope]]:
    """Claim up to `limit` due heads (the guarded UPDATE lets one worker win each); the caller
    commits before sending."""
    ids = _due_heads(names, now, limit)
    if not ids:
        return []
    rows = db.session.execute(
        update(OutboxEvent)
        .where(OutboxEvent.id.in_(ids), OutboxEvent.delivered_at.is_(None),
               (OutboxEvent.leased_until.is_(None)) | (OutboxEvent.leased_until < now))
        .values(attempts=OutboxEvent.attempts + 1, last_attempt_at=now,
                leased_until=now + timedelta(seconds=lease_seconds))
        .returning(OutboxEvent.id, OutboxEvent.destination, OutboxEvent.message_id,
                   OutboxEvent.event_type, OutboxEvent.body, OutboxEvent.attempts,
                   OutboxEvent.created_at)
        .execution_options(synchronize_session=False)).all()
    return sorted(((row.destination, Envelope(row.id, row.message_id, row.event_type, row.body,
                                              row.attempts, row.created_at)) for row in rows),
                  key=lambda pair: pair[1].id)


def record(outcomes: list[tuple[Envelope, Outcome]], now: datetime) -> None:
    """Write what the attempts gave: acknowledged messages are delivered; the others wait out
    their back-off. The caller commits."""
    delivered = [envelope.id for envelope, outcome in outcomes if outcome.delivered]
    if delivered:
        db.session.execute(update(OutboxEvent).where(OutboxEvent.id.in_(delivered))
                           .values(delivered_at=now, leased_until=None, last_error=None)
                           .execution_options(synchronize_session=False))
    for envelope, outcome in outcomes:
        if not outcome.delivered:
            db.session.execute(
                update(OutboxEvent).where(OutboxEvent.id == envelope.id,
                                          OutboxEvent.delivered_at.is_(None))
                .values(leased_until=None, last_error=outcome.error or "failed",
                        next_attempt_at=now + retry_delay(envelope.attempts))
                .execution_options(synchronize_session=False))


def _send(pair: tuple[Destination, Envelope]) -> Outcome:
    destination, envelope = pair
    try:
        return destination.deliver(envelope)
    except Exception as error:  # a destination's bug must not lose the rest of the batch
        return Outcome(False, f"{type(error).__name__}: {error}"[:500])


def deliver_due(config: Mapping[str, Any], now: datetime, clock=None,
                pool: ThreadPoolExecutor | None = None, limit: int = DEFAULT_BATCH,
                only: Iterable[str] | None = None) -> int:
    """One pass: claim, commit, send (in the pool when given), record, commit. Returns how
    many messages were attempted. `clock` (a callable) timestamps the outcomes; `only` names
    the destinations of this pass (all configured ones when None)."""
    targets = registry.configured(config)
    if only is not None:
        wanted = set(only)
        targets = {name: target for name, target in targets.items() if name in wanted}
    if not targets:
        return 0
    lease = int(config.get("OUTBOX_LEASE_SECONDS") or DEFAULT_LEASE_SECONDS)
    claimed = claim(targets.keys(), now, limit, lease)
    db.session.commit()
    if not claimed:
        return 0
    work = [(targets[name], envelope) for name, envelope in claimed]
    results = list(pool.map(_send, work)) if pool is not None else [_send(w) for w in work]
    record([(envelope, outcome) for (_, envelope), outcome in zip(work, results)],
           clock() if clock else now)
    db.session.commit()
    return len(claimed)


def retry_now(event: OutboxEvent, now: datetime) -> bool:
    """Make an undelivered message due at once (an admin's "retry now"). False if delivered."""
    changed = db.session.execute(
        update(OutboxEvent).where(OutboxEvent.id == event.id, OutboxEvent.delivered_at.is_(None))
        .values(next_attempt_at=now).execution_options(synchronize_session=False)).rowcount
    db.session.refresh(event)
    return changed == 1
