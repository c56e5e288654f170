"""What the certificate services refuse, each with its code and sentence."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.errors import AlurError, Conflict, Forbidden, Gone, NotFound


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
