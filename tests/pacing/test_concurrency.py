"""Racing requests never double-credit: heartbeats of one session at once, two sessions on one
module, tabs opening together, segments fetched in parallel (SQLite and PostgreSQL)."""
from __future__ import annotations

from sqlalchemy import select

from lms.accounts.models import User
from lms.extensions import db
from lms.pacing import heartbeats, rules, segment_gate, sessions
from lms.pacing.models import PacingEvidence, PlaybackSession
from tests.concurrency import race
from tests.pacing.conftest import evidence_of, progress_of

N = 6


def _as_learner(uid: int):
    return db.session.get(User, uid)


def _beat(uid: int, sid: int, position: float, seq: int):
    return lambda: heartbeats.record_heartbeat(
        _as_learner(uid), sid, {"position": position, "playing": True, "rate": 1, "seq": seq})


def test_the_same_heartbeat_sent_many_times_at_once_credits_once(app, player, clock, world):
    uid = world["learner"].id
    player.open()
    player.fetch_allowed()
    player.beat(0)
    clock.advance(10)
    answers = race(app, [_beat(uid, player.sid, 10, seq=2) for _ in range(N)])
    assert answers == ["ok"] * N
    progress = progress_of(world["enrollment"], world["video"])
    assert progress.frontier_seconds == 10 and progress.credited_seconds == 10
    assert progress.wall_seconds == 10
    outcomes = sorted(r.outcome for r in evidence_of(player.sid, "heartbeat"))
    assert outcomes == ["accepted"] * 2 + ["stale_sequence"] * (N - 1)


def test_many_fresh_heartbeats_at_once_count_the_elapsed_time_once(app, player, clock, world):
    uid = world["learner"].id
    player.open()
    player.fetch_allowed()
    player.beat(0)
    clock.advance(10)
    race(app, [_beat(uid, player.sid, 10, seq=2 + i) for i in range(N)])
    progress = progress_of(world["enrollment"], world["video"])
    assert progress.wall_seconds == 10 and progress.credited_seconds == 10
    assert sum(r.credited_seconds for r in evidence_of(player.sid)) == 10


def test_two_active_sessions_on_one_module_never_count_the_same_seconds_twice(
        app, player, clock, world):
    """Two app servers may each have opened a session before either saw the other's: both
    are active and both report playing for the same 10 s."""
    uid = world["learner"].id
    first = player.open()
    twin = PlaybackSession(user_id=uid, enrollment_id=world["enrollment"].id,
                           module_id=world["video"].id, kind="video",
                           asset_id=world["asset"].id, target_seconds=first["duration_seconds"],
                           started_at=clock.now())
    db.session.add(twin)
    db.session.commit()
    twin_id = twin.id
    player.fetch_allowed()
    race(app, [_beat(uid, first["session_id"], 0, 1), _beat(uid, twin_id, 0, 1)])
    clock.advance(10)
    race(app, [_beat(uid, first["session_id"], 10, 2), _beat(uid, twin_id, 10, 2)])
    progress = progress_of(world["enrollment"], world["video"])
    assert progress.wall_seconds == 10 and progress.credited_seconds <= 10 + 3


def test_tabs_opening_at_the_same_moment_leave_exactly_one_active_session(
        app, player, clock, world):
    uid, module_id = world["learner"].id, world["video"].id
    answers = race(app, [lambda: sessions.open_session(_as_learner(uid), module_id)
                         for _ in range(N)])
    assert answers == ["ok"] * N
    db.session.expire_all()
    active = db.session.scalars(select(PlaybackSession).where(
        PlaybackSession.user_id == uid, PlaybackSession.ended_at.is_(None))).all()
    assert len(active) == 1
    assert len(db.session.scalars(select(PlaybackSession)).all()) == N


def test_segments_fetched_in_parallel_are_all_recorded_as_delivered(app, player, world):
    uid = world["learner"].id
    player.open()
    indexes = range(N)  # 0..5 start within the 30 s look-ahead of frontier 0
    answers = race(app, [lambda i=i: segment_gate.grant_segment(_as_learner(uid), player.sid,
                                                            "180p", i) for i in indexes])
    assert answers == ["ok"] * N
    progress = progress_of(world["enrollment"], world["video"])
    assert rules.decode_segments(progress.delivered_segments) == set(indexes)
    served = db.session.scalars(select(PacingEvidence.segment_index).where(
        PacingEvidence.outcome == "served")).all()
    assert sorted(served) == list(indexes)
