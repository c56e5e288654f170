"""What Alur keeps of the programme: the programme's code and participant reference of each
enrollment redeemed through it, the daily verifications sent to it, and the calls still to
deliver to it."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.clock import utcnow
from lms.db_types import UTCDateTime
from lms.extensions import db
from lms.learning.models import Enrollment


class ProgrammeEnrollment(db.Model):
    """An enrollment redeemed with a programme code: the code exactly as the programme knows
    it (the key of every later call) and the participant's reference in the programme."""

    __tablename__ = "programme_enrollments"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(
        ForeignKey("enrollments.id", ondelete="CASCADE"), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    redeem_code: Mapped[str] = mapped_column(String(64), unique=True)
    participant_ref: Mapped[str] = mapped_column(String(100), default="")
    course_code: Mapped[str] = mapped_column(String(64), default="")
    redeemed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    enrollment: Mapped[Enrollment] = relationship()


class VerificationOutcome:
    PENDING = "pending"
    PASSED = "passed"
    FAILED = "failed"


class ProgrammeVerification(db.Model):
    """One trip to the programme's face verification: the state Alur put in the return
    address, bound to the learner, their local day and that day's attendance sequence."""

    __tablename__ = "programme_verifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    programme_enrollment_id: Mapped[int] = mapped_column(
        ForeignKey("programme_enrollments.id", ondelete="CASCADE"), index=True)
    local_date: Mapped[date] = mapped_column(Date)
    sequence: Mapped[int] = mapped_column()
    programme_state: Mapped[str] = mapped_column(String(200), default="")
    next_path: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str] = mapped_column(String(20), default=VerificationOutcome.PENDING)

    user: Mapped[User] = relationship()
    programme_enrollment: Mapped[ProgrammeEnrollment] = relationship()


class CallStatus:
    PENDING = "pending"
    DELIVERED = "delivered"


class ProgrammeCall(db.Model):
    """A call to the programme that follows a learner's or staff member's action, written in
    the transaction of that action and delivered by the worker, in order per enrollment."""

    __tablename__ = "programme_calls"
    __table_args__ = (Index("ix_programme_calls_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    ordering_key: Mapped[str] = mapped_column(String(64), index=True)
    payload: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20), default=CallStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
