"""Redeem codes, enrollments and each learner's progress through a course's modules."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import Provider, User
from lms.catalog.models import Course, CourseVersion, Module
from lms.clock import utcnow
from lms.db_types import UTCDateTime
from lms.extensions import db


class CodeState:
    FRESH = "fresh"
    USED = "used"
    CANCELLED = "cancelled"


class EnrollmentStatus:
    ACTIVE = "active"
    COMPLETED = "completed"
    EXPIRED = "expired"


class RedeemCode(db.Model):
    """A single-use code a participant bought through the programme for one course."""

    __tablename__ = "redeem_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    training_type: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20), default=CodeState.FRESH)
    # The programme can cancel the purchase behind a code independently of the code itself.
    transaction_cancelled: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    course: Mapped[Course] = relationship()
    provider: Mapped[Provider] = relationship()


class Enrollment(db.Model):
    __tablename__ = "enrollments"
    __table_args__ = (UniqueConstraint("user_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("course_versions.id"))
    redeem_code_id: Mapped[int | None] = mapped_column(ForeignKey("redeem_codes.id"), unique=True)
    status: Mapped[str] = mapped_column(String(20), default=EnrollmentStatus.ACTIVE)
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finish_by: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
    course: Mapped[Course] = relationship()
    version: Mapped[CourseVersion] = relationship()
    progress: Mapped[list["ModuleProgress"]] = relationship(back_populates="enrollment")


class ModuleProgress(db.Model):
    """Where one learner stands in one module. Pacing owns every write to it."""

    __tablename__ = "module_progress"
    __table_args__ = (UniqueConstraint("enrollment_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(
        ForeignKey("enrollments.id", ondelete="CASCADE"), index=True
    )
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    frontier_seconds: Mapped[float] = mapped_column(default=0.0)
    position_seconds: Mapped[float] = mapped_column(default=0.0)
    credited_seconds: Mapped[float] = mapped_column(default=0.0)
    wall_seconds: Mapped[float] = mapped_column(default=0.0)
    delivered_segments: Mapped[str] = mapped_column(Text, default="")
    counted_through: Mapped[datetime | None] = mapped_column(UTCDateTime)  # pacing: latest instant counted
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    enrollment: Mapped[Enrollment] = relationship(back_populates="progress")
    module: Mapped[Module] = relationship()

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None
