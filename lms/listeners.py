"""Every reaction to another part's events, connected by `create_app()` in one place — never
as the side effect of importing a module.

Domain signals (blinker) carry what happened; SQLAlchemy session events run work that must
wait for a commit (queueing a transcode or a PDF render, deleting stored objects) or be undone
by a rollback; engine events configure SQLite connections. Connecting is idempotent, so
building several apps in one process (the tests do) connects each receiver once.
"""
from __future__ import annotations

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import Pool

from lms import db_types, signals
from lms.assessments import events as assessment_events
from lms.assessments.requirements import assessments_passed
from lms.certificates import services as certificate_services
from lms.certificates import tasks as certificate_tasks
from lms.incentives import events as incentive_events
from lms.learning import completion
from lms.media import services as media_services
from lms.media import tasks as media_tasks
from lms.programme import outbound as programme_outbound
from lms.programme import reports as programme_reports
from lms.programme import tasks as programme_tasks
from lms.verification import services as verification_services
from lms.verification import tasks as verification_tasks

SESSION_EVENTS = (
    ("after_commit", media_services.settle_objects_after_commit),
    ("after_rollback", media_services.settle_objects_after_rollback),
    ("after_commit", media_tasks.queue_pending_transcodes),
    ("after_commit", certificate_tasks.queue_pending_renders),
    ("after_rollback", certificate_tasks.forget_pending_renders),
    ("after_commit", verification_tasks.queue_pending_checks),
    ("after_rollback", verification_tasks.forget_pending_checks),
    ("after_commit", programme_tasks.queue_delivery_after_commit),
    ("after_rollback", programme_outbound.forget_delivery),
)
ENGINE_EVENTS = (
    ("connect", db_types.sqlite_pragmas),
    ("begin", db_types.sqlite_begin_immediate),
)
POOL_EVENTS = (
    ("checkin", db_types.note_checkin),
    ("checkout", db_types.ping_idle_connection),
)


def _listen(target: type, name: str, receiver) -> None:
    if not event.contains(target, name, receiver):
        event.listen(target, name, receiver)


def register(app: Flask) -> None:
    for name, receiver in ENGINE_EVENTS:
        _listen(Engine, name, receiver)
    for name, receiver in POOL_EVENTS:
        _listen(Pool, name, receiver)
    for name, receiver in SESSION_EVENTS:
        _listen(Session, name, receiver)
    # A completed course opens a completion; certificates follow its verification.
    signals.course_completed.connect(verification_services.open_on_course_completed)
    signals.completion_verified.connect(certificate_services.issue_on_verification)
    completion.require(assessments_passed)
    incentive_events.connect()
    programme_outbound.register()
    assessment_events.quiz_graded.connect(programme_reports.report_quiz_graded)
    assessment_events.skill_submitted.connect(programme_reports.report_skill_submitted)
    assessment_events.skill_graded.connect(programme_reports.report_skill_graded)
