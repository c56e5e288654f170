"""Loading one enrollment's evidence into an EvidenceSummary: a handful of column queries,
no ORM objects per heartbeat (a 9-hour course has thousands of rows)."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import and_, func, or_, select

from lms.assessments.models import QuizAttempt
from lms.catalog.models import Module, ModuleKind
from lms.extensions import db
from lms.learning.models import Enrollment
from lms.pacing.models import (AttendanceVerification, EvidenceKind, PacingEvidence,
                               PlaybackSession, SegmentOutcome)
from lms.pacing.rules_attendance import local_study_date
from lms.pacing.rules_common import HeartbeatOutcome
from lms.verification.summary import (AttemptFacts, BeatFacts, DeviceUse, EvidenceSummary,
                                      SegmentFacts, SessionFacts)

ACCEPTED = HeartbeatOutcome.ACCEPTED.value


def _sessions(enrollment_id: int, last_seen: dict[int, object]) -> tuple[SessionFacts, ...]:
    s = PlaybackSession
    rows = db.session.execute(
        select(s.id, s.module_id, s.kind, s.started_at, s.ended_at, s.end_reason,
               s.last_heartbeat_at, s.client_ip, s.user_agent, s.device_id, s.segment_seconds)
        .where(s.enrollment_id == enrollment_id).order_by(s.started_at, s.id))
    return tuple(SessionFacts(
        session_id=r.id, module_id=r.module_id, kind=r.kind, started_at=r.started_at,
        last_seen_at=max(r.started_at, last_seen.get(r.id) or r.last_heartbeat_at
                         or r.started_at),
        ended_at=r.ended_at, end_reason=r.end_reason,
        device_id=r.device_id or "",
        ip=r.client_ip or "", user_agent=r.user_agent or "",
        segment_seconds=r.segment_seconds or 6.0) for r in rows)


def _device_uses(user_id: int, sessions: tuple[SessionFacts, ...],
                 window: timedelta) -> tuple[DeviceUse, ...]:
    if not sessions:
        return ()
    s = PlaybackSession
    since = min(x.started_at for x in sessions) - window
    until = max(x.last_seen_at for x in sessions) + window
    ids = {x.device_id for x in sessions if x.device_id}
    pairs = {(x.ip, x.user_agent) for x in sessions if x.ip or x.user_agent}
    uses: list[DeviceUse] = []
    in_window = and_(s.started_at >= since, s.started_at <= until)
    if ids:
        rows = db.session.execute(
            select(s.device_id, func.count(func.distinct(s.user_id)))
            .where(s.device_id.in_(ids), in_window).group_by(s.device_id))
        uses += [DeviceUse(device=r[0], kind="device_id", learners=r[1]) for r in rows]
    if pairs:
        rows = db.session.execute(
            select(s.client_ip, s.user_agent, func.count(func.distinct(s.user_id)))
            .where(or_(*(and_(s.client_ip == ip, s.user_agent == ua) for ip, ua in pairs)),
                   in_window).group_by(s.client_ip, s.user_agent))
        uses += [DeviceUse(device=f"{r[0]} {r[1]}", kind="address", learners=r[2])
                 for r in rows]
    return tuple(uses)


def load_summary(enrollment: Enrollment, attendance_required: bool,
                 shared_window: timedelta) -> EvidenceSummary:
    e = PacingEvidence
    rows = db.session.execute(
        select(e.session_id, e.kind, e.at, e.position, e.active, e.outcome, e.segment_index,
               e.credited_seconds, e.wall_seconds)
        .where(e.enrollment_id == enrollment.id).order_by(e.id)).tuples().all()
    last_seen: dict[int, object] = {}
    beats: list[BeatFacts] = []
    segments: list[SegmentFacts] = []
    study_days = set()
    zone = enrollment.user.timezone
    segment_kind, heartbeat_kind, served = (EvidenceKind.SEGMENT, EvidenceKind.HEARTBEAT,
                                            SegmentOutcome.SERVED)
    # Plain tuples: a 9-hour course has some 9,000 rows, and attribute lookups add up.
    for sid, kind, at, position, active, outcome, index, credited, wall in rows:
        seen = last_seen.get(sid)
        if seen is None or at > seen:
            last_seen[sid] = at
        if kind == segment_kind:
            segments.append(SegmentFacts(sid, at, index or 0, outcome == served))
            continue
        if attendance_required and outcome == ACCEPTED and ((credited or 0) > 0
                                                            or (wall or 0) > 0):
            study_days.add(local_study_date(zone, at))
        if kind == heartbeat_kind:
            beats.append(BeatFacts(sid, at, position, bool(active), outcome, credited or 0.0,
                                   wall or 0.0))
    sessions = _sessions(enrollment.id, last_seen)
    attended = frozenset(db.session.scalars(
        select(AttendanceVerification.local_date)
        .where(AttendanceVerification.user_id == enrollment.user_id))) \
        if attendance_required else frozenset()
    attempts = tuple(AttemptFacts(r.module_id, r.title, r.started_at, r.submitted_at,
                                  r.question_count) for r in db.session.execute(
        select(QuizAttempt.module_id, Module.title, QuizAttempt.started_at,
               QuizAttempt.submitted_at, QuizAttempt.question_count)
        .join(Module, Module.id == QuizAttempt.module_id)
        .where(QuizAttempt.enrollment_id == enrollment.id,
               QuizAttempt.submitted_at.is_not(None))))
    media = db.session.scalar(select(func.coalesce(func.sum(Module.duration_seconds), 0.0))
                              .where(Module.version_id == enrollment.version_id,
                                     Module.kind == ModuleKind.VIDEO)) or 0.0
    return EvidenceSummary(
        sessions=sessions, beats=tuple(beats), segments=tuple(segments), attempts=attempts,
        device_uses=_device_uses(enrollment.user_id, sessions, shared_window),
        attendance_required=attendance_required, study_days=frozenset(study_days),
        attended_days=attended, media_seconds=float(media))


def totals(summary: EvidenceSummary, wall: float, credited: float) -> dict:
    """The evidence figures of the API and the queue."""
    return {
        "wall_seconds": round(wall, 1),
        "credited_seconds": round(credited, 1),
        "media_seconds": round(summary.media_seconds, 1),
        "sessions": len(summary.sessions),
        "heartbeats": len(summary.beats),
        "segments": sum(1 for s in summary.segments if s.served),
        "devices": len({s.device for s in summary.sessions}),
    }
