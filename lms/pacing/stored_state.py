"""Between the stored rows and the pure rules: load rule state from rows, write it back.

The rules work on frozen dataclasses; these helpers are the only place that knows which
column holds which field, so the services stay about order and locking.
"""
from __future__ import annotations

import html as html_lib
import re
from typing import Any

from lms.pacing import rules

_TAGS = re.compile(r"<[^>]*>")
_WORDS = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)


def session_state(row: Any) -> rules.PlaybackSession:
    """Rule state of a playback session (an ORM row or a Core row with its columns)."""
    return rules.PlaybackSession(
        started_at=row.started_at,
        last_seq=row.last_seq,
        last_heartbeat_at=row.last_heartbeat_at,
        last_active=row.last_active,
        ended=row.ended_at is not None,
    )


def session_values(row: Any, state: rules.PlaybackSession) -> dict[str, Any]:
    """The columns that changed (refusals return the state unchanged, so: none)."""
    values = {"last_seq": state.last_seq, "last_heartbeat_at": state.last_heartbeat_at,
              "last_active": state.last_active}
    return {k: v for k, v in values.items() if getattr(row, k) != v}


def video_state(row: Any) -> rules.VideoProgress:
    """Rule state of a video module's progress (ModuleProgress, or a row of its columns)."""
    return rules.VideoProgress(
        frontier=row.frontier_seconds or 0.0,
        last_position=row.position_seconds or 0.0,
        credited_seconds=row.credited_seconds or 0.0,
        counted_wall_seconds=row.wall_seconds or 0.0,
        counted_through=row.counted_through,
        delivered=rules.decode_segments(row.delivered_segments),
        completed=row.completed_at is not None,
    )


def video_values(state: rules.VideoProgress) -> dict[str, Any]:
    """Columns of a video heartbeat's new state. Heartbeats never change the delivered set (the
    segment gate does); completion is recorded by `mark_module_completed`, not here."""
    return {"frontier_seconds": state.frontier, "position_seconds": state.last_position,
            "credited_seconds": state.credited_seconds,
            "wall_seconds": state.counted_wall_seconds, "counted_through": state.counted_through}


def reading_state(row: Any) -> rules.ReadingProgress:
    return rules.ReadingProgress(
        counted_seconds=row.wall_seconds or 0.0,
        counted_through=row.counted_through,
        completed=row.completed_at is not None,
    )


def reading_values(state: rules.ReadingProgress, target: float) -> dict[str, Any]:
    """Counted dwell time is the reading's wall time; its "frontier" is how much of the minimum
    dwell is done, so outlines and the enrollment API show progress for readings too."""
    done = min(state.counted_seconds, target)
    return {"wall_seconds": state.counted_seconds, "counted_through": state.counted_through,
            "frontier_seconds": done, "credited_seconds": done}


def word_count(body: str) -> int:
    """Words of a reading's sanitised HTML, for its derived minimum dwell time."""
    return len(_WORDS.findall(html_lib.unescape(_TAGS.sub(" ", body or ""))))


def reading_target(body: str, provider_seconds: int | None) -> float:
    """The reading's minimum dwell time: the provider's, or derived from its word count."""
    return rules.reading_min_dwell_seconds(
        word_count(body), float(provider_seconds) if provider_seconds is not None else None)
