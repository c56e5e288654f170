"""Property-based, through the services and the database (the rules alone are covered in
tests/unit): whatever a client sends, in whatever order, the stored state keeps the invariants
a payer relies on."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from lms.extensions import db
from lms.pacing import heartbeats, rules, segment_gate, sessions
from lms.pacing.models import PlaybackSession
from tests import factories
from tests.pacing.conftest import progress_of

EPS = 1e-6

ACTION = st.one_of(
    st.tuples(st.just("wait"), st.floats(0, 40, allow_nan=False)),
    st.tuples(st.just("fetch"), st.integers(0, 11)),
    st.tuples(st.just("beat"), st.floats(-2, 64, allow_nan=False), st.booleans(),
              st.sampled_from([0.5, 1.0, 2.0, 4.0, 16.0]), st.integers(-1, 3)),
    st.tuples(st.just("reopen")),
)


@settings(max_examples=25, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(actions=st.lists(ACTION, max_size=40))
def test_stored_progress_keeps_the_pacing_invariants_for_any_client(world, clock, actions):
    learner = factories.learner()
    enrollment = factories.enrollment(learner, world["course"])
    module = world["video"]
    opened = sessions.open_session(learner, module.id)
    db.session.commit()
    sid, seq, first_open = opened.session.id, 0, clock.now()
    duration = opened.session.target_seconds
    last_frontier = 0.0
    for action in actions:
        kind = action[0]
        if kind == "wait":
            clock.advance(action[1])
        elif kind == "fetch":
            segment_gate.grant_segment(learner, sid, "180p", min(action[1], 9))
        elif kind == "beat":
            _, position, playing, rate, jump = action
            seq += jump  # -1 replays, 0 repeats, more skips numbers
            heartbeats.record_heartbeat(learner, sid, {"position": position, "playing": playing,
                                                       "rate": rate, "seq": seq})
        else:
            sid, seq = sessions.open_session(learner, module.id).session.id, 0
        db.session.commit()

        progress = progress_of(enrollment, module)
        elapsed = (clock.now() - first_open).total_seconds()
        reach = rules.delivered_until(rules.decode_segments(progress.delivered_segments),
                                      duration, 6)
        assert progress.credited_seconds <= progress.wall_seconds \
            + rules.SPEED_ALLOWANCE_SECONDS + EPS
        assert progress.wall_seconds <= elapsed + EPS
        assert progress.frontier_seconds <= reach + EPS
        assert progress.frontier_seconds >= last_frontier - EPS
        last_frontier = progress.frontier_seconds
        if progress.completed_at is not None:
            assert elapsed >= duration - 5 - EPS
        active = db.session.scalar(select(func.count(PlaybackSession.id)).where(
            PlaybackSession.user_id == learner.id, PlaybackSession.ended_at.is_(None)))
        assert active == 1
