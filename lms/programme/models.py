"""What Alur keeps of the programme: the programme's code and participant reference of each
enrollment redeemed through it, and the daily verifications sent to it. The calls made to it
after the fact are outbox messages (`outbound.py`)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String
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
