"""The daily face verification with Kartu Prakerja: send the learner to the programme with a
single-use state bound to them and to their local day, and count the day when they come back
only if the programme confirms it (`attendance_status` 1 for that day's sequence)."""
from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta

from flask import current_app, request, url_for
from sqlalchemy import func, select, update

from lms.accounts.models import User
from lms.extensions import db
from lms.i18n import learner_timezone
from lms.pacing import attendance, rules
from lms.programme import connector as programme
from lms.programme import enrollments
from lms.programme.errors import (NoProgrammeEnrollment, VerificationExpired, VerificationFailed,
                                  VerificationNotFound, VerificationOfAnotherLearner,
                                  VerificationUsed)
from lms.programme.models import ProgrammeEnrollment, ProgrammeVerification, VerificationOutcome

PASSED_ATTENDANCE = 1


def state_lifetime() -> timedelta:
    return timedelta(seconds=int(current_app.config.get("PRAKERJA_STATE_SECONDS", 900)))


def sequence_for(enrolled: ProgrammeEnrollment, today: date) -> int:
    """This day's attendance sequence: 1 on the first study day, then one more for each day
    the programme confirmed before today."""
    passed_before = db.session.scalar(
        select(func.count(func.distinct(ProgrammeVerification.local_date)))
        .where(ProgrammeVerification.programme_enrollment_id == enrolled.id,
               ProgrammeVerification.outcome == VerificationOutcome.PASSED,
               ProgrammeVerification.local_date < today))
    return int(passed_before or 0) + 1


def public_url(path: str) -> str:
    base = current_app.config.get("PUBLIC_BASE_URL") or request.host_url
    return base.rstrip("/") + path


def start(user: User, now: datetime, next_path: str = "") -> str:
    """Ask the programme for today's verification address and return it. Raises
    NoProgrammeEnrollment (409) and ProgrammeUnavailable (503; nothing written)."""
    enrolled = enrollments.studying(user)
    if enrolled is None:
        raise NoProgrammeEnrollment()
    today = rules.local_study_date(learner_timezone(user), now)
    sequence = sequence_for(enrolled, today)
    state = secrets.token_urlsafe(24)
    redirect_uri = public_url(url_for("programme.callback", state=state))
    started = programme.current().start_verification(enrolled.redeem_code, redirect_uri,
                                                     user.email, sequence)
    db.session.add(ProgrammeVerification(
        state=state, user_id=user.id, programme_enrollment_id=enrolled.id, local_date=today,
        sequence=sequence, programme_state=started.programme_state, next_path=next_path[:500],
        created_at=now, expires_at=now + state_lifetime()))
    db.session.flush()
    return started.url


def complete(user: User, state: str, now: datetime) -> ProgrammeVerification:
    """The learner is back from the programme. Raises VerificationNotFound (404: unknown or
    forged state), VerificationOfAnotherLearner (403), VerificationUsed (409: replayed),
    VerificationExpired (410: too old, or started on another day), ProgrammeUnavailable
    (503: the state stays usable, so coming back again retries) and VerificationFailed (403:
    the programme did not confirm; the state is spent and the refusal keeps that)."""
    row = db.session.scalar(select(ProgrammeVerification)
                            .where(ProgrammeVerification.state == (state or "")[:64]))
    if row is None or not state:
        raise VerificationNotFound()
    if row.user_id != user.id:
        raise VerificationOfAnotherLearner()
    if row.used_at is not None:
        raise VerificationUsed()
    if now >= row.expires_at or rules.local_study_date(learner_timezone(user), now) \
            != row.local_date:
        raise VerificationExpired()
    answer = programme.current().check_code(row.programme_enrollment.redeem_code, row.sequence)
    passed = answer.refusal is None and answer.attendance_status == PASSED_ATTENDANCE
    outcome = VerificationOutcome.PASSED if passed else VerificationOutcome.FAILED
    table = ProgrammeVerification.__table__
    # The state is spent exactly once, even when the return is loaded twice at once.
    claimed = db.session.execute(
        update(table).where(table.c.id == row.id, table.c.used_at.is_(None))
        .values(used_at=now, outcome=outcome)).rowcount
    db.session.refresh(row)
    if claimed != 1:
        raise VerificationUsed()
    if not passed:
        raise VerificationFailed().keeping_changes()
    attendance.record_verification(user, user, now, source="prakerja", reference=row.state)
    return row
