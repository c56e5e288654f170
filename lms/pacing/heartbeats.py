"""Applying heartbeats: the rules judge, this module loads, locks, stores and keeps evidence.

Every heartbeat that reaches a learner's own session leaves one evidence row, whatever the
verdict, so refusals are returned as values (`HeartbeatAnswer.error`) rather than raised: the
API raises them with `keeping_changes()`, so the evidence is committed before the refusal.

One result type travels from the rules to the API: the rules decide (`HeartbeatDecision`),
`_judge_video` / `_judge_reading` turn that into the `HeartbeatAnswer` plus the columns to
store (`_Writes`), and the API answers the `HeartbeatAnswer` as JSON.

Concurrency: one statement reads the session and the module progress and locks both rows
(PostgreSQL; SQLite runs every transaction as BEGIN IMMEDIATE, so writers already queue). Two
heartbeats of one session, or of two sessions on one module, apply one after the other and
each sees the other's result: nothing is credited twice. This is the hot path (a learner sends
one every 10 s), hence Core statements: one locking read, two updates, one insert.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Row

from lms import permissions
from lms.accounts.callers import Caller, as_caller
from lms.accounts.models import User
from lms.catalog.models import Module
from lms.clock import utcnow
from lms.errors import AlurError
from lms.extensions import db
from lms.learning import completion, deadlines, progression
from lms.learning.models import Enrollment
from lms.pacing import attendance, queries, rules, stored_state
from lms.pacing.errors import AheadOfFrontier, DeadlinePassed, InvalidHeartbeat, SessionEnded
from lms.pacing.models import EvidenceKind, PlaybackSession, SessionKind
from lms.pacing.rules_common import finite

O = rules.HeartbeatOutcome
#: `last_seq` is a 32-bit column; a real player needs a heartbeat every 10 s for 680 years.
MAX_SEQ = 2**31 - 1
#: Larger integers cannot become floats; nothing a player reports comes near.
MAX_INT_NUMBER = 2**53


@dataclass(frozen=True)
class NextModule:
    module_id: int
    title: str
    kind: str
    status: str


@dataclass(frozen=True)
class HeartbeatAnswer:
    """The verdict on one heartbeat, for the API to answer (a refusal in `error`)."""

    session_id: int
    enrollment_id: int
    enrollment_status: str
    outcome: str
    frontier: float
    completed: bool
    newly_completed: bool = False
    target_seconds: float = 0.0
    credited_seconds: float = 0.0
    dwell_seconds: float | None = None
    error: AlurError | None = None
    next_module: NextModule | None = None

    @property
    def module_status(self) -> str:
        return progression.COMPLETED if self.completed else progression.IN_PROGRESS


@dataclass(frozen=True)
class _Writes:
    """What a judged heartbeat stores besides its answer: the evidence row's wall time and
    reviewer's detail, and the changed progress and session columns (None: unchanged)."""

    wall: float = 0.0
    detail: str = ""
    progress: dict[str, Any] | None = None
    session: dict[str, Any] | None = None


Judged = tuple[HeartbeatAnswer, _Writes]


def _number(value: Any) -> Any:
    """Leave judging to the rules, but keep integers that cannot become floats from crashing
    them: such a value is as invalid as NaN."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT_NUMBER:
        return math.nan
    return value


def _seq(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool) and value > MAX_SEQ:
        return -1
    return value


def _field(body: Any, name: str) -> Any:
    return body.get(name) if isinstance(body, dict) else None


def _finite(value: Any) -> float | None:
    value = _number(value)
    return float(value) if finite(value) else None


def _stored_seq(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) \
        and -MAX_SEQ <= value <= MAX_SEQ else None


def _raw(body: Any) -> str:
    try:
        text = json.dumps(body, default=str, allow_nan=True)
    except (TypeError, ValueError):
        text = repr(body)
    return "invalid: " + text[:180]


def _finish_by(row: Row, now: datetime) -> datetime | None:
    return deadlines.effective_finish_by(row.enrollment_status, row.finish_by, now)


def _refusal_detail(outcome: str, row: Row, body: Any, seq: Any) -> str:
    if outcome == O.INVALID_HEARTBEAT:
        return _raw(body)
    if outcome == O.SESSION_ENDED:
        return f"session ended ({row.end_reason or 'closed'})"
    if outcome == O.DEADLINE_PASSED:
        return "after the enrollment's finish-by time"
    if outcome == O.STALE_SEQUENCE:
        return f"seq {seq} not above {row.last_seq}"
    return ""


def _video_detail(row: Row, before: rules.VideoProgress, result: rules.HeartbeatResult,
                  position: float | None, body: Any, seq: Any) -> str:
    """Why the heartbeat earned what it did, for reviewers."""
    decision = result.decision
    if decision.outcome == O.AHEAD_OF_FRONTIER:
        return (f"position {position:.1f}s past frontier {before.frontier:.1f}s "
                f"+ tolerance {decision.skip_tolerance:.1f}s")
    if decision.outcome != O.ACCEPTED:
        return _refusal_detail(decision.outcome, row, body, seq)
    if position is not None and position > decision.frontier + 1e-6 \
            and position > before.frontier:
        reach = rules.delivered_until(before.delivered, row.target_seconds, row.segment_seconds)
        if decision.frontier >= reach - 1e-6:
            return f"capped at delivered media ({reach:.1f}s)"
        return (f"capped at counted wall time ({result.progress.counted_wall_seconds:.1f}s "
                f"+ {rules.SPEED_ALLOWANCE_SECONDS:.0f}s allowance)")
    return ""


def _answer(row: Row, outcome: str, frontier: float, completed: bool,
            newly_completed: bool = False, credited: float = 0.0) -> HeartbeatAnswer:
    return HeartbeatAnswer(
        session_id=row.id, enrollment_id=row.enrollment_id,
        enrollment_status=row.enrollment_status, outcome=outcome, frontier=frontier,
        completed=completed, newly_completed=newly_completed,
        target_seconds=row.target_seconds, credited_seconds=max(credited, 0.0))


def _judge_video(row: Row, body: Any, now: datetime, blocked: bool) -> Judged:
    beat = rules.Heartbeat(position=_number(_field(body, "position")),
                           playing=_field(body, "playing"),
                           rate=_number(_field(body, "rate")), seq=_seq(_field(body, "seq")))
    before = stored_state.video_state(row)
    if blocked:
        return (_answer(row, O.ATTENDANCE_REQUIRED.value, before.frontier, before.completed),
                _Writes(detail="daily attendance not verified"))
    result = rules.apply_heartbeat(before, stored_state.session_state(row), beat, now,
                                   duration=row.target_seconds,
                                   segment_seconds=row.segment_seconds,
                                   finish_by=_finish_by(row, now))
    decision = result.decision
    progress = None if result.progress is before else stored_state.video_values(result.progress)
    return (
        _answer(row, decision.outcome.value, decision.frontier, decision.completed,
                decision.newly_completed, decision.credited_seconds),
        _Writes(decision.counted_wall_seconds,
                _video_detail(row, before, result, _finite(beat.position), body, beat.seq),
                progress, stored_state.session_values(row, result.session)))


def _judge_reading(row: Row, body: Any, now: datetime, blocked: bool) -> Judged:
    beat = rules.ReadingHeartbeat(visible=_field(body, "visible"), seq=_seq(_field(body, "seq")))
    before = stored_state.reading_state(row)
    target = row.target_seconds
    done_before = min(before.counted_seconds, target)
    if blocked:
        return (_answer(row, O.ATTENDANCE_REQUIRED.value, done_before, before.completed),
                _Writes(detail="daily attendance not verified"))
    result = rules.apply_reading_heartbeat(before, stored_state.session_state(row), beat, now,
                                           min_dwell_seconds=target,
                                           finish_by=_finish_by(row, now))
    decision = result.decision
    done = min(decision.counted_seconds, target)
    progress = None if result.progress is before \
        else stored_state.reading_values(result.progress, target)
    return (
        _answer(row, decision.outcome.value, done, decision.completed,
                decision.newly_completed, done - done_before),
        _Writes(decision.counted_wall_seconds,
                _refusal_detail(decision.outcome, row, body, beat.seq),
                progress, stored_state.session_values(row, result.session)))


def _refusal(outcome: str, row: Row, frontier: float) -> AlurError | None:
    if outcome == O.AHEAD_OF_FRONTIER:
        return AheadOfFrontier(resume_at=frontier, frontier=frontier)
    if outcome == O.SESSION_ENDED:
        return SessionEnded(reason=row.end_reason)
    if outcome == O.INVALID_HEARTBEAT:
        return InvalidHeartbeat()
    if outcome == O.DEADLINE_PASSED:
        return DeadlinePassed()
    return None


def _locked_row(caller: Caller, session_id: int, now: datetime) -> Row:
    """The caller's session and progress, locked. Raises Unauthorized (401) when nobody is
    signed in and SessionNotFound (404) for a missing session or another learner's."""
    row = queries.locked_playback(session_id, caller)
    if row is not None:
        return row
    # The claim did not match: judge the caller fully (remember-me cookies, deactivated
    # accounts) and say why, as every other endpoint would.
    user = permissions.ensure_signed_in(caller.load_user())
    row = queries.locked_playback(session_id)
    if row is None:
        session = permissions.ensure_playback_owner(user, db.session.get(PlaybackSession,
                                                                          session_id))
        # Opening creates the progress row; only a hand-edited database lacks it.
        completion.progress_for(session.enrollment, session.module, now)
        row = queries.locked_playback(session_id)
    return permissions.ensure_playback_owner(user, row)


def record_heartbeat(actor: User | Caller, session_id: int, body: Any) -> HeartbeatAnswer:
    """Apply one heartbeat of the learner's session at server time, store the new state and an
    evidence row, and complete the module when the rules say so.

    `actor` is the learner, or (from a request) the caller as claimed, checked in the query
    that locks the session. `body` is the decoded JSON as sent (anything: the rules reject what
    no player produces). Raises Unauthorized (401) when nobody is signed in and SessionNotFound
    (404) for a missing session or another learner's; every other refusal comes back in
    `error`: AheadOfFrontier (409, `resume_at`), SessionEnded (410), InvalidHeartbeat (422),
    DeadlinePassed (403), AttendanceRequired (403, `verify_url`).
    """
    now = utcnow()
    row = _locked_row(as_caller(actor), session_id, now)
    blocked = None
    if row.ended_at is None and attendance.required():
        # The hot path checked the claim in SQL and loaded no user; only this rule needs one.
        blocked = attendance.attendance_error(db.session.get(User, row.user_id), now)
    video = row.kind == SessionKind.VIDEO
    answer, writes = (_judge_video if video else _judge_reading)(row, body, now,
                                                                 blocked is not None)

    queries.write(
        dict(session_id=row.id, enrollment_id=row.enrollment_id, module_id=row.module_id,
             kind=EvidenceKind.HEARTBEAT if video else EvidenceKind.READING, at=now,
             seq=_stored_seq(_field(body, "seq")),
             position=_finite(_field(body, "position")) if video else None,
             active=_active(body, row.kind),
             rate=_finite(_field(body, "rate")) if video else None,
             outcome=answer.outcome, frontier=answer.frontier,
             credited_seconds=answer.credited_seconds, wall_seconds=writes.wall,
             detail=writes.detail[:200]),
        now, row.progress_id, writes.progress, writes.session)

    if answer.newly_completed:
        enrollment = db.session.get(Enrollment, row.enrollment_id)
        module = db.session.get(Module, row.module_id)
        learner = db.session.get(User, row.user_id)
        completion.mark_module_completed(enrollment, module, now, actor=learner)
        answer = replace(answer, next_module=_next_module(enrollment, module),
                         enrollment_status=enrollment.status)
    if not video:
        answer = replace(answer, dwell_seconds=writes.progress["wall_seconds"] if writes.progress
                         else (row.wall_seconds or 0.0))
    return replace(answer, error=blocked if blocked is not None
                   else _refusal(answer.outcome, row, answer.frontier))


def _active(body: Any, kind: str) -> bool | None:
    value = _field(body, "playing" if kind == SessionKind.VIDEO else "visible")
    return value if isinstance(value, bool) else None


def _next_module(enrollment: Enrollment, module: Module) -> NextModule | None:
    """The module after `module` and its status now (so the page can unlock it at once)."""
    db.session.expire(enrollment, ["progress"])
    following = progression.next_module(enrollment, module)
    if following is None:
        return None
    return NextModule(following.id, following.title, following.kind,
                      progression.statuses(enrollment)[following.id])
