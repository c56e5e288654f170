"""Readings (rule 5): complete after their minimum dwell time, counted like watching time.

The page sends a heartbeat every <= HEARTBEAT_SECONDS while visible and on every visibility
change. Time after a visible heartbeat counts, capped at MAX_COUNTED_GAP_SECONDS per gap; a
hidden tab, a closed laptop or a replayed request earns nothing.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import datetime

from lms.pacing.rules_common import (
    READING_MIN_DWELL_FLOOR_SECONDS,
    READING_WORDS_PER_MINUTE,
    HeartbeatOutcome,
    PlaybackSession,
    advance_session,
    count_wall_time,
    deadline_passed,
    finite,
    fresh_sequence,
    require_aware,
    valid_seq,
)


@dataclass(frozen=True, slots=True)
class ReadingProgress:
    """Pacing state of one enrollment x reading module (one DB row)."""

    counted_seconds: float = 0.0
    counted_through: datetime | None = None
    completed: bool = False


@dataclass(frozen=True, slots=True)
class ReadingHeartbeat:
    """What the reading page reports: is the page visible, and its per-session seq."""

    visible: bool
    seq: int


@dataclass(frozen=True, slots=True)
class ReadingDecision:
    outcome: HeartbeatOutcome
    counted_seconds: float  # module total after this heartbeat
    completed: bool
    counted_wall_seconds: float = 0.0  # added by this heartbeat
    newly_completed: bool = False


@dataclass(frozen=True, slots=True)
class ReadingResult:
    progress: ReadingProgress
    session: PlaybackSession
    decision: ReadingDecision


def reading_min_dwell_seconds(word_count: int, provider_seconds: float | None = None) -> float:
    """Minimum dwell time of a reading.

    The provider's value when set (they know their material: tables, exercises); otherwise
    the time to read `word_count` words at READING_WORDS_PER_MINUTE (200 wpm, a brisk but
    attentive adult pace), never under READING_MIN_DWELL_FLOOR_SECONDS (10 s) so even a short
    note must be opened and looked at.
    """
    if provider_seconds is not None:
        if not finite(provider_seconds) or provider_seconds < 0:
            raise ValueError("provider_seconds must be a non-negative finite number")
        return float(provider_seconds)
    if isinstance(word_count, bool) or not isinstance(word_count, int) or word_count < 0:
        raise ValueError("word_count must be a non-negative int")
    derived = math.ceil(word_count * 60 / READING_WORDS_PER_MINUTE)
    return float(max(derived, READING_MIN_DWELL_FLOOR_SECONDS))


def apply_reading_heartbeat(
    progress: ReadingProgress,
    session: PlaybackSession,
    heartbeat: ReadingHeartbeat,
    now: datetime,
    *,
    min_dwell_seconds: float,
    finish_by: datetime | None = None,
) -> ReadingResult:
    """Apply one visible-page heartbeat at server time `now`.

    Same order of refusals as video heartbeats (invalid, session ended, deadline, stale seq),
    each leaving the state unchanged; a fresh one counts wall time with `count_wall_time`
    (previous heartbeat visible, gap capped, overlapping sessions never double counted) and
    completes the reading once the counted dwell reaches `min_dwell_seconds`.
    """
    require_aware(now, "now")
    if not finite(min_dwell_seconds) or min_dwell_seconds < 0:
        raise ValueError("min_dwell_seconds must be a non-negative finite number")

    def refuse(outcome: HeartbeatOutcome) -> ReadingResult:
        decision = ReadingDecision(
            outcome=outcome, counted_seconds=progress.counted_seconds, completed=progress.completed
        )
        return ReadingResult(progress=progress, session=session, decision=decision)

    if not (isinstance(heartbeat.visible, bool) and valid_seq(heartbeat.seq)):
        return refuse(HeartbeatOutcome.INVALID_HEARTBEAT)
    if session.ended:
        return refuse(HeartbeatOutcome.SESSION_ENDED)
    if deadline_passed(finish_by, now):
        return refuse(HeartbeatOutcome.DEADLINE_PASSED)
    if not fresh_sequence(session, heartbeat.seq):
        return refuse(HeartbeatOutcome.STALE_SEQUENCE)

    wall = count_wall_time(session, progress.counted_through, heartbeat.visible, now)
    total = progress.counted_seconds + wall.seconds
    completed = progress.completed or total >= min_dwell_seconds
    new_progress = replace(
        progress, counted_seconds=total, counted_through=wall.counted_through, completed=completed
    )
    decision = ReadingDecision(
        outcome=HeartbeatOutcome.ACCEPTED,
        counted_seconds=total,
        completed=completed,
        counted_wall_seconds=wall.seconds,
        newly_completed=completed and not progress.completed,
    )
    return ReadingResult(
        progress=new_progress,
        session=advance_session(session, heartbeat.seq, heartbeat.visible, now),
        decision=decision,
    )
