"""A learner's rating (1–5 stars) and written review of a course they completed."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.catalog.models import Course
from lms.clock import utcnow
from lms.db_types import UTCDateTime
from lms.extensions import db
from lms.learning.models import Enrollment

MIN_STARS = 1
MAX_STARS = 5


class Rating(db.Model):
    """One per enrollment. The review is stored as plain text and escaped wherever shown."""

    __tablename__ = "ratings"
    __table_args__ = (
        CheckConstraint(f"stars >= {MIN_STARS} AND stars <= {MAX_STARS}", name="stars_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id"), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    stars: Mapped[int] = mapped_column()
    review: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    enrollment: Mapped[Enrollment] = relationship()
    user: Mapped[User] = relationship()
    course: Mapped[Course] = relationship()
