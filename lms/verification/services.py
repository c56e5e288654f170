"""Completions: opened when a course is completed, checked in the worker, decided by admins.

`course_completed` (connected by `lms.listeners`) inserts a pending completion inside the
transaction that completed the enrollment and notes it in `session.info[PENDING_CHECKS]`;
lms.verification.tasks queues its check once that transaction has committed. A completion
without flags becomes verified at once; a flagged one waits for an admin. Verification —
automatic or decided — sends `completion_verified`, on which certificates are issued.
"""
from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import joinedload

from lms import signals
from lms.accounts.models import User
from lms.admin import audit
from lms.clock import utcnow
from lms.extensions import db
from lms.learning.models import Enrollment
from lms.permissions import verification as review_permissions
from lms.unique_insert import insert_unless_taken
from lms.verification import checks, evidence, rules
from lms.verification.errors import CompletionNotFound, DecisionConflict, InvalidFilter
from lms.verification.models import NO_COMPLETION, Completion, CompletionStatus
from lms.verification.summary import EvidenceSummary, Flag, Thresholds

PENDING_CHECKS = "alur.verification.pending_checks"


def thresholds() -> Thresholds:
    c = current_app.config
    return Thresholds(
        too_fast_allowance_seconds=float(c["VERIFY_TOO_FAST_ALLOWANCE_SECONDS"]),
        overlap_seconds=float(c["VERIFY_OVERLAP_SECONDS"]),
        overlap_ping_pongs=int(c["VERIFY_OVERLAP_PING_PONGS"]),
        ping_pong_window_seconds=float(c["VERIFY_PING_PONG_WINDOW_SECONDS"]),
        regular_run_beats=int(c["VERIFY_REGULAR_RUN_BEATS"]),
        regular_jitter_seconds=c["VERIFY_REGULAR_JITTER_MS"] / 1000,
        shared_device_learners=int(c["VERIFY_SHARED_DEVICE_LEARNERS"]),
        delivery_gap_seconds=float(c["VERIFY_DELIVERY_GAP_SECONDS"]),
        rapid_seconds_per_question=float(c["VERIFY_RAPID_SECONDS_PER_QUESTION"]))


def completion_of(enrollment_id: int) -> Completion | None:
    return db.session.scalar(select(Completion).where(Completion.enrollment_id == enrollment_id))


def completion_status(enrollment: Enrollment) -> str:
    """`none` before the course is completed, else the completion's status."""
    status = db.session.scalar(select(Completion.status)
                               .where(Completion.enrollment_id == enrollment.id))
    return status or NO_COMPLETION


def is_verified(enrollment: Enrollment) -> bool:
    return completion_status(enrollment) == CompletionStatus.VERIFIED


def open_completion(enrollment: Enrollment, now: datetime,
                    actor: User | None = None) -> Completion:
    """The enrollment's completion, inserted pending if there is none (once, under races)."""
    inserted = insert_unless_taken(Completion.__table__, {
        "completed_by_id": actor.id if actor is not None else None,
        "enrollment_id": enrollment.id, "user_id": enrollment.user_id,
        "course_id": enrollment.course_id, "provider_id": enrollment.course.provider_id,
        "status": CompletionStatus.PENDING, "completed_at": enrollment.completed_at or now,
        "created_at": now, "flags": [], "flag_codes": "", "evidence": {}})
    completion = completion_of(enrollment.id)
    assert completion is not None
    if inserted:
        db.session.info.setdefault(PENDING_CHECKS, set()).add(completion.id)
    return completion


def open_on_course_completed(enrollment: Enrollment, actor: User | None = None,
                             now: datetime | None = None, **_extra: object) -> None:
    """Receiver of `course_completed`."""
    open_completion(enrollment, now or utcnow(), actor)


def summary_of(completion: Completion) -> EvidenceSummary:
    window = timedelta(hours=current_app.config["VERIFY_SHARED_DEVICE_WINDOW_HOURS"])
    return evidence.load_summary(completion.enrollment,
                                 bool(current_app.config.get("ATTENDANCE_REQUIRED")), window)


def evidence_totals(summary: EvidenceSummary) -> dict:
    return evidence.totals(summary, checks.session_wall_seconds(summary),
                           checks.credited_seconds(summary))


def _locked(completion_id: int) -> Completion | None:
    return db.session.scalars(select(Completion).where(Completion.id == completion_id)
                              .with_for_update()
                              .execution_options(populate_existing=True)).first()


def check_completion(completion_id: int, now: datetime | None = None) -> Completion | None:
    """Run every check on a pending completion (the worker's job; a second run of the same
    job finds it no longer pending and changes nothing)."""
    completion = _locked(completion_id)
    if completion is None or completion.status != CompletionStatus.PENDING:
        return completion
    now = now or utcnow()
    summary = summary_of(completion)
    flags: list[Flag] = checks.run_checks(summary, thresholds())
    completion.flags = [f.as_dict() for f in flags]
    completion.flag_codes = ",".join(f.code for f in flags)
    completion.evidence = evidence_totals(summary)
    completion.checked_at = now
    completion.status = CompletionStatus.FLAGGED if flags else CompletionStatus.VERIFIED
    db.session.flush()
    audit.record(None, "completion.checked", "completion", completion.id,
                 status=completion.status, flags=completion.flag_codes)
    if completion.status == CompletionStatus.VERIFIED:
        signals.completion_verified.send(completion, actor=completion.completed_by, now=now)
    return completion


def pending_ids(created_before: datetime | None = None) -> list[int]:
    """Completions whose checks have not run (opened before `created_before`, when given)."""
    statement = select(Completion.id).where(Completion.status == CompletionStatus.PENDING)
    if created_before is not None:
        statement = statement.where(Completion.created_at < created_before)
    return list(db.session.scalars(statement.order_by(Completion.id)))


def get_completion(actor: User, completion_id: int) -> Completion:
    review_permissions.ensure_may_review_completions(actor)
    completion = db.session.get(Completion, completion_id)
    if completion is None:
        raise CompletionNotFound()
    return completion


def decide(actor: User, completion: Completion, decision: object, reason: object) -> Completion:
    """An admin's decision. Repeating the decision in force is a no-op; a different one after
    a decision raises DecisionConflict (409). Two admins at once: the guarded update lets one
    win, the other then sees its decision."""
    review_permissions.ensure_may_review_completions(actor)
    chosen = rules.clean_decision(decision)
    text = rules.clean_reason(reason)
    now = utcnow()
    table = Completion.__table__
    won = db.session.execute(
        update(table)
        .where(table.c.id == completion.id, table.c.decided_at.is_(None),
               table.c.status.in_((CompletionStatus.PENDING, CompletionStatus.FLAGGED)))
        .values(status=chosen, decided_at=now, decided_by_id=actor.id, decision_reason=text)
    ).rowcount == 1
    db.session.refresh(completion)
    if not won:
        if rules.is_no_op(completion.status, completion.is_decided, chosen):
            return completion
        raise DecisionConflict()
    audit.record(actor, f"completion.{chosen}", "completion", completion.id,
                 enrollment=completion.enrollment_id, reason=text,
                 flags=completion.flag_codes)
    if chosen == CompletionStatus.VERIFIED:
        signals.completion_verified.send(completion, actor=actor, now=now)
    return completion


@dataclass(frozen=True)
class QueueFilter:
    status: str = CompletionStatus.FLAGGED
    flag: str = ""
    provider_id: int | None = None
    course_id: int | None = None


def clean_filter(status: str | None, flag: str | None, provider: str | None,
                 course: str | None, default_status: str = CompletionStatus.FLAGGED) -> QueueFilter:
    """Raises InvalidFilter for an unknown status or flag, or ids that are not numbers."""
    status = status or default_status
    if status not in CompletionStatus.ALL + ("all",):
        raise InvalidFilter()
    if flag and flag not in checks.CODES:
        raise InvalidFilter()

    def number(text: str | None) -> int | None:
        if not text:
            return None
        if not text.isdigit() or len(text) > 9:
            raise InvalidFilter()
        return int(text)
    return QueueFilter(status, flag or "", number(provider), number(course))


def _filtered(query: Select, wanted: QueueFilter) -> Select:
    if wanted.status != "all":
        query = query.where(Completion.status == wanted.status)
    if wanted.flag:
        query = query.where(Completion.flag_codes.like(f"%{wanted.flag}%"))
    if wanted.provider_id is not None:
        query = query.where(Completion.provider_id == wanted.provider_id)
    if wanted.course_id is not None:
        query = query.where(Completion.course_id == wanted.course_id)
    return query


def _queue_query(wanted: QueueFilter) -> Select:
    # The page shows each learner and course: load them with the page, not one by one.
    query = select(Completion).options(joinedload(Completion.user),
                                       joinedload(Completion.course))
    return _filtered(query, wanted).order_by(Completion.completed_at.desc(),
                                             Completion.id.desc())


def review_queue(actor: User, wanted: QueueFilter, page: int, per_page: int = 25):
    """The admin queue page: newest completion first."""
    review_permissions.ensure_may_review_completions(actor)
    listing = db.paginate(_queue_query(wanted), page=page, per_page=per_page, error_out=False,
                          count=False)
    # Counted on the completions alone (the index answers it), not on the joined page query.
    listing.total = db.session.scalar(_filtered(select(func.count(Completion.id)), wanted))
    return listing


def status_counts(actor: User) -> dict[str, int]:
    review_permissions.ensure_may_review_completions(actor)
    counts = dict.fromkeys(CompletionStatus.ALL, 0)
    for status, count in db.session.execute(
            select(Completion.status, func.count()).group_by(Completion.status)):
        counts[status] = count
    return counts


def flagged_count(actor: User) -> int:
    """How many completions wait for an admin (the admin menu's badge)."""
    review_permissions.ensure_may_review_completions(actor)
    return db.session.scalar(select(func.count()).select_from(Completion)
                             .where(Completion.status == CompletionStatus.FLAGGED)) or 0


def encode_cursor(completion: Completion) -> str:
    raw = f"{completion.completed_at.isoformat()}|{completion.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        moment, ident = raw.split("|")
        return datetime.fromisoformat(moment), int(ident)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidFilter(code="invalid_cursor") from None


def api_page(actor: User, wanted: QueueFilter, cursor: str | None,
             limit: int = 50) -> tuple[list[Completion], str | None]:
    """One page of the API list, newest first, and the cursor of the next (None at the end)."""
    review_permissions.ensure_may_review_completions(actor)
    query = _queue_query(wanted)
    if cursor:
        moment, ident = _decode_cursor(cursor)
        query = query.where((Completion.completed_at < moment)
                            | ((Completion.completed_at == moment) & (Completion.id < ident)))
    items = list(db.session.scalars(query.limit(limit + 1)))
    more = len(items) > limit
    items = items[:limit]
    return items, (encode_cursor(items[-1]) if more and items else None)
