"""Property-based tests: the pacing invariants hold for ANY sequence of browser input.

What a payer relies on: credit never outruns server-measured wall time (+3 s per module),
wall time never outruns the clock, the frontier never passes undelivered media and never goes
back, and no client, however scripted, completes a D-second video in under D - 5 s. What a
learner relies on: an honest 1x player on a jittery phone connection is never snapped back.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from lms.pacing.rules import (
    END_TOLERANCE_SECONDS,
    SPEED_ALLOWANCE_SECONDS,
    Heartbeat,
    HeartbeatOutcome as O,
    VideoProgress,
    apply_heartbeat,
    decode_segments,
    delivered_until,
    encode_segments,
    end_session,
    may_serve_segment,
    open_session,
    record_segment_delivery,
    resume_position,
    segment_count,
    skip_tolerance_seconds,
)

T0 = datetime(2026, 1, 5, 2, 0, tzinfo=timezone.utc)
EPS = 1e-6
REFUSED = {O.INVALID_HEARTBEAT, O.SESSION_ENDED, O.STALE_SEQUENCE, O.DEADLINE_PASSED}
PROPERTY = settings(max_examples=300, deadline=None, database=None)


class Server:
    """The services layer in miniature: one learner, one module, sessions one after another."""

    def __init__(self, duration: float, seg: float = 6.0) -> None:
        self.duration, self.seg = duration, seg
        self.progress = VideoProgress()
        self.session = None
        self.old_session = None
        self.first_open: float | None = None
        self.latest = 0.0  # latest server time seen (for "real elapsed")
        self.completed_at: float | None = None

    def open(self, t: float) -> None:
        if self.session is not None:
            self.old_session = end_session(self.session)
        self.session = open_session(T0 + timedelta(seconds=t))
        # "real elapsed" runs from the earliest open stamp: with app-server clocks a little
        # apart, a later session may carry an earlier stamp
        self.first_open = t if self.first_open is None else min(self.first_open, t)
        self.latest = max(self.latest, t)

    def deliver(self, index: int, gated: bool = True) -> None:
        if not 0 <= index < segment_count(self.duration, self.seg):
            return
        if gated and not may_serve_segment(self.progress, index, self.seg, self.duration):
            return
        self.progress = record_segment_delivery(self.progress, index, duration=self.duration,
                                                segment_seconds=self.seg)

    def deliver_all_allowed(self) -> None:
        """What a buffering player does: fetch, in order, every segment the server will serve."""
        i = 0
        while i in self.progress.delivered:
            i += 1
        while i < segment_count(self.duration, self.seg) and may_serve_segment(
            self.progress, i, self.seg, self.duration
        ):
            self.deliver(i)
            i += 1

    def beat(self, t: float, position: float, playing: bool = True, rate: float = 1.0,
             seq: int | None = None, old: bool = False):
        session = self.old_session if old else self.session
        seq = session.last_seq + 1 if seq is None else seq
        before = self.progress
        result = apply_heartbeat(before, session, Heartbeat(position, playing, rate, seq),
                                 T0 + timedelta(seconds=t), duration=self.duration,
                                 segment_seconds=self.seg)
        self.latest = max(self.latest, t)
        if result.decision.outcome in REFUSED:
            assert result.progress == before and result.session == session
        self.progress = result.progress
        if old:
            self.old_session = result.session
        else:
            self.session = result.session
        if self.progress.completed and self.completed_at is None:
            self.completed_at = t
        self.check(before)
        return result.decision

    def check(self, before: VideoProgress) -> None:
        p = self.progress
        # (a) credit never outruns counted wall time plus the one per-module allowance
        assert p.credited_seconds <= p.counted_wall_seconds + SPEED_ALLOWANCE_SECONDS + EPS
        # (b) counted wall time never outruns the real time since the first session opened
        assert p.counted_wall_seconds <= self.latest - self.first_open + EPS
        # (c) the frontier never passes media that was not delivered (checked against an
        # oracle written here, not only against the rule's own delivered_until)
        run = next(i for i in range(len(p.delivered) + 1) if i not in p.delivered)
        assert p.frontier <= min(run * self.seg, self.duration) + EPS
        assert delivered_until(p.delivered, self.duration, self.seg) == min(run * self.seg, self.duration)
        # (d) the frontier never goes back; completion never goes back
        assert p.frontier >= before.frontier and (p.completed or not before.completed)
        assert p.frontier <= self.duration and abs(p.credited_seconds - p.frontier) < EPS
        if p.completed:
            assert p.frontier >= self.duration - END_TOLERANCE_SECONDS - EPS
            # the headline guarantee: D - 5 s of real time, whatever was sent
            assert self.latest - self.first_open >= self.duration - 5 - EPS


# --- (a)-(d): arbitrary input -------------------------------------------------------------

GOOD_RATES = [1.0, 1.0, 0.5, 1.5, 2.0, 4.0, 16.0]
BAD_RATES = [0.0, 20.0, -1.0, math.nan, math.inf, -math.inf]
# One action = (kind, x, y, k), decoded from 6 bytes of one binary draw: a single draw per
# example keeps 300 examples of ~100 steps fast, and shrinking still works (fewer, smaller
# bytes). x, y in [0, 1]; k in -2..3 (also the seq step: repeats and reorders). Kinds:
# 0-7 a heartbeat near the frontier (what players and cheaters mostly send), 8-9 a wild one
# anywhere, 10 a malformed one, 11-13 segment deliveries, 14 a new session or a clock running
# a little behind, 15 a heartbeat to the ended previous session.
ACTION_BYTES = 6


def decode_actions(blob: bytes):
    for i in range(0, len(blob) - ACTION_BYTES + 1, ACTION_BYTES):
        b = blob[i:i + ACTION_BYTES]
        yield (b[0] % 16, int.from_bytes(b[1:3], "big") / 65535,
               int.from_bytes(b[3:5], "big") / 65535, b[5] % 6 - 2)


@PROPERTY
@given(
    duration=st.one_of(st.floats(7.5, 90), st.floats(7.5, 400)),
    seg=st.sampled_from([2.0, 4.0, 6.0, 10.0]),
    blob=st.binary(min_size=40 * ACTION_BYTES, max_size=200 * ACTION_BYTES),
)
def test_invariants_hold_for_any_heartbeats_deliveries_and_sessions(duration, seg, blob):
    server = Server(duration, seg)
    count = segment_count(duration, seg)
    now = 0.0
    server.open(now)
    for kind, x, y, k in decode_actions(blob):
        frontier, session = server.progress.frontier, server.session
        if kind <= 10 or kind == 15:
            old = kind == 15
            if old and server.old_session is None:
                continue
            if kind <= 7:  # mostly honest-looking: playing, 1x, next seq, near the frontier
                now += 15 * x
                position, playing, rate, step = max(frontier + 30 * y - 5, 0), kind != 7, 1.0, 1
            elif kind <= 9 or old:  # anything: far jumps, long gaps, odd rates, replayed seq
                now += (600 if kind == 9 else 45) * x
                position, playing, rate, step = 1.05 * duration * y, k > 0, GOOD_RATES[k + 2], k
            else:  # malformed
                now += 15 * x
                position, playing, rate, step = frontier + 100 * y - 20, True, BAD_RATES[k + 2], k
            target = server.old_session if old else session
            decision = server.beat(now, position, playing, rate, seq=target.last_seq + step, old=old)
            if old:
                assert decision.outcome in {O.SESSION_ENDED, O.INVALID_HEARTBEAT}
            if decision.outcome is O.AHEAD_OF_FRONTIER:
                assert decision.resume_at == frontier and decision.credited_seconds == 0
        elif kind <= 12:  # a buffering player: segments 0..n in order
            for index in range(int(y * count) + 1):
                server.deliver(index, gated=k >= 0)
        elif kind == 13:  # a single segment, possibly out of order or out of range
            server.deliver(int(y * (count + 2)) - 1, gated=k >= 0)
        elif k >= 0:
            now += 120 * x
            server.open(now)
        else:
            now -= 3 * x  # another app server's clock, a little behind


# --- (e): scripted fast clients ---------------------------------------------------------------

def test_a_client_reporting_four_times_real_time_cannot_complete_a_60_s_video_before_55_s():
    server = Server(60.0)
    server.open(0)
    for second in range(1, 121):
        server.deliver_all_allowed()
        server.beat(second, min(4.0 * second, 60.0))
        assert not server.progress.completed or second >= 55
    assert server.completed_at is None  # it ignored every 409, so it never got anywhere


@PROPERTY
@given(
    speed=st.floats(1.05, 16),
    interval=st.floats(0.5, 12),
    obeys_resume=st.booleans(),
    session_every=st.integers(1, 50),
    duration=st.sampled_from([60.0, 61.5, 150.0]),
)
def test_no_scripted_speed_up_completes_before_d_minus_5_seconds(
    speed, interval, obeys_resume, session_every, duration
):
    server = Server(duration)
    server.open(0.0)
    base_t, base_pos, t, n = 0.0, 0.0, 0.0, 0
    while t < duration * 1.2 and server.completed_at is None:
        t += interval
        n += 1
        if n % session_every == 0:
            server.open(t)  # "reload" to try for a fresh allowance
        server.deliver_all_allowed()
        position = min(base_pos + speed * (t - base_t), duration)
        decision = server.beat(t, position)
        if obeys_resume and decision.resume_at is not None:
            base_t, base_pos = t, decision.resume_at
    if server.completed_at is not None:
        assert server.completed_at >= duration - 5 - EPS


@PROPERTY
@given(intervals=st.lists(st.floats(0.05, 30), min_size=1, max_size=400))
def test_the_greediest_client_completes_no_sooner_than_d_minus_5(intervals):
    """Always reports the furthest position the server would accept: the bound is tight."""
    server = Server(60.0)
    server.open(0.0)
    t = 0.0
    for dt in intervals:
        t += dt
        server.deliver_all_allowed()
        reach = server.progress.frontier + skip_tolerance_seconds(server.session, T0 + timedelta(seconds=t))
        decision = server.beat(t, min(reach, 60.0))
        assert decision.outcome is O.ACCEPTED
    if server.completed_at is not None:
        assert server.completed_at >= 55 - EPS
    if t >= 56 and max(intervals) <= 30:
        assert server.completed_at is not None  # and it is not held back beyond the rule


# --- (f): honest players ---------------------------------------------------------------------

@dataclass(frozen=True)
class Step:
    gap: float  # client send interval: 10 s +-3 s of timer jitter, sometimes a lost heartbeat
    jitter: float  # this request's extra network delay, as a fraction of the run's max jitter
    pause: float  # > 0: the learner pauses here for this long
    reload: bool  # the page is reloaded after this heartbeat


STEPS = st.builds(
    Step,
    st.one_of(st.floats(7, 13), st.floats(7, 13), st.floats(7, 13), st.floats(13, 25)),
    st.floats(0, 1),
    st.one_of(st.just(0.0), st.just(0.0), st.just(0.0), st.just(0.0), st.floats(3, 900)),
    st.sampled_from([False] * 9 + [True]),
)
MAX_PAUSES = 5  # see docs/pacing-rules.md: each pause can cost up to one request's jitter


def play_honestly(duration, latency, startup, steps, interruptions, max_jitter):
    """A real 1x player: heartbeats on play, every 10+-3 s while playing, on pause and at the end;
    it fetches every segment the server allows as it goes, and after a reload resumes where the
    server says. Returns the server and when (server time) the video was completed."""
    server = Server(duration)
    server.open(0.0)
    play_t, play_pos = startup, 0.0  # the player started playing at play_t from play_pos
    t, i, pauses = startup, 0, 0
    arrive = lambda sent, step: sent + latency + max_jitter * step.jitter  # noqa: E731
    assert server.beat(arrive(t, steps[0]), 0.0).outcome is O.ACCEPTED  # the heartbeat on play
    while True:
        step = steps[i % len(steps)]
        i += 1
        t += step.gap
        position = play_pos + (t - play_t)
        server.deliver_all_allowed()
        if position >= duration:  # the `ended` event: last heartbeat, paused at the end
            end_t = play_t + (duration - play_pos)
            decision = server.beat(max(arrive(end_t, step), server.latest), duration, playing=False)
            assert decision.outcome is O.ACCEPTED and decision.completed, decision
            return server, server.latest
        pause = step.pause if interruptions and pauses < MAX_PAUSES else 0.0
        decision = server.beat(arrive(t, step), position, playing=pause == 0)
        assert decision.outcome is O.ACCEPTED, decision
        if pause:  # paused for a while, then a heartbeat on play
            pauses += 1
            t += pause
            assert server.beat(arrive(t, step), position).outcome is O.ACCEPTED
            play_t, play_pos = t, position
        elif interruptions and step.reload:  # the page reloads and resumes where the server says
            t = arrive(t, step) + step.gap / 4
            server.open(t)
            t += startup
            play_t, play_pos = t, resume_position(server.progress, duration)
            assert server.beat(arrive(t, step), play_pos).outcome is O.ACCEPTED


HONEST = dict(
    duration=st.floats(20, 600),
    latency=st.floats(0.02, 1.5),
    startup=st.floats(0, 2),
    steps=st.lists(STEPS, min_size=1, max_size=60),
)


@PROPERTY
@given(**HONEST)
def test_an_honest_1x_player_completes_in_about_d_seconds_and_is_never_sent_back(
    duration, latency, startup, steps
):
    """Mobile-grade jitter: each request's delay varies by up to 2.5 s."""
    server, finished = play_honestly(duration, latency, startup, steps, False, max_jitter=2.5)
    assert server.progress.completed
    assert duration - 5 <= finished <= duration + startup + latency + 2.5 + EPS


@PROPERTY
@given(**HONEST)
def test_an_honest_player_who_pauses_and_reloads_is_never_sent_back(duration, latency, startup, steps):
    """Up to 5 pauses per module at up to 0.25 s of jitter each (see MAX_PAUSES)."""
    server, _ = play_honestly(duration, latency, startup, steps, True, max_jitter=0.25)
    assert server.progress.completed


@PROPERTY
@given(st.lists(st.integers(0, 2000)))
def test_the_delivered_set_survives_its_column(indexes):
    assert decode_segments(encode_segments(indexes)) == frozenset(indexes)
