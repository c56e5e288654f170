"""The eligibility ledger: one item per certificate of a verified completion."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.clock import utcnow
from lms.db_types import UTCDateTime
from lms.extensions import db
from lms.incentives.statuses import EligibilityReason, EligibilityStatus


class EligibilityItem(db.Model):
    """What the payer needs is copied here at creation (participant, certificate number,
    course, completion date), so the ledger reads without joins and never changes under the
    payer when a course is renamed."""

    __tablename__ = "eligibility_items"
    __table_args__ = (Index("ix_eligibility_items_status_change_seq", "status", "change_seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id"), unique=True)
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    participant_ref: Mapped[str] = mapped_column(String(64), index=True)
    # Set on the participant's first item only: the unique constraint is what lets exactly one
    # item per participant be the one that can become eligible, however many race.
    first_of_participant: Mapped[str | None] = mapped_column(String(64), unique=True)
    certificate_number: Mapped[str] = mapped_column(String(24))
    course_slug: Mapped[str] = mapped_column(String(80))
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(40))
    recovery_required: Mapped[bool] = mapped_column(default=False)
    payer_reference: Mapped[str | None] = mapped_column(String(200))
    # Taken from one counter under one lock at every change, so it grows in commit order:
    # the payer's cursor walks it and never skips an item committed late.
    change_seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()


__all__ = ["EligibilityItem", "EligibilityReason", "EligibilityStatus"]
