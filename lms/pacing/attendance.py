"""Daily attendance (rule 8): where the programme requires it (`ATTENDANCE_REQUIRED` with the
builtin connector, always with Kartu Prakerja), the first study activity of each of the
learner's calendar days waits for a passed verification.

With the builtin connector the learner confirms on the self-check page in `lms.pacing.views`;
with Kartu Prakerja the programme's face check does (`lms.programme.verification`), and both
end in `record_verification`.
"""
from __future__ import annotations

from datetime import date, datetime

from flask import has_request_context, url_for
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from lms import permissions
from lms.accounts.models import User
from lms.extensions import db
from lms.i18n import learner_timezone
from lms.pacing import rules
from lms.pacing.errors import AttendanceRequired, SelfVerificationClosed
from lms.pacing.models import AttendanceVerification
from lms.programme import connector as programme


def required() -> bool:
    return programme.current().attendance_required()


def last_verified_on(user: User) -> date | None:
    return db.session.scalar(select(func.max(AttendanceVerification.local_date))
                             .where(AttendanceVerification.user_id == user.id))


def needs_verification(user: User, now: datetime) -> bool:
    """Whether the learner must verify before studying now. No query when not required."""
    if not required():
        return False
    return rules.needs_attendance_check(last_verified_on(user), learner_timezone(user), now, True)


def verify_url(next_path: str | None = None) -> str:
    endpoint = "pacing.attendance" if programme.current().allows_self_verification \
        else "programme.verify"
    if not has_request_context():
        return "/attendance/verify" if endpoint == "pacing.attendance" else "/programme/verify"
    return url_for(endpoint, next=next_path or None)


def ensure_attended(user: User, now: datetime, next_path: str | None = None) -> None:
    """Raises AttendanceRequired (403, carrying `verify_url`) when today's verification is
    missing and the programme requires one."""
    if needs_verification(user, now):
        raise AttendanceRequired(verify_url=verify_url(next_path))


def attendance_error(user: User, now: datetime) -> AttendanceRequired | None:
    """The refusal `ensure_attended` would raise, as a value (for the heartbeat path, which
    records its evidence before answering)."""
    if needs_verification(user, now):
        return AttendanceRequired(verify_url=verify_url())
    return None


def record_own_verification(learner: User, now: datetime) -> AttendanceVerification:
    """The self-check button of the builtin connector. Raises SelfVerificationClosed (404)
    where the programme verifies faces itself."""
    if not programme.current().allows_self_verification:
        raise SelfVerificationClosed()
    return record_verification(learner, learner, now)


def record_verification(actor: User, learner: User, now: datetime, source: str = "stub",
                        reference: str = "") -> AttendanceVerification:
    """Record a passed verification for the learner's current local day (idempotent: a second
    call that day returns the first row). The learner records their own (the stub page, the
    connector acting on their return); an admin may record one for them. Raises Forbidden
    (admin_only) when anyone else tries."""
    if actor.id != learner.id:
        permissions.ensure_admin(actor)
    today = rules.local_study_date(learner_timezone(learner), now)
    query = select(AttendanceVerification).where(AttendanceVerification.user_id == learner.id,
                                                 AttendanceVerification.local_date == today)
    existing = db.session.scalar(query)
    if existing is not None:
        return existing
    row = AttendanceVerification(user_id=learner.id, local_date=today, verified_at=now,
                                 source=source[:20], reference=reference[:100])
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        # Two tabs verified at once: the other one's row stands.
        row = db.session.scalars(query.execution_options(populate_existing=True)).one()
    return row
