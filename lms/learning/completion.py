"""Module and course completion: the one place where an enrollment becomes `completed`.

Pacing calls `mark_module_completed` when a video or reading completes under its rules,
assessments call it when a quiz is passed or a skill task is graded pass. The course
completion rule — every required module complete, every post-test passed, every skill task
passed — is checked here after each module completion, and the `course_completed` signal is
sent exactly once per enrollment, even when two completions race.

Both functions flush and never commit: the caller's request, task or command commits once.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from lms import signals
from lms.accounts.models import User
from lms.admin import audit
from lms.catalog.models import Module
from lms.extensions import db
from lms.learning import progression
from lms.learning.models import Enrollment, EnrollmentStatus, ModuleProgress


#: Completion conditions other parts add (`require`), each asked after the sequence rule.
_REQUIREMENTS: list[Callable[[Enrollment], bool]] = []


def progress_for(enrollment: Enrollment, module: Module, now: datetime) -> ModuleProgress:
    """The learner's progress row for the module, created (started at `now`) if missing.

    Two requests creating it at once both end with the same row: the unique constraint
    makes the loser's insert fail inside a savepoint, and it reads the winner's row.
    """
    query = select(ModuleProgress).where(ModuleProgress.enrollment_id == enrollment.id,
                                         ModuleProgress.module_id == module.id)
    progress = db.session.scalar(query)
    if progress is not None:
        return progress
    try:
        with db.session.begin_nested():
            progress = ModuleProgress(enrollment_id=enrollment.id, module_id=module.id,
                                      started_at=now, updated_at=now)
            db.session.add(progress)
    except IntegrityError:
        progress = db.session.scalars(query.execution_options(populate_existing=True)).one()
    return progress


def mark_module_completed(enrollment: Enrollment, module: Module, now: datetime,
                          actor: User | None = None) -> bool:
    """Record that the learner completed `module` at `now`, then complete the course if that
    was the last requirement.

    Idempotent: True only for the call that completed the module; later or concurrent calls
    return False and change nothing. Sends `signals.module_completed` (sender=ModuleProgress,
    now=now) once. `actor` is who caused it (the learner, or the staff member who graded a
    skill task; None for the system) and is passed on to `course_completed`.
    Stable signature: pacing and assessments both call it.
    """
    progress = progress_for(enrollment, module, now)
    # The guard in the WHERE clause, not the row we read, decides: of two racing completions
    # exactly one updates the row.
    claimed = db.session.execute(
        update(ModuleProgress.__table__)
        .where(ModuleProgress.__table__.c.id == progress.id,
               ModuleProgress.__table__.c.completed_at.is_(None))
        .values(completed_at=now, updated_at=now)
    ).rowcount
    db.session.refresh(progress)
    if claimed != 1:
        return False
    signals.module_completed.send(progress, now=now)
    complete_course_if_done(enrollment, now, actor)
    return True


def require(check: Callable[[Enrollment], bool]) -> None:
    """Add a condition of course completion owned by another part of Alur (assessments
    register theirs: every post-test and skill task passed). Connected by `lms.listeners`."""
    if check not in _REQUIREMENTS:
        _REQUIREMENTS.append(check)


def requirements_met(enrollment: Enrollment) -> bool:
    """The course completion rule, read fresh from the database: every required module
    complete (the sequence gate's rule), every post-test passed and every skill task passed —
    the last two even if the provider marked those modules optional."""
    # Another transaction may have completed a module since this session loaded the rows.
    db.session.expire(enrollment, ["progress"])
    db.session.scalars(select(ModuleProgress).where(
        ModuleProgress.enrollment_id == enrollment.id
    ).execution_options(populate_existing=True)).all()
    return progression.requirements_met(enrollment) \
        and all(check(enrollment) for check in _REQUIREMENTS)


def complete_course_if_done(enrollment: Enrollment, now: datetime,
                            actor: User | None = None) -> bool:
    """Complete the enrollment at `now` if every requirement is met.

    True only for the one call that moved it from `active` to `completed`; that call sends
    `signals.course_completed` (sender=Enrollment, actor=actor, now=now) and writes the audit
    entry. Already completed, expired or unfinished enrollments return False unchanged.
    """
    # Lock the enrollment first (PostgreSQL; SQLite's writers are already serialised) so two
    # completions of different modules cannot each miss the other's progress and leave the
    # course uncompleted, and so the guarded update below sees the committed status.
    db.session.scalars(select(Enrollment).where(Enrollment.id == enrollment.id)
                       .with_for_update().execution_options(populate_existing=True)).one()
    if enrollment.status != EnrollmentStatus.ACTIVE or not requirements_met(enrollment):
        return False
    claimed = db.session.execute(
        update(Enrollment.__table__)
        .where(Enrollment.__table__.c.id == enrollment.id,
               Enrollment.__table__.c.status == EnrollmentStatus.ACTIVE)
        .values(status=EnrollmentStatus.COMPLETED, completed_at=now)
    ).rowcount
    db.session.refresh(enrollment)
    if claimed != 1:
        return False
    audit.record(actor, "enrollment.completed", "enrollment", enrollment.id,
                 course=enrollment.course.slug, user=enrollment.user_id)
    signals.course_completed.send(enrollment, actor=actor, now=now)
    return True
