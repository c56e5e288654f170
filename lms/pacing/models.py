"""Playback sessions, the append-only evidence of every heartbeat and served segment, and
daily attendance verifications.

The pacing state itself (frontier, credited and counted seconds, delivered segments) lives on
`lms.learning.models.ModuleProgress`, one row per enrollment x module; these tables record how
it got there, so a reviewer can replay any completion.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.catalog.models import Module
from lms.clock import utcnow
from lms.db_types import UTCDateTime
from lms.extensions import db
from lms.learning.models import Enrollment

# SQLite only auto-numbers an INTEGER PRIMARY KEY; PostgreSQL needs 64 bits here (a heartbeat
# every 10 s for a million learners passes 2^31 rows within a programme year).
BIG_ID = BigInteger().with_variant(Integer(), "sqlite")


class SessionKind:
    VIDEO = "video"
    READING = "reading"


class EndReason:
    REPLACED = "replaced"  # the learner opened another session (another tab or device)


class PlaybackSession(db.Model):
    """One visit of the player (or the reading page) to one module.

    At most one is active (`ended_at` is NULL) per learner: opening a session ends the previous
    one, whose heartbeats then answer 410 and whose media URLs stop working. The media facts
    (asset, duration, segment length) are pinned at opening, so a session plays one consistent
    video even if the provider replaces it meanwhile.
    """

    __tablename__ = "playback_sessions"
    __table_args__ = (Index("ix_playback_sessions_user_id_ended_at", "user_id", "ended_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id", ondelete="CASCADE"),
                                               index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"))
    kind: Mapped[str] = mapped_column(String(10))
    asset_id: Mapped[int | None] = mapped_column(ForeignKey("video_assets.id"))
    # Video: the media duration. Reading: the minimum dwell time.
    target_seconds: Mapped[float] = mapped_column()
    segment_seconds: Mapped[float] = mapped_column(default=6.0)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[str | None] = mapped_column(String(20))
    last_seq: Mapped[int] = mapped_column(default=-1)
    last_heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_active: Mapped[bool] = mapped_column(default=False)
    # Reviewers look for many accounts on one device or address.
    client_ip: Mapped[str] = mapped_column(String(45), default="")
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    # The random id the player keeps in the browser's local storage (optional, client-sent).
    device_id: Mapped[str] = mapped_column(String(64), default="")

    user: Mapped[User] = relationship()
    enrollment: Mapped[Enrollment] = relationship()
    module: Mapped[Module] = relationship()

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class EvidenceKind:
    HEARTBEAT = "heartbeat"
    READING = "reading"
    SEGMENT = "segment"


class SegmentOutcome:
    SERVED = "served"
    BEYOND_LOOKAHEAD = "beyond_lookahead"


class PacingEvidence(db.Model):
    """One heartbeat or one segment request as the server judged it. Append-only: the app
    inserts rows and never updates or deletes them."""

    __tablename__ = "pacing_evidence"
    __table_args__ = (
        Index("ix_pacing_evidence_enrollment_id_module_id", "enrollment_id", "module_id"),
    )

    id: Mapped[int] = mapped_column(BIG_ID, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("playback_sessions.id", ondelete="CASCADE"),
                                            index=True)
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id", ondelete="CASCADE"))
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"))
    kind: Mapped[str] = mapped_column(String(10))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    seq: Mapped[int | None] = mapped_column(BigInteger)
    position: Mapped[float | None] = mapped_column()  # as reported (video heartbeats)
    active: Mapped[bool | None] = mapped_column()  # `playing` or `visible` as reported
    rate: Mapped[float | None] = mapped_column()
    segment_index: Mapped[int | None] = mapped_column()
    rendition: Mapped[str | None] = mapped_column(String(20))
    outcome: Mapped[str] = mapped_column(String(24))
    frontier: Mapped[float] = mapped_column(default=0.0)  # after this event
    credited_seconds: Mapped[float] = mapped_column(default=0.0)  # media time credited by it
    wall_seconds: Mapped[float] = mapped_column(default=0.0)  # wall time it added to the count
    detail: Mapped[str] = mapped_column(String(200), default="")  # why, in words


class AttendanceVerification(db.Model):
    """A passed daily verification (the programme's face check) for one local calendar day."""

    __tablename__ = "attendance_verifications"
    __table_args__ = (UniqueConstraint("user_id", "local_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    local_date: Mapped[date] = mapped_column(Date)
    verified_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    source: Mapped[str] = mapped_column(String(20), default="stub")
    reference: Mapped[str] = mapped_column(String(100), default="")
