from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from lms.clock import utcnow
from lms.db_types import UTCDateTime
from lms.extensions import db


class LearnerPreference(db.Model):
    """One row per user who changed a setting; no row means the defaults (data saver off)."""

    __tablename__ = "learner_preferences"
    __table_args__ = (CheckConstraint("data_saver_height IS NULL OR data_saver_height IN (240, 360)",
                                      name="data_saver_height_known"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    # The tallest video rung the player may fetch; None plays the whole ladder.
    data_saver_height: Mapped[int | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
