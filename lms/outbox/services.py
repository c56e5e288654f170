"""What admins see of the outbox and the one thing they may do: retry a message now."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from lms import permissions
from lms.accounts.models import User
from lms.admin import audit
from lms.extensions import db
from lms.outbox import delivery
from lms.outbox.errors import AlreadyDelivered, MessageNotFound
from lms.outbox.models import DeliveryState, OutboxEvent


def _state_filter(statement, state: str, destination: str | None = None):
    if destination is not None:
        statement = statement.where(OutboxEvent.destination == destination)
    if state == DeliveryState.DELIVERED:
        return statement.where(OutboxEvent.delivered_at.is_not(None))
    if state == DeliveryState.FAILING:
        return statement.where(OutboxEvent.delivered_at.is_(None),
                               OutboxEvent.last_error.is_not(None))
    if state == DeliveryState.PENDING:
        return statement.where(OutboxEvent.delivered_at.is_(None),
                               OutboxEvent.last_error.is_(None))
    return statement


def counts(actor: User, destination: str | None = None) -> dict[str, int]:
    permissions.ensure_admin(actor)
    return {state: int(db.session.scalar(_state_filter(select(func.count(OutboxEvent.id)),
                                                       state, destination)) or 0)
            for state in DeliveryState.ALL}


def messages(actor: User, state: str, page: int, per_page: int,
             destination: str | None = None):
    """Messages in one state (all when empty), of one destination (all when None), the most
    recently created first."""
    permissions.ensure_admin(actor)
    statement = _state_filter(select(OutboxEvent), state, destination)
    return db.paginate(statement.order_by(OutboxEvent.id.desc()), page=page, per_page=per_page,
                       error_out=False)


def get_message(actor: User, message_id: int) -> OutboxEvent:
    permissions.ensure_admin(actor)
    event = db.session.get(OutboxEvent, message_id)
    if event is None:
        raise MessageNotFound()
    return event


def retry_now(actor: User, event: OutboxEvent, now: datetime) -> OutboxEvent:
    """Make a waiting message due at once (audited). Raises AlreadyDelivered (409)."""
    permissions.ensure_admin(actor)
    if not delivery.retry_now(event, now):
        raise AlreadyDelivered()
    audit.record(actor, "outbox.retry_now", "outbox_event", event.id,
                 message_id=event.message_id, destination=event.destination,
                 attempts=event.attempts)
    return event
