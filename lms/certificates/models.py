"""The certificate: one per enrollment, a snapshot of what it certifies, and its revocation."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.clock import utcnow
from lms.db_types import UTCDateTime
from lms.i18n import default_timezone
from lms.extensions import db
from lms.learning.models import Enrollment


class CertificateStatus:
    VALID = "valid"
    REVOKED = "revoked"


class Certificate(db.Model):
    """What was certified is copied at issuance (name, course, provider, hours, date), so a
    later rename of the course or the account cannot change a certificate already handed to
    an employer; the signed credential covers the same values."""

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    # The unique constraint is what makes issuance exactly-once under concurrent requests.
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id"), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    holder_name: Mapped[str] = mapped_column(String(120))
    course_title: Mapped[str] = mapped_column(String(200))
    provider_name: Mapped[str] = mapped_column(String(200))
    hours: Mapped[float] = mapped_column()
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    locale: Mapped[str] = mapped_column(String(5), default="id")
    timezone: Mapped[str] = mapped_column(String(40), default=default_timezone)
    verify_url: Mapped[str] = mapped_column(String(500))
    credential: Mapped[str] = mapped_column(Text)
    credential_kid: Mapped[str] = mapped_column(String(80))
    pdf_key: Mapped[str | None] = mapped_column(String(300))
    pdf_rendered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revocation_reason: Mapped[str | None] = mapped_column(Text)

    enrollment: Mapped[Enrollment] = relationship()
    holder: Mapped[User] = relationship(foreign_keys=[user_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])

    @property
    def status(self) -> str:
        return CertificateStatus.REVOKED if self.revoked_at else CertificateStatus.VALID

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def pdf_ready(self) -> bool:
        return self.pdf_key is not None
