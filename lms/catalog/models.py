"""Courses, their versions and the ordered modules a learner studies."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import Provider, User
from lms.clock import utcnow
from lms.db_types import UTCDateTime
from lms.extensions import db


class TrainingType:
    SELF_PACED = "self_paced"  # SPL: the only type Alur delivers; the programme's checks apply
    GENERAL = "general"  # a course outside the programme's SPL rules: its checks are skipped
    WEBINAR = "webinar"
    OFFLINE = "offline"
    ALL = (SELF_PACED, WEBINAR, OFFLINE)
    COURSE_TYPES = (SELF_PACED, GENERAL)


class CourseStatus:
    """A course is `published` once any version is; a version moves draft → in_review →
    published, or back to `returned` (editable again) with the reviewer's notes."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    RETURNED = "returned"
    PUBLISHED = "published"
    EDITABLE = (DRAFT, RETURNED)


class CourseLanguage:
    ALL = ("id", "en")


class ModuleKind:
    VIDEO = "video"
    READING = "reading"
    QUIZ = "quiz"
    ASSIGNMENT = "assignment"
    ALL = (VIDEO, READING, QUIZ, ASSIGNMENT)


class Course(db.Model):
    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    training_type: Mapped[str] = mapped_column(String(20), default=TrainingType.SELF_PACED)
    status: Mapped[str] = mapped_column(String(20), default=CourseStatus.DRAFT)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    language: Mapped[str] = mapped_column(String(5), default="id")
    # Each enrollment's finish-by is its redeem time plus this many days (None: no deadline).
    finish_within_days: Mapped[int | None] = mapped_column()
    # The programme's code for this course: redeem-code answers name it.
    programme_course_code: Mapped[str | None] = mapped_column(String(64), index=True)
    cover_key: Mapped[str | None] = mapped_column(String(500))  # media storage key

    provider: Mapped[Provider] = relationship()
    versions: Mapped[list["CourseVersion"]] = relationship(
        back_populates="course", order_by="CourseVersion.number"
    )

    @property
    def is_published(self) -> bool:
        return self.status == CourseStatus.PUBLISHED

    @property
    def current_version(self) -> "CourseVersion | None":
        """The newest published version: the one new enrollments study."""
        published = [v for v in self.versions if v.status == CourseStatus.PUBLISHED]
        return published[-1] if published else None


class CourseVersion(db.Model):
    """A frozen set of modules; an enrollment keeps the version it started with."""

    __tablename__ = "course_versions"
    __table_args__ = (UniqueConstraint("course_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(20), default=CourseStatus.DRAFT)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_notes: Mapped[str] = mapped_column(Text, default="")  # the reviewer's, when returned

    course: Mapped[Course] = relationship(back_populates="versions")
    modules: Mapped[list["Module"]] = relationship(
        back_populates="version", order_by="Module.position"
    )

    @property
    def is_editable(self) -> bool:
        return self.status in CourseStatus.EDITABLE

    @property
    def content_seconds(self) -> float:
        return sum((m.duration_seconds or 0) + (m.min_dwell_seconds or 0) for m in self.modules)


class Module(db.Model):
    __tablename__ = "modules"
    __table_args__ = (UniqueConstraint("version_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("course_versions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column()
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    required: Mapped[bool] = mapped_column(default=True)
    # Videos: the media duration, set from the probe once the video is ready.
    duration_seconds: Mapped[float | None] = mapped_column()
    # Readings: sanitised HTML and the minimum dwell time (provider-set or derived).
    body: Mapped[str] = mapped_column(Text, default="")
    min_dwell_seconds: Mapped[int | None] = mapped_column()
    # Videos: the asset this module plays, fixed when its version is published (and inherited
    # by the next draft), so a video replaced in a draft never reaches enrolled learners. A
    # plain id, not a foreign key: assets belong to modules, and a ready one is never deleted.
    video_asset_id: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    version: Mapped[CourseVersion] = relationship(back_populates="modules")

    @property
    def course(self) -> Course:
        return self.version.course


class ReviewAction:
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"


class ReviewEvent(db.Model):
    """One step of the programme's review of a version, shown to the provider (and audited)."""

    __tablename__ = "review_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"),
                                           index=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("course_versions.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    notes: Mapped[str] = mapped_column(Text, default="")
    # The checklist's warnings at submission ([{code, message}]), so the reviewer sees them.
    warnings: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    version: Mapped[CourseVersion] = relationship()
    actor: Mapped[User | None] = relationship()
