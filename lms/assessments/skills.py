"""The skill task ("unjuk keterampilan"): the learner hands in a file or a link, provider staff
answer pass or revise with written feedback, and a pass completes the module."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import BinaryIO

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from lms import permissions
from lms.accounts.models import User
from lms.admin import audit
from lms.assessments import events, files
from lms.assessments.errors import (AlreadyCompleted, AlreadyGraded, FileTooLarge, NotReady,
                                    SubmissionNotFound, SubmissionPending)
from lms.assessments.models import SkillSubmission, SkillTask, SubmissionStatus
from lms.catalog.models import Course, Module, ModuleKind
from lms.clock import utcnow
from lms.errors import Invalid, NotFound
from lms.extensions import db
from lms.learning import completion
from lms.learning import deadlines
from lms.learning.models import Enrollment
from lms.pacing import attendance
from lms.media.storage import UploadTooLarge, current_storage
from lms.permissions import assessments as assessment_permissions

MAX_FEEDBACK = 5000
MAX_NOTE = 2000
KEY_PREFIX = "skill-tasks"


@dataclass(frozen=True)
class Upload:
    """A file as received: the name the learner's device gave it and its bytes."""

    filename: str
    stream: BinaryIO




def max_bytes(task: SkillTask) -> int:
    """The task's own limit, never above the site-wide SKILL_TASK_MAX_MB."""
    ceiling = current_app.config["SKILL_TASK_MAX_MB"]
    return min(task.max_mb or ceiling, ceiling) * 1024 * 1024


def request_limit() -> int:
    """Largest request body a hand-in may have: the site-wide limit plus room for the form."""
    return current_app.config["SKILL_TASK_MAX_MB"] * 1024 * 1024 + 64 * 1024


def task_for(module: Module) -> SkillTask | None:
    return db.session.scalar(select(SkillTask).where(SkillTask.module_id == module.id))


def ready_task(module: Module) -> SkillTask:
    """Raises NotFound for a module that is not an assignment, NotReady if unconfigured."""
    if module.kind != ModuleKind.ASSIGNMENT:
        raise NotFound(_l("This module is not a skill task."), code="not_a_skill_task")
    task = task_for(module)
    if task is None:
        raise NotReady()
    return task


def history(enrollment: Enrollment, module: Module) -> list[SkillSubmission]:
    """Every hand-in of this learner for this task, newest first."""
    return list(db.session.scalars(select(SkillSubmission).where(
        SkillSubmission.enrollment_id == enrollment.id, SkillSubmission.module_id == module.id
    ).order_by(SkillSubmission.number.desc())))


def ensure_may_submit(latest: SkillSubmission | None) -> None:
    """Raises SubmissionPending while the last hand-in awaits feedback and AlreadyCompleted
    once it passed; a first hand-in or one after "revise" is allowed."""
    if latest is None or latest.status == SubmissionStatus.REVISE:
        return
    if latest.status == SubmissionStatus.PENDING:
        raise SubmissionPending()
    raise AlreadyCompleted(_l("Your skill task has already passed."))


def submit(user: User, enrollment: Enrollment, module: Module, *, url: str | None = None,
           upload: Upload | None = None, note: str = "") -> SkillSubmission:
    """Hand in the skill task: exactly one of a link or a file.

    Raises NotFound (someone else's enrollment, another course's module, not a skill task),
    ModuleLocked, DeadlinePassed (403), NotReady, SubmissionPending, AlreadyCompleted (409),
    Invalid (422: neither or both given, a bad link, links not accepted, note too long),
    UnsupportedFile (422: extension or content not an accepted kind), FileTooLarge (413).
    Nothing is stored when it is refused.
    """
    permissions.ensure_enrollment_owner(user, enrollment)
    permissions.ensure_module_available(enrollment, module)
    task = ready_task(module)
    now = utcnow()
    deadlines.ensure_before_deadline(enrollment, now)
    attendance.ensure_attended(user, now)
    previous = history(enrollment, module)
    ensure_may_submit(previous[0] if previous else None)
    if (url is None) == (upload is None):
        raise Invalid(_l("Hand in either a file or a link (one of them)."),
                      code="missing_field")
    if len(note or "") > MAX_NOTE:
        raise Invalid(_l("The note has at most %(n)d characters.", n=MAX_NOTE),
                      code="invalid_field", field="note")
    submission = SkillSubmission(enrollment_id=enrollment.id, module_id=module.id,
                                 number=len(previous) + 1, submitted_at=now,
                                 note=(note or "").strip(), status=SubmissionStatus.PENDING)
    if url is not None:
        if not task.allow_link:
            raise Invalid(_l("This task asks for a file, not a link."), code="links_not_accepted",
                          field="url")
        submission.url = files.check_url(url)
    else:
        _store(task, enrollment, upload, submission)
    try:
        with db.session.begin_nested():
            db.session.add(submission)
    except IntegrityError:
        # The same hand-in sent twice at once: the other copy won.
        _discard(submission)
        raise SubmissionPending() from None
    completion.progress_for(enrollment, module, now)
    events.skill_submitted.send(submission, now=now)
    return submission


def _store(task: SkillTask, enrollment: Enrollment, upload: Upload,
           submission: SkillSubmission) -> None:
    kind = files.check_upload(upload.filename, upload.stream, task.kinds)
    key = (f"{KEY_PREFIX}/{enrollment.course_id}/{enrollment.id}/{task.module_id}/"
           f"{uuid.uuid4().hex}{files.FILE_KINDS[kind][0][0]}")
    try:
        size = current_storage().save(key, upload.stream, files.content_type_for(kind),
                              max_bytes=max_bytes(task))
    except UploadTooLarge:
        raise FileTooLarge(_l("The file is larger than %(n)d MB.",
                              n=max_bytes(task) // (1024 * 1024))) from None
    if size == 0:
        current_storage().delete(key)
        raise Invalid(_l("The file is empty."), code="empty_file", field="file")
    submission.file_key = key
    submission.file_name = files.display_name(upload.filename)
    submission.file_kind = kind
    submission.file_size = size


def _discard(submission: SkillSubmission) -> None:
    if submission.file_key:
        current_storage().delete(submission.file_key)


# --- Grading ------------------------------------------------------------------------------

def get_for_grading(user: User, submission_id: int) -> SkillSubmission:
    """Raises Forbidden for non-staff and SubmissionNotFound for a missing submission or one
    of another provider's course."""
    assessment_permissions.ensure_grading_staff(user)
    submission = db.session.get(SkillSubmission, submission_id)
    if submission is None:
        raise SubmissionNotFound()
    assessment_permissions.ensure_may_grade(user, submission.enrollment.course)
    return submission


def get_for_viewing(user: User, submission_id: int) -> SkillSubmission:
    """The hand-in for its learner or its course's staff. Raises SubmissionNotFound for
    anyone else, so whether it exists does not leak."""
    submission = db.session.get(SkillSubmission, submission_id)
    if submission is None or not user.is_authenticated or not (
            submission.enrollment.user_id == user.id
            or assessment_permissions.may_grade(user, submission.enrollment.course)):
        raise SubmissionNotFound()
    return submission


def grade(user: User, submission: SkillSubmission, decision: str,
          feedback: str) -> SkillSubmission:
    """Answer a pending hand-in with pass or revise and written feedback (required: the
    programme receives feedback notes, not a score). A pass completes the module and, when it
    was the last requirement, the course.

    Raises Forbidden / SubmissionNotFound (not this provider's staff), Invalid (unknown
    decision, missing or too long feedback), AlreadyGraded (409: graded meanwhile, or twice).
    """
    assessment_permissions.ensure_may_grade(user, submission.enrollment.course)
    if decision not in (SubmissionStatus.PASSED, SubmissionStatus.REVISE):
        raise Invalid(_l("Choose pass or revise."), code="invalid_decision", field="decision")
    feedback = (feedback or "").strip()
    if not feedback:
        raise Invalid(_l("Write feedback for the learner."), code="missing_field",
                      field="feedback")
    if len(feedback) > MAX_FEEDBACK:
        raise Invalid(_l("Feedback has at most %(n)d characters.", n=MAX_FEEDBACK),
                      code="invalid_field", field="feedback")
    now = utcnow()
    table = SkillSubmission.__table__
    # Two staff members answering at once: the first answer stands.
    claimed = db.session.execute(
        update(table).where(table.c.id == submission.id,
                            table.c.status == SubmissionStatus.PENDING)
        .values(status=decision, feedback=feedback, reviewed_at=now, reviewer_id=user.id)
    ).rowcount
    db.session.refresh(submission)
    if claimed != 1:
        raise AlreadyGraded()
    audit.record(user, "skill_task.graded", "skill_submission", submission.id,
                 decision=decision, enrollment=submission.enrollment_id,
                 module=submission.module_id)
    events.skill_graded.send(submission, actor=user, now=now)
    if decision == SubmissionStatus.PASSED:
        completion.mark_module_completed(submission.enrollment, submission.module, now,
                                         actor=user)
    return submission


def queue(user: User, status: str = SubmissionStatus.PENDING, page: int = 1,
          per_page: int = 20):
    """Hand-ins to the staff member's own provider's courses, oldest waiting first (graded
    ones newest first). Raises Forbidden for anyone but provider staff."""
    assessment_permissions.ensure_grading_staff(user)
    query = (select(SkillSubmission)
             .join(Enrollment, Enrollment.id == SkillSubmission.enrollment_id)
             .join(Course, Course.id == Enrollment.course_id)
             .where(Course.provider_id == user.provider_id))
    if status in SubmissionStatus.ALL:
        query = query.where(SkillSubmission.status == status)
    if status == SubmissionStatus.PENDING:
        query = query.order_by(SkillSubmission.submitted_at, SkillSubmission.id)
    else:
        query = query.order_by(SkillSubmission.submitted_at.desc(), SkillSubmission.id.desc())
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def pending_count(user: User) -> int:
    return queue(user, SubmissionStatus.PENDING, 1, 1).total or 0


def open_file(submission: SkillSubmission) -> tuple[BinaryIO, str, str]:
    """The stored file's stream, download name and content type. Raises NotFound for a link
    hand-in or a file no longer in storage."""
    if not submission.file_key:
        raise SubmissionNotFound(_l("This hand-in is a link, not a file."))
    try:
        stream = current_storage().open(submission.file_key)
    except FileNotFoundError:
        raise SubmissionNotFound(_l("The file is no longer available.")) from None
    return stream, submission.file_name or "file", files.content_type_for(submission.file_kind)
