"""Constants, outcomes and the playback session shared by every pacing rule.

Everything in the `rules_*` modules is a pure function of (state, event, now): no Flask, no
database, no clock. `now` is always passed in as a timezone-aware datetime, so tests can replay
any timeline and the services layer decides where time comes from.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from lms.learning.rules_deadlines import deadline_passed  # noqa: F401 (the pacing rules apply it)
from lms.localtime import require_aware

# --- Tolerances (the numbers a payer has to trust; docs/pacing-rules.md explains each) -------

#: The player sends a heartbeat at least this often while playing, and also on play, pause,
#: seek and end. Every other tolerance below is sized against this cadence.
HEARTBEAT_SECONDS: float = 10

#: Media time credited over a whole module never exceeds the wall-clock time counted in its
#: playback sessions plus this. Per module, never per session or per heartbeat, so opening many
#: sessions or sending many heartbeats cannot multiply it.
SPEED_ALLOWANCE_SECONDS: float = 3.0

#: A video is complete when the frontier is within this of its end: players stop a fraction of
#: a second early, and the last heartbeat may be sent just before the `ended` event.
#: Allowance + end tolerance = 5 s: a video of duration D never completes in under D - 5 s.
END_TOLERANCE_SECONDS: float = 2.0

#: The gap between two heartbeats counts as watching time only when the earlier one said
#: "playing", and never more than this: a paused or idle tab earns nothing, and a heartbeat
#: after a long silence earns at most 30 s (three missed heartbeats on a bad connection).
MAX_COUNTED_GAP_SECONDS: float = 30

#: Slack on top of the elapsed wall time when judging a forward jump (see
#: `skip_tolerance_seconds`). It absorbs what an honest 1x player legitimately adds: network
#: delay varying between two heartbeats (mobile links: 1-3 s), the player starting a moment
#: before the session-open response arrives, and rounding in `currentTime`. It does not grant
#: credit by itself: credit is still capped by SPEED_ALLOWANCE_SECONDS over the module.
SKIP_SLACK_SECONDS: float = 5.0

#: Proof of delivery: a media segment is served only if it starts at most this far past the
#: frontier, enough for a phone to buffer ~30 s ahead on a weak connection, not enough to
#: download the video and skip through it offline.
LOOKAHEAD_SECONDS: float = 30

#: Default HLS segment length. It is a property of the media (ffmpeg cuts aligned segments; the
#: last may be shorter), so every function that needs it takes it as a parameter.
SEGMENT_SECONDS: float = 6

#: Bounds on a heartbeat's reported playback rate: anything else is a forged or broken client.
MAX_PLAYBACK_RATE: float = 16.0

#: A reported position may overshoot the duration by this much (containers round durations);
#: beyond it the heartbeat is invalid.
POSITION_OVERSHOOT_SECONDS: float = 1.0

#: Readings without a provider-set dwell time: 200 words per minute, never under 10 s.
READING_WORDS_PER_MINUTE: int = 200
READING_MIN_DWELL_FLOOR_SECONDS: float = 10


class HeartbeatOutcome(StrEnum):
    """What the server decided about one heartbeat (stored on its evidence row)."""

    ACCEPTED = "accepted"  # counted; the frontier moved as far as the rules allow
    AHEAD_OF_FRONTIER = "ahead_of_frontier"  # a skip: no credit, player must jump to resume_at
    STALE_SEQUENCE = "stale_sequence"  # repeated or out-of-order seq: recorded, earns nothing
    INVALID_HEARTBEAT = "invalid_heartbeat"  # NaN, negative, absurd rate...: state unchanged
    SESSION_ENDED = "session_ended"  # the session was closed or replaced: state unchanged
    DEADLINE_PASSED = "deadline_passed"  # after the enrollment's finish-by: nothing credited
    # Decided before the rules run: today's verification is missing where it is required.
    ATTENDANCE_REQUIRED = "attendance_required"


@dataclass(frozen=True, slots=True)
class PlaybackSession:
    """One playback (or reading) session: opened by the page for one module.

    At most one is active per learner; opening a new one ends the previous (`end_session`).
    `last_active` is the previous heartbeat's `playing` (video) or `visible` (reading) flag:
    only the time after an active heartbeat counts.
    """

    started_at: datetime
    last_seq: int = -1
    last_heartbeat_at: datetime | None = None
    last_active: bool = False
    ended: bool = False


def open_session(now: datetime) -> PlaybackSession:
    """A fresh session starting at `now` (the services layer ends the learner's previous one)."""
    require_aware(now, "now")
    return PlaybackSession(started_at=now)


def end_session(session: PlaybackSession) -> PlaybackSession:
    """The session closed: its later heartbeats are answered `session_ended` (HTTP 410)."""
    return replace(session, ended=True)


def fresh_sequence(session: PlaybackSession, seq: int) -> bool:
    """Only a strictly increasing seq earns anything: replays and reordered requests do not."""
    return seq > session.last_seq


def valid_seq(seq: object) -> bool:
    """A sequence number is a non-negative int (bool is rejected though it subclasses int)."""
    return isinstance(seq, int) and not isinstance(seq, bool) and seq >= 0


@dataclass(frozen=True, slots=True)
class WallCount:
    """Wall time credited to one heartbeat, and the new high-water mark of counted time."""

    seconds: float
    counted_through: datetime


def count_wall_time(
    session: PlaybackSession,
    counted_through: datetime | None,
    active_now: bool,
    now: datetime,
) -> WallCount:
    """Wall time a fresh heartbeat adds to its module's counted total.

    The interval since the previous heartbeat (or since the session opened, for the first one)
    counts only if the previous heartbeat was active (playing / visible); for the first
    heartbeat, only if this one is active. It is capped at MAX_COUNTED_GAP_SECONDS and never
    negative (app servers' clocks may disagree by a little).

    `counted_through` is the module's high-water mark: the latest instant already counted.
    Counting starts no earlier than it, so two overlapping sessions (a second tab, a race when
    the previous session is being ended) can never count the same second twice. That is what
    makes "counted wall time <= real elapsed time" hold whatever the sessions do.
    """
    require_aware(now, "now")
    if session.last_heartbeat_at is None:
        previous, previous_active = session.started_at, active_now
    else:
        previous, previous_active = session.last_heartbeat_at, session.last_active
    start = previous if counted_through is None else max(previous, counted_through)
    seconds = 0.0
    if previous_active:
        seconds = min(max((now - start).total_seconds(), 0.0), MAX_COUNTED_GAP_SECONDS)
    high_water = now if counted_through is None else max(counted_through, now)
    return WallCount(seconds=seconds, counted_through=high_water)


def advance_session(session: PlaybackSession, seq: int, active: bool, now: datetime) -> PlaybackSession:
    """The session after a fresh heartbeat.

    Its clock never moves backwards, nor before the session opened: a heartbeat stamped by an
    app server whose clock runs a little behind must not open an interval before the session.
    """
    last = max(session.last_heartbeat_at or session.started_at, now)
    return replace(session, last_seq=seq, last_heartbeat_at=last, last_active=active)


def elapsed_since_previous(session: PlaybackSession, now: datetime) -> float:
    """Seconds since the previous heartbeat (or the session opening), never negative."""
    previous = session.last_heartbeat_at or session.started_at
    return max((now - previous).total_seconds(), 0.0)


def finite(x: object) -> bool:
    """A real, finite number (bool rejected): the only kind a heartbeat may carry."""
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)
