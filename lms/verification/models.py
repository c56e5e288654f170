"""A completion under review: one per completed enrollment, with the flags its checks raised
and the admin's decision."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.catalog.models import Course
from lms.clock import utcnow
from lms.db_types import UTCDateTime
from lms.extensions import db
from lms.learning.models import Enrollment


class CompletionStatus:
    PENDING = "pending"  # completed, checks not run yet
    FLAGGED = "flagged"  # a check raised a flag: an admin decides
    VERIFIED = "verified"  # no flag, or an admin verified it
    REJECTED = "rejected"  # an admin rejected it: no certificate, ever

    ALL = (PENDING, FLAGGED, VERIFIED, REJECTED)
    DECISIONS = (VERIFIED, REJECTED)


#: What an enrollment without a completion row answers in the API.
NO_COMPLETION = "none"


class Completion(db.Model):
    __tablename__ = "completions"
    __table_args__ = (
        # The review queue: one status, newest first.
        Index("ix_completions_status_completed_at", "status", "completed_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Unique: one completion per enrollment however often the completion signal is replayed.
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id"), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), default=CompletionStatus.PENDING)
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Who completed it (the learner, or staff grading the last skill task): an automatic
    # verification acts on their behalf.
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # [{"code": ..., "detail": ...}, ...] as the checks raised them.
    flags: Mapped[list] = mapped_column(JSON, default=list)
    # The codes joined with commas, so the queue can filter by flag with a plain LIKE.
    flag_codes: Mapped[str] = mapped_column(String(200), default="")
    # The evidence totals the checks saw (seconds, counts), shown to reviewers and the API.
    evidence: Mapped[dict] = mapped_column(JSON, default=dict)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision_reason: Mapped[str | None] = mapped_column(Text)

    enrollment: Mapped[Enrollment] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    completed_by: Mapped[User | None] = relationship(foreign_keys=[completed_by_id])
    course: Mapped[Course] = relationship()
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    @property
    def is_decided(self) -> bool:
        return self.decided_at is not None
