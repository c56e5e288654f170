"""The pacing state of one enrollment x video module, which the heartbeat rules
(`rules_video`) and the segment gate (`rules_segments`) both read and return."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class VideoProgress:
    """Pacing state of one enrollment x video module (one DB row).

    frontier: furthest media second legitimately reached (credited_seconds == frontier when the
      row starts from zero; both are kept so the speed cap reads as the rule says).
    last_position: where the player last was, for resume (never ahead of the frontier).
    counted_wall_seconds: server-measured wall time in this module's playback sessions.
    counted_through: latest instant already counted, so overlapping sessions never double count.
    delivered: indexes of the segments served to this learner (see rules_segments).
    completed: sticky; once true it never goes back.
    """

    frontier: float = 0.0
    last_position: float = 0.0
    credited_seconds: float = 0.0
    counted_wall_seconds: float = 0.0
    counted_through: datetime | None = None
    delivered: frozenset[int] = frozenset()
    completed: bool = False
