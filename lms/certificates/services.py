"""Issuing, finding, revoking certificates and storing their PDFs.

Issuance reacts to `lms.signals.completion_verified` (connected by `lms.listeners`), inside
the transaction that verified the completion — by its checks or an admin; a completed
enrollment whose completion is not verified gets no certificate. It is exactly-once per
enrollment whatever the
concurrency: the row is inserted with ON CONFLICT DO NOTHING against the unique
enrollment_id (see lms.unique_insert), and the loser of a race loads the winner's row.

The PDF is rendered by a background task that must see the committed row: issuance only
notes the certificate in `session.info[PENDING_RENDERS]`, and lms.certificates.tasks queues
the render from the session's after_commit hook.
"""
from __future__ import annotations

import io
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime

from flask import current_app, has_request_context, request
from sqlalchemy import or_, select, update

from lms.accounts.models import User
from lms.admin import audit
from lms.certificates import credentials, errors, keys, numbers, pdf, rules
from lms.certificates.events import certificate_issued, certificate_revoked
from lms.certificates.models import Certificate
from lms.unique_insert import insert_unless_taken
from lms.clock import utcnow
from lms.extensions import db
from lms.i18n import learner_timezone
from lms.learning.models import Enrollment, EnrollmentStatus
from lms.media.storage import NotFound as StorageNotFound
from lms.media.storage import Readable, current_storage
from lms.permissions import certificates as certificate_permissions
from lms.permissions import ensure_enrollment_owner
from lms.verification import services as verification
from lms.verification.models import Completion, CompletionStatus

log = logging.getLogger(__name__)

PENDING_RENDERS = "alur.certificates.pending_renders"
NUMBER_ATTEMPTS = 8
FALLBACK_BASE_URL = "http://localhost:5000"
PDF_LINK_SECONDS = 120


def base_url() -> str:
    """The public origin printed in QR codes and credentials: PUBLIC_BASE_URL, else the origin
    of the request being served (set PUBLIC_BASE_URL in production so a spoofed Host header
    cannot end up on a certificate)."""
    configured = current_app.config.get("PUBLIC_BASE_URL") or ""
    if configured:
        return configured.rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    log.warning("PUBLIC_BASE_URL is not set: certificate links fall back to %s",
                FALLBACK_BASE_URL)
    return FALLBACK_BASE_URL


def certificate_of(enrollment: Enrollment) -> Certificate | None:
    return db.session.scalar(select(Certificate).where(Certificate.enrollment_id == enrollment.id))


def _subject_id(base: str, user_id: int) -> str:
    # A stable pseudonym per learner and site: no e-mail or account id in the credential.
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{base}/learners/{user_id}')}"


def _values(enrollment: Enrollment, number: str, now: datetime) -> dict:
    user, course = enrollment.user, enrollment.course
    base = base_url()
    verify_url = f"{base}/verify/{number}"
    completed_at = enrollment.completed_at or now
    hours = round(enrollment.version.content_seconds / 3600, 2)
    facts = credentials.CredentialFacts(
        number=number, verify_url=verify_url, base_url=base,
        programme_name=current_app.config["PROGRAMME_NAME"],
        subject_id=_subject_id(base, user.id), holder_name=user.name,
        course_title=course.title, course_description=course.description or "",
        course_slug=course.slug, provider_name=course.provider.name,
        provider_slug=course.provider.slug, hours=hours, completed_at=completed_at,
        issued_at=now)
    key = keys.signing_key(current_app._get_current_object(), now)  # type: ignore[attr-defined]
    languages = current_app.config["LANGUAGES"]
    return {
        "number": number, "enrollment_id": enrollment.id, "user_id": user.id,
        "course_id": course.id, "provider_id": course.provider_id, "holder_name": user.name,
        "course_title": course.title, "provider_name": course.provider.name, "hours": hours,
        "completed_at": completed_at, "issued_at": now,
        "locale": user.locale if user.locale in languages
        else current_app.config["BABEL_DEFAULT_LOCALE"],
        "timezone": learner_timezone(user),
        "verify_url": verify_url, "credential": credentials.sign(facts, key),
        "credential_kid": key.kid,
    }


def issue_certificate(enrollment: Enrollment, now: datetime,
                      actor: User | None = None) -> Certificate:
    """The enrollment's certificate, issuing it if there is none yet (idempotent, safe under
    concurrent calls). Raises NotCompleted (409) for an enrollment not completed,
    CompletionNotVerified (409) while its completion is not verified, and
    keys.CredentialKeyMissing when no signing key is configured."""
    existing = certificate_of(enrollment)
    if existing is not None:
        return existing
    rules.ensure_completed(enrollment)
    rules.ensure_verified(verification.completion_status(enrollment))
    for _attempt in range(NUMBER_ATTEMPTS):
        number = numbers.generate(now.year)
        inserted = insert_unless_taken(Certificate.__table__, _values(enrollment, number, now))
        certificate = certificate_of(enrollment)
        if certificate is None:
            continue  # the random number was taken by another certificate: draw again
        if inserted:
            _after_issue(certificate, actor, now)
        return certificate
    raise RuntimeError("no free certificate number after several attempts")


def _after_issue(certificate: Certificate, actor: User | None, now: datetime) -> None:
    audit.record(actor, "certificate.issued", "certificate", certificate.id,
                 number=certificate.number, enrollment=certificate.enrollment_id)
    db.session.info.setdefault(PENDING_RENDERS, set()).add(certificate.id)
    certificate_issued.send(certificate, actor=actor, now=now)


def issue_on_verification(completion: Completion, actor: User | None = None,
                          now: datetime | None = None, **_extra: object) -> None:
    """Receiver of `completion_verified`."""
    enrollment = completion.enrollment
    try:
        issue_certificate(enrollment, now or utcnow(), actor=actor)
    except keys.CredentialKeyMissing as error:
        # An operator's missing key must not cost the learner their completion: it commits,
        # and the certificate follows once a key exists (`flask certificates issue-missing`,
        # or the learner's own request).
        log.error("certificate of enrollment %s not issued: %s", enrollment.id, error)


def completed_without_certificate() -> list[Enrollment]:
    """Completed enrollments with a verified completion and no certificate yet, oldest
    completion first."""
    return list(db.session.scalars(
        select(Enrollment)
        .join(Completion, Completion.enrollment_id == Enrollment.id)
        .outerjoin(Certificate, Certificate.enrollment_id == Enrollment.id)
        .where(Enrollment.status == EnrollmentStatus.COMPLETED, Certificate.id.is_(None),
               Completion.status == CompletionStatus.VERIFIED)
        .order_by(Enrollment.completed_at, Enrollment.id)))


def request_certificate(actor: User, enrollment: Enrollment) -> Certificate:
    """For the learner: the certificate of their completed enrollment, issued now if the
    completion did not issue it. Raises NotFound for another's enrollment, NotCompleted, and
    CertificatesUnavailable (503) while no signing key is configured."""
    ensure_enrollment_owner(actor, enrollment)
    try:
        return issue_certificate(enrollment, utcnow(), actor=actor)
    except keys.CredentialKeyMissing as error:
        log.error("certificate of enrollment %s not issued: %s", enrollment.id, error)
        raise errors.CertificatesUnavailable() from None


def certificate_for_enrollment(actor: User, enrollment: Enrollment) -> Certificate:
    """Raises NotFound for another's enrollment and CertificateNotIssued before issuance."""
    ensure_enrollment_owner(actor, enrollment)
    certificate = certificate_of(enrollment)
    if certificate is None:
        raise errors.CertificateNotIssued()
    return certificate


def find_by_number(text: str) -> Certificate:
    """Look a typed number up. Raises NumberMalformed, NumberMistyped (the check character
    shows a typo) or CertificateNotFound — all 404."""
    try:
        number = numbers.parse(text)
    except numbers.MistypedNumber:
        raise errors.NumberMistyped() from None
    except numbers.MalformedNumber:
        raise errors.NumberMalformed() from None
    certificate = db.session.scalar(select(Certificate).where(Certificate.number == number))
    if certificate is None:
        raise errors.CertificateNotFound()
    return certificate


def revoke_certificate(actor: User, certificate: Certificate, reason: str) -> Certificate:
    """Revoke with a reason, recording who and when. Raises Forbidden unless admin, Invalid
    for a missing reason, AlreadyRevoked (409) if it was revoked before."""
    certificate_permissions.ensure_may_revoke(actor)
    text = rules.clean_reason(reason)
    now = utcnow()
    # The guard in the WHERE clause makes two admins revoking at once end with one revocation.
    changed = db.session.execute(
        update(Certificate)
        .where(Certificate.id == certificate.id, Certificate.revoked_at.is_(None))
        .values(revoked_at=now, revoked_by_id=actor.id, revocation_reason=text)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        raise errors.AlreadyRevoked()
    db.session.refresh(certificate)
    audit.record(actor, "certificate.revoked", "certificate", certificate.id,
                 number=certificate.number, reason=text)
    certificate_revoked.send(certificate, actor=actor, now=now)
    return certificate


def revoke_once(actor: User, certificate: Certificate, reason: str) -> Certificate:
    """Revoke, or do nothing if it is revoked already (the API's repeatable call). Raises
    Forbidden unless admin and Invalid for a missing reason."""
    certificate_permissions.ensure_may_revoke(actor)
    if certificate.is_revoked:
        return certificate
    try:
        return revoke_certificate(actor, certificate, reason)
    except errors.AlreadyRevoked:
        db.session.refresh(certificate)
        return certificate


@dataclass(frozen=True)
class PdfSource:
    """Where the holder gets the PDF: a short-lived direct link (S3) or the bytes themselves."""

    url: str | None = None
    stream: Readable | None = None


def pdf_for_download(actor: User, certificate: Certificate) -> PdfSource | None:
    """The PDF for its holder or an admin; None while it is being prepared (or if it was lost
    from storage: `flask certificates render` makes it again). Raises NotHolder (403) for
    anyone else and CertificateRevoked (410) once revoked."""
    certificate_permissions.ensure_may_download(actor, certificate)
    if certificate.is_revoked:
        raise errors.CertificateRevoked()
    if certificate.pdf_key is None:
        return None
    store = current_storage()
    direct = store.presigned_get(certificate.pdf_key, expires=PDF_LINK_SECONDS)
    if direct:
        return PdfSource(url=direct)
    try:
        return PdfSource(stream=store.open(certificate.pdf_key))
    except StorageNotFound:
        log.error("the PDF of certificate %s is missing from storage", certificate.number)
        return None




def pdf_key(certificate: Certificate) -> str:
    return f"certificates/{certificate.number}.pdf"


def store_pdf(certificate_id: int) -> Certificate | None:
    """Render the certificate's PDF and store it (for the background task; rendering again
    just replaces the file)."""
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None:
        return None
    data = pdf.render_pdf(certificate)
    key = pdf_key(certificate)
    current_storage().save(key, io.BytesIO(data), "application/pdf")
    certificate.pdf_key = key
    certificate.pdf_rendered_at = utcnow()
    db.session.flush()
    return certificate


def certificates_without_pdf(issued_before: datetime | None = None) -> list[int]:
    """Certificates whose PDF is not stored (issued before `issued_before`, when given)."""
    statement = select(Certificate.id).where(Certificate.pdf_key.is_(None))
    if issued_before is not None:
        statement = statement.where(Certificate.issued_at < issued_before)
    return list(db.session.scalars(statement.order_by(Certificate.id)))


def admin_certificates(actor: User, query: str = "", status: str = "", page: int = 1,
                       per_page: int = 25):
    """Certificates for the admin list, newest first, searchable by number or holder."""
    certificate_permissions.ensure_may_revoke(actor)
    statement = select(Certificate).order_by(Certificate.issued_at.desc(), Certificate.id.desc())
    text = query.strip()[:120]
    if text:
        pattern = f"%{text.replace('%', '').replace('_', '')}%"
        statement = statement.where(or_(Certificate.number.ilike(pattern.upper()),
                                        Certificate.holder_name.ilike(pattern),
                                        Certificate.course_title.ilike(pattern)))
    if status == "revoked":
        statement = statement.where(Certificate.revoked_at.is_not(None))
    elif status == "valid":
        statement = statement.where(Certificate.revoked_at.is_(None))
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)
