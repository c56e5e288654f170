"""The hot paths' statements, in SQLAlchemy Core: a heartbeat or a segment request is one
locking read and one write (the evidence insert carrying the updates as CTEs on PostgreSQL),
with no ORM unit of work in between.

The statements are built once with bound parameters: building and hashing a statement costs
more CPU than executing it, and a learner sends a heartbeat every 10 s.

Locks are FOR NO KEY UPDATE (`key_share=True`): evidence rows reference the session, and
PostgreSQL's foreign-key check takes a KEY SHARE lock on it, which a plain FOR UPDATE held by a
concurrent heartbeat would block while that heartbeat waits for the progress row the segment
request holds: a deadlock. NO KEY UPDATE still serialises every writer of these rows. SQLite
ignores the clause; its writers queue on BEGIN IMMEDIATE.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, and_, bindparam, insert, select, update
from sqlalchemy.sql import Executable

from lms import permissions
from lms.accounts import callers
from lms.accounts.callers import Caller
from lms.extensions import db
from lms.learning.models import Enrollment, ModuleProgress
from lms.media.models import VideoAsset
from lms.pacing.models import PacingEvidence, PlaybackSession

S = PlaybackSession.__table__
P = ModuleProgress.__table__
E = Enrollment.__table__
A = VideoAsset.__table__
EVIDENCE = PacingEvidence.__table__

SESSION_COLUMNS = (S.c.id, S.c.user_id, S.c.enrollment_id, S.c.module_id, S.c.kind,
                   S.c.asset_id, S.c.target_seconds, S.c.segment_seconds, S.c.started_at,
                   S.c.ended_at, S.c.end_reason, S.c.last_seq, S.c.last_heartbeat_at,
                   S.c.last_active)
PROGRESS_COLUMNS = (P.c.id.label("progress_id"), P.c.frontier_seconds, P.c.position_seconds,
                    P.c.credited_seconds, P.c.wall_seconds, P.c.counted_through,
                    P.c.delivered_segments, P.c.completed_at)
_SAME_MODULE = and_(P.c.enrollment_id == S.c.enrollment_id, P.c.module_id == S.c.module_id)
_SID = bindparam("sid", type_=S.c.id.type)

_LOCKED_PLAYBACK = (
    select(*SESSION_COLUMNS, E.c.finish_by, E.c.status.label("enrollment_status"),
           *PROGRESS_COLUMNS)
    .join(E, E.c.id == S.c.enrollment_id)
    .join(P, _SAME_MODULE)
    .where(S.c.id == _SID)
    .with_for_update(of=[S, P], key_share=True))
_STREAMING = (select(*SESSION_COLUMNS, A.c.hls_prefix)
              .outerjoin(A, A.c.id == S.c.asset_id)
              .where(S.c.id == _SID))
_STREAMING_WITH_PROGRESS = (_STREAMING.add_columns(*PROGRESS_COLUMNS).join(P, _SAME_MODULE)
                            .with_for_update(of=P, key_share=True))

#: The same reads, returning nothing unless the row is the claimed caller's (one per kind of
#: claim); `None` keys the unchecked ones, for callers already resolved to a user.
_CLAIMED = (callers.SESSION, callers.TOKEN)
_LOCKED_PLAYBACK_BY = {None: _LOCKED_PLAYBACK, **{
    kind: _LOCKED_PLAYBACK.where(permissions.owner_claim(S.c.user_id, kind))
    for kind in _CLAIMED}}
_STREAMING_BY = {
    (None, False): _STREAMING, (None, True): _STREAMING_WITH_PROGRESS, **{
        (kind, progress): query.where(permissions.owner_claim(S.c.user_id, kind))
        for kind in _CLAIMED
        for progress, query in ((False, _STREAMING), (True, _STREAMING_WITH_PROGRESS))}}

#: Every evidence column but the id; callers give the ones that apply, the rest are NULL.
EVIDENCE_FIELDS = tuple(c.name for c in EVIDENCE.c if c.name != "id")


def locked_playback(session_id: int, caller: Caller | None = None) -> Row | None:
    """The session, its enrollment's deadline and status, and its module progress, with the
    session and progress rows locked. None when the session (or its progress row) is missing,
    or when a `caller` is given and the session is not the caller's."""
    if caller is not None and caller.kind == callers.ANONYMOUS:
        return None
    query = _LOCKED_PLAYBACK_BY[caller.kind if caller is not None else None]
    return db.session.execute(query, {"sid": session_id,
                                      **(caller.claim if caller else {})}).first()


def streaming(session_id: int, with_progress: bool = False,
              caller: Caller | None = None) -> Row | None:
    """The session and its asset's HLS prefix; with `with_progress`, also its module progress,
    locked (the segment gate records deliveries in it). None when the session is missing, or
    when a `caller` is given and the session is not the caller's."""
    if caller is not None and caller.kind == callers.ANONYMOUS:
        return None
    query = _STREAMING_BY[(caller.kind if caller is not None else None, with_progress)]
    return db.session.execute(query, {"sid": session_id,
                                      **(caller.claim if caller else {})}).first()


def _bound(table, column: str, prefix: str):
    return bindparam(f"{prefix}{column}", type_=table.c[column].type)


def _progress_update(keys: tuple[str, ...]):
    values = {k: _bound(P, k, "p_") for k in keys}
    return update(P).where(P.c.id == _bound(P, "id", "p_")).values(
        **values, updated_at=_bound(P, "updated_at", "p_"))


def _session_update(keys: tuple[str, ...]):
    return update(S).where(S.c.id == _bound(S, "id", "s_")).values(
        **{k: _bound(S, k, "s_") for k in keys})


_WRITES: dict[tuple, tuple[Executable, ...]] = {}


def _write_statements(progress_keys: tuple[str, ...], session_keys: tuple[str, ...],
                      ctes: bool) -> tuple[Executable, ...]:
    """The statements for one shape of write, built on first use and kept (few shapes exist:
    video, reading and segment progress columns, with or without a session change)."""
    key = (progress_keys, session_keys, ctes)
    if key not in _WRITES:
        updates = []
        if progress_keys:
            updates.append(_progress_update(progress_keys))
        if session_keys:
            updates.append(_session_update(session_keys))
        evidence = insert(EVIDENCE).values({f: _bound(EVIDENCE, f, "e_") for f in EVIDENCE_FIELDS})
        if ctes:
            for number, change in enumerate(updates):
                evidence = evidence.add_cte(change.cte(f"change_{number}"))
            updates = []
        _WRITES[key] = (*updates, evidence)
    return _WRITES[key]


def write(evidence: dict[str, Any], now: datetime, progress_id: int | None = None,
          progress: dict[str, Any] | None = None, session: dict[str, Any] | None = None) -> None:
    """Append one evidence row (the app never updates or deletes them) and store the changed
    progress and session columns, in one round trip on PostgreSQL (data-modifying CTEs)."""
    progress, session = progress or {}, session or {}
    params: dict[str, Any] = {f"e_{f}": evidence.get(f) for f in EVIDENCE_FIELDS}
    if progress:
        params.update({f"p_{k}": v for k, v in progress.items()}, p_id=progress_id,
                      p_updated_at=now)
    if session:
        params.update({f"s_{k}": v for k, v in session.items()}, s_id=evidence["session_id"])
    ctes = db.session.get_bind().dialect.name == "postgresql"
    for statement in _write_statements(tuple(sorted(progress)), tuple(sorted(session)), ctes):
        db.session.execute(statement, params)
