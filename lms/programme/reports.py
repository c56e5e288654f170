"""What the programme is told after the fact, as receivers of the assessment events: the
post-test passed (sequence 999), a skill task handed in, staff feedback on it. Each becomes an
outbound call in the same transaction; enrollments not redeemed through the programme (and
the builtin connector) report nothing."""
from __future__ import annotations

from sqlalchemy import select

from lms.assessments.models import QuizAttempt, QuizRole, QuizSettings, SkillSubmission
from lms.extensions import db
from lms.programme import connector as programme
from lms.programme import enrollments
from lms.programme.outbound import OutboundCall, enqueue
from lms.programme.models import ProgrammeEnrollment

SKILL_TASK_SCOPE = "uk"


def _reported(enrollment_id: int) -> ProgrammeEnrollment | None:
    if not programme.current().checks_codes:
        return None
    return enrollments.of_enrollment(enrollment_id)


def _key(enrolled: ProgrammeEnrollment) -> str:
    return f"enrollment:{enrolled.enrollment_id}"


def _file_of(submission: SkillSubmission) -> dict:
    return {"url_file": submission.url} if submission.url else {"submission_id": submission.id}


def report_quiz_graded(attempt: QuizAttempt, **_: object) -> None:
    if not attempt.passed:
        return
    role = db.session.scalar(select(QuizSettings.role)
                             .where(QuizSettings.module_id == attempt.module_id))
    enrolled = _reported(attempt.enrollment_id) if role == QuizRole.POSTTEST else None
    if enrolled is not None:
        enqueue(OutboundCall("posttest", _key(enrolled), {
            "redeem_code": enrolled.redeem_code, "sequence": programme.POSTTEST_SEQUENCE}))


def report_skill_submitted(submission: SkillSubmission, **_: object) -> None:
    enrolled = _reported(submission.enrollment_id)
    if enrolled is not None:
        enqueue(OutboundCall("submission", _key(enrolled), {
            "redeem_code": enrolled.redeem_code, "scope": SKILL_TASK_SCOPE,
            "sequence": programme.POSTTEST_SEQUENCE, **_file_of(submission)}))


def report_skill_graded(submission: SkillSubmission, **_: object) -> None:
    enrolled = _reported(submission.enrollment_id)
    if enrolled is not None:
        enqueue(OutboundCall("feedback", _key(enrolled), {
            "redeem_code": enrolled.redeem_code, "scope": SKILL_TASK_SCOPE,
            "sequence": programme.POSTTEST_SEQUENCE, "notes": submission.feedback,
            **_file_of(submission)}))
