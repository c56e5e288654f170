"""Who may do what with a certificate, and the errors the certificate services raise."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.accounts.models import User
from lms.certificates.models import Certificate
from lms.errors import AlurError, Conflict, Forbidden, Gone, Invalid, NotFound
from lms.learning.models import Enrollment, EnrollmentStatus
from lms.permissions import ensure_admin, is_admin
from lms.verification.models import CompletionStatus

MIN_REASON = 5
MAX_REASON = 1000


class NotCompleted(Conflict):
    code = "not_completed"
    default_message = _l("The course is not completed yet, so there is no certificate.")


class CertificateNotIssued(NotFound):
    code = "certificate_not_issued"
    default_message = _l("No certificate has been issued for this enrollment yet.")


class CertificateNotFound(NotFound):
    code = "certificate_not_found"
    default_message = _l("There is no certificate with this number.")


class NumberMalformed(NotFound):
    code = "certificate_not_found"
    default_message = _l("This is not a certificate number. Numbers look like "
                         "ALR-2026-7K3M-9QX2-C.")


class NumberMistyped(NotFound):
    code = "number_mistyped"
    default_message = _l("This number looks mistyped: its last character does not match the "
                         "others. Check it against the certificate and try again.")


class AlreadyRevoked(Conflict):
    code = "already_revoked"
    default_message = _l("This certificate has already been revoked.")


class CertificateRevoked(Gone):
    code = "certificate_revoked"
    default_message = _l("This certificate has been revoked, so its PDF is no longer offered.")


class CertificatesUnavailable(AlurError):
    status = 503
    code = "certificates_unavailable"
    default_message = _l("Certificates cannot be issued right now. Your completion is saved; "
                         "try again later.")


class NotHolder(Forbidden):
    code = "not_certificate_holder"
    default_message = _l("Only the holder of this certificate can download it.")


def ensure_completed(enrollment: Enrollment) -> None:
    """Raises NotCompleted (409) unless the enrollment's course is completed."""
    if enrollment.status != EnrollmentStatus.COMPLETED:
        raise NotCompleted()


class CompletionNotVerified(Conflict):
    code = "completion_not_verified"
    default_message = _l("Your completion is still being checked. The certificate follows once "
                         "it is verified.")


def ensure_verified(completion_status: str) -> None:
    """Raises CompletionNotVerified (409) unless the completion review verified it."""
    if completion_status != CompletionStatus.VERIFIED:
        raise CompletionNotVerified()


def may_download(user: User | None, certificate: Certificate) -> bool:
    """The holder, and programme admins who review certificates; nobody else."""
    if user is None or not user.is_authenticated:
        return False
    return user.id == certificate.user_id or is_admin(user)


def ensure_may_download(user: User | None, certificate: Certificate) -> None:
    """Raises NotHolder (403). The number is public (it is on the paper), so answering 403
    rather than 404 reveals nothing new."""
    if not may_download(user, certificate):
        raise NotHolder()


def ensure_may_revoke(user: User | None) -> None:
    """Raises Forbidden (admin_only) unless the user is a programme admin."""
    ensure_admin(user)


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
