"""Who may do what with a certificate, and the errors the certificate services raise."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.certificates.errors import NotCompleted
from lms.errors import Invalid
from lms.learning.models import Enrollment, EnrollmentStatus

MIN_REASON = 5
MAX_REASON = 1000


def ensure_completed(enrollment: Enrollment) -> None:
    """Raises NotCompleted (409) unless the enrollment's course is completed."""
    if enrollment.status != EnrollmentStatus.COMPLETED:
        raise NotCompleted()


def clean_reason(reason: str | None) -> str:
    """The revocation reason, trimmed. Raises Invalid (reason_required / reason_too_long)."""
    text = (reason or "").strip()
    if len(text) < MIN_REASON:
        raise Invalid(_l("Give the reason for revoking (at least %(n)d characters).",
                         n=MIN_REASON), code="reason_required", field="reason")
    if len(text) > MAX_REASON:
        raise Invalid(_l("The reason has at most %(n)d characters.", n=MAX_REASON),
                      code="reason_too_long", field="reason")
    return text
