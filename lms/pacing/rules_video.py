"""Heartbeats on a video module: no skipping ahead, no speeding up (rules 2, 3, 5, 6, 7).

The browser reports where it is; the server decides what that is worth. Two caps hold whatever
it sends:

* the frontier never passes the delivered segments (proof the media reached this learner), and
* media time credited over the module never exceeds counted wall time + SPEED_ALLOWANCE_SECONDS.

Together with END_TOLERANCE_SECONDS that means a video of duration D needs at least D - 5 s of
real time in playback sessions, at any playback rate, heartbeat timing or number of sessions.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from lms.pacing.rules_common import (
    END_TOLERANCE_SECONDS,
    MAX_COUNTED_GAP_SECONDS,
    MAX_PLAYBACK_RATE,
    POSITION_OVERSHOOT_SECONDS,
    SEGMENT_SECONDS,
    SKIP_SLACK_SECONDS,
    SPEED_ALLOWANCE_SECONDS,
    HeartbeatOutcome,
    PlaybackSession,
    advance_session,
    count_wall_time,
    deadline_passed,
    elapsed_since_previous,
    finite,
    fresh_sequence,
    require_aware,
    valid_seq,
)
from lms.pacing.rules_segments import check_media, delivered_until
from lms.pacing.rules_video_progress import VideoProgress


@dataclass(frozen=True, slots=True)
class Heartbeat:
    """What the player reports: position (s), playing flag, playback rate, per-session seq."""

    position: float
    playing: bool
    rate: float
    seq: int


@dataclass(frozen=True, slots=True)
class HeartbeatDecision:
    """The server's answer to one heartbeat, and the numbers its evidence row records.

    resume_at is set only for AHEAD_OF_FRONTIER: the player must jump back there (HTTP 409).
    """

    outcome: HeartbeatOutcome
    frontier: float
    completed: bool
    credited_seconds: float = 0.0
    counted_wall_seconds: float = 0.0
    resume_at: float | None = None
    newly_completed: bool = False
    skip_tolerance: float | None = None


@dataclass(frozen=True, slots=True)
class HeartbeatResult:
    """New module progress, new session, and the decision (states unchanged when refused)."""

    progress: VideoProgress
    session: PlaybackSession
    decision: HeartbeatDecision


def skip_tolerance_seconds(session: PlaybackSession, now: datetime) -> float:
    """How far past the frontier a heartbeat may report before it counts as a skip.

    min(wall time since the previous heartbeat or session opening, MAX_COUNTED_GAP_SECONDS)
    + SKIP_SLACK_SECONDS. An honest 1x player advances exactly as much media as wall time passed
    between two heartbeats, so it is never further ahead than that elapsed time plus network
    jitter, whatever the gap (10 s normally, ~25 s on a bad link). The elapsed time is
    measured on the server, so a client cannot widen its own tolerance except by waiting, and
    waiting is what the rule wants. A larger jump is refused outright: frontier stays, the
    player is sent back to it. Within the tolerance, credit is still capped by the speed rule.
    """
    return min(elapsed_since_previous(session, now), MAX_COUNTED_GAP_SECONDS) + SKIP_SLACK_SECONDS


def _valid_heartbeat(hb: Heartbeat, duration: float) -> bool:
    """Reject anything no real player can produce; such input must not touch state."""
    return (
        finite(hb.position)
        and 0 <= hb.position <= duration + POSITION_OVERSHOOT_SECONDS
        and finite(hb.rate)
        and 0 < hb.rate <= MAX_PLAYBACK_RATE
        and isinstance(hb.playing, bool)
        and valid_seq(hb.seq)
    )


def video_complete(frontier: float, duration: float) -> bool:
    """Rule 5: the frontier reached the end, within END_TOLERANCE_SECONDS."""
    return frontier >= duration - END_TOLERANCE_SECONDS


def resume_position(progress: VideoProgress, duration: float) -> float:
    """Rule 6: where the player should start when the module is reopened, on any device.

    The last reported position, clamped to [0, duration] and never past the frontier, so a
    resumed player never starts in territory the server has not credited.
    """
    return max(0.0, min(progress.last_position, progress.frontier, duration))


def apply_heartbeat(
    progress: VideoProgress,
    session: PlaybackSession,
    heartbeat: Heartbeat,
    now: datetime,
    *,
    duration: float,
    segment_seconds: float = SEGMENT_SECONDS,
    finish_by: datetime | None = None,
) -> HeartbeatResult:
    """Apply one heartbeat of `session` to the module's progress at server time `now`.

    Checks, in order: invalid input, ended session, deadline, stale seq: each refuses with the
    state unchanged. A fresh heartbeat then counts wall time (`count_wall_time`) and, if its
    position is ahead of the frontier but within the skip tolerance, moves the frontier to
    min(position, frontier + speed budget, delivered_until). Beyond the tolerance it is a skip:
    the wall time still counts (the session was genuinely open) but the frontier stays and the
    player is told to resume at it.
    """
    require_aware(now, "now")
    check_media(duration, segment_seconds)

    def refuse(outcome: HeartbeatOutcome) -> HeartbeatResult:
        decision = HeartbeatDecision(
            outcome=outcome, frontier=progress.frontier, completed=progress.completed
        )
        return HeartbeatResult(progress=progress, session=session, decision=decision)

    if not _valid_heartbeat(heartbeat, duration):
        return refuse(HeartbeatOutcome.INVALID_HEARTBEAT)
    if session.ended:
        return refuse(HeartbeatOutcome.SESSION_ENDED)
    if deadline_passed(finish_by, now):
        return refuse(HeartbeatOutcome.DEADLINE_PASSED)
    if not fresh_sequence(session, heartbeat.seq):
        return refuse(HeartbeatOutcome.STALE_SEQUENCE)

    tolerance = skip_tolerance_seconds(session, now)
    wall = count_wall_time(session, progress.counted_through, heartbeat.playing, now)
    counted_total = progress.counted_wall_seconds + wall.seconds
    new_session = advance_session(session, heartbeat.seq, heartbeat.playing, now)
    position = min(float(heartbeat.position), duration)
    frontier = progress.frontier

    if position > frontier + tolerance:
        outcome = HeartbeatOutcome.AHEAD_OF_FRONTIER
        new_frontier, last_position, resume_at = frontier, frontier, frontier
    else:
        outcome = HeartbeatOutcome.ACCEPTED
        resume_at = None
        last_position = position
        new_frontier = frontier
        if position > frontier:
            budget = max(counted_total + SPEED_ALLOWANCE_SECONDS - progress.credited_seconds, 0.0)
            reach = delivered_until(progress.delivered, duration, segment_seconds)
            new_frontier = max(frontier, min(position, frontier + budget, reach))

    credit = new_frontier - frontier
    completed = progress.completed or video_complete(new_frontier, duration)
    new_progress = replace(
        progress,
        frontier=new_frontier,
        last_position=last_position,
        credited_seconds=progress.credited_seconds + credit,
        counted_wall_seconds=counted_total,
        counted_through=wall.counted_through,
        completed=completed,
    )
    decision = HeartbeatDecision(
        outcome=outcome,
        frontier=new_frontier,
        completed=completed,
        credited_seconds=credit,
        counted_wall_seconds=wall.seconds,
        resume_at=resume_at,
        newly_completed=completed and not progress.completed,
        skip_tolerance=tolerance,
    )
    return HeartbeatResult(progress=new_progress, session=new_session, decision=decision)
