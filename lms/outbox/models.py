"""One message bound for an outside system, and what happened to its delivery attempts."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from lms.clock import utcnow
from lms.db_types import UTCDateTime
from lms.extensions import db


class OutboxEvent(db.Model):
    """The body is stored exactly as it will be sent, so every retry sends the same bytes under
    the same `message_id` and a receiver can de-duplicate on it."""

    __tablename__ = "outbox_events"
    __table_args__ = (
        # Finding the oldest undelivered message of each ordering key (one participant's events
        # go out in order): the queue's main query.
        Index("ix_outbox_events_destination_ordering_key_id", "destination", "ordering_key",
              "delivered_at", "id"),
        Index("ix_outbox_events_delivered_at_next_attempt_at", "delivered_at",
              "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    destination: Mapped[str] = mapped_column(String(40))
    ordering_key: Mapped[str] = mapped_column(String(120))
    event_type: Mapped[str] = mapped_column(String(80))
    message_id: Mapped[str] = mapped_column(String(64), unique=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A worker that claimed the message owns it until then; a worker killed mid-delivery
    # leaves the claim to expire, and the next worker sends the same message again.
    leased_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def state(self) -> str:
        if self.delivered_at is not None:
            return DeliveryState.DELIVERED
        if self.last_error:
            return DeliveryState.FAILING
        return DeliveryState.PENDING


class DeliveryState:
    PENDING = "pending"
    FAILING = "failing"
    DELIVERED = "delivered"
    ALL = (PENDING, FAILING, DELIVERED)
