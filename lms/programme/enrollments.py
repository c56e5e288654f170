"""The programme's side of an enrollment: its code and participant reference."""
from __future__ import annotations

from sqlalchemy import select

from lms.accounts.models import User
from lms.extensions import db
from lms.learning.models import Enrollment, EnrollmentStatus
from lms.programme.connector import ProgrammeCode
from lms.programme.models import ProgrammeEnrollment


def record(enrollment: Enrollment, answer: ProgrammeCode) -> ProgrammeEnrollment:
    """Keep the programme's side of the enrollment, and make the programme's participant
    reference the learner's: the ledger and every report read `User.participant_ref`, and
    "once per person" must hold across two accounts of one programme participant.

    An answer without a reference leaves the account's own Alur reference in place (once per
    account is the most Alur can promise without the programme's identity). A certificate
    takes the reference the learner has when it is issued."""
    if answer.participant_ref:
        enrollment.user.participant_ref = answer.participant_ref
    row = ProgrammeEnrollment(enrollment_id=enrollment.id, user_id=enrollment.user_id,
                              redeem_code=answer.redeem_code,
                              participant_ref=answer.participant_ref,
                              course_code=answer.course_code, redeemed_at=enrollment.enrolled_at)
    db.session.add(row)
    db.session.flush()
    return row


def of_enrollment(enrollment_id: int) -> ProgrammeEnrollment | None:
    return db.session.scalar(select(ProgrammeEnrollment)
                             .where(ProgrammeEnrollment.enrollment_id == enrollment_id))


def studying(user: User) -> ProgrammeEnrollment | None:
    """The learner's programme enrollment that daily attendance is reported for: the newest
    active one (a participant studies one programme course at a time)."""
    return db.session.scalar(
        select(ProgrammeEnrollment).join(Enrollment)
        .where(ProgrammeEnrollment.user_id == user.id,
               Enrollment.status == EnrollmentStatus.ACTIVE)
        .order_by(ProgrammeEnrollment.redeemed_at.desc(), ProgrammeEnrollment.id.desc())
        .limit(1))
