"""Proof of delivery (rule 4): which media segments may be served, and what was delivered.

The frontier may never pass a segment that was not delivered to this learner, so a client that
never downloaded the video cannot claim to have watched it. Segments may arrive out of order
(parallel fetches, retries), so the delivered set is a set, not a high-water mark; only the
unbroken run from segment 0 counts (`delivered_until`).
"""
from __future__ import annotations

import math
import re
from dataclasses import replace
from collections.abc import Iterable

from lms.pacing.rules_common import LOOKAHEAD_SECONDS, SEGMENT_SECONDS
from lms.pacing.rules_video_progress import VideoProgress

#: Highest segment index the codec accepts: 100,000 segments of 6 s is over 160 hours, far past
#: any module; the cap keeps a corrupt or hostile stored value from exhausting memory.
MAX_SEGMENT_INDEX: int = 99_999

# Rounding guard: 60.000000001 s of video at 6 s per segment is 10 segments, not 11.
_COUNT_EPSILON = 1e-6

_RANGE = re.compile(r"(\d{1,6})(?:-(\d{1,6}))?")


def check_media(duration: float, segment_seconds: float) -> None:
    """Media parameters come from our own pipeline; nonsense there is a bug, not learner input."""
    if not (isinstance(duration, (int, float)) and math.isfinite(duration) and duration > 0):
        raise ValueError("duration must be a positive finite number of seconds")
    if not (
        isinstance(segment_seconds, (int, float))
        and math.isfinite(segment_seconds)
        and segment_seconds > 0
    ):
        raise ValueError("segment_seconds must be a positive finite number of seconds")


def segment_count(duration: float, segment_seconds: float = SEGMENT_SECONDS) -> int:
    """How many segments the media has: aligned segments, the last one possibly shorter."""
    check_media(duration, segment_seconds)
    return max(1, math.ceil(duration / segment_seconds - _COUNT_EPSILON))


def _valid_index(segment_index: object, duration: float, segment_seconds: float) -> bool:
    return (
        isinstance(segment_index, int)
        and not isinstance(segment_index, bool)
        and 0 <= segment_index < segment_count(duration, segment_seconds)
    )


def delivered_until(
    delivered: Iterable[int], duration: float, segment_seconds: float = SEGMENT_SECONDS
) -> float:
    """End (seconds) of the unbroken run of delivered segments that starts at segment 0.

    A gap stops the run: segment 5 delivered without segment 4 proves nothing about 24-30 s.
    """
    check_media(duration, segment_seconds)
    have = delivered if isinstance(delivered, (set, frozenset)) else set(delivered)
    run = 0
    while run in have:
        run += 1
    return min(run * segment_seconds, duration)


def may_serve_segment(
    progress: VideoProgress,
    segment_index: int,
    segment_seconds: float,
    duration: float,
) -> bool:
    """Whether this learner's player may download the segment now.

    True iff the index exists in the media and the segment starts no later than
    frontier + LOOKAHEAD_SECONDS. Seeking backwards is always possible: every earlier segment
    starts before the frontier. (Locked modules and foreign sessions are refused before this
    is asked; this function answers only the look-ahead question.)
    """
    if not _valid_index(segment_index, duration, segment_seconds):
        return False
    return segment_index * segment_seconds <= progress.frontier + LOOKAHEAD_SECONDS


def record_segment_delivery(
    progress: VideoProgress,
    segment_index: int,
    *,
    duration: float,
    segment_seconds: float = SEGMENT_SECONDS,
) -> VideoProgress:
    """The progress after a segment was served to the learner (idempotent).

    Records a fact, so it does not re-check the look-ahead (the caller asked
    `may_serve_segment` before serving); the frontier itself never moves here.
    """
    if not _valid_index(segment_index, duration, segment_seconds):
        raise ValueError(f"segment {segment_index!r} does not exist in this media")
    if segment_index in progress.delivered:
        return progress
    return replace(progress, delivered=progress.delivered | {segment_index})


def encode_segments(delivered: Iterable[int]) -> str:
    """Compact text for one DB column: sorted ranges, e.g. ``"0-41,43,45-50"``; empty is ``""``.

    The common case (everything delivered in order) stays a few characters whatever the length
    of the video.
    """
    indexes = sorted(set(delivered))
    for i in indexes:
        if isinstance(i, bool) or not isinstance(i, int) or not 0 <= i <= MAX_SEGMENT_INDEX:
            raise ValueError(f"segment index out of range: {i!r}")
    parts: list[str] = []
    start = prev = None
    for i in indexes:
        if start is None:
            start = prev = i
        elif i == prev + 1:
            prev = i
        else:
            parts.append(f"{start}" if start == prev else f"{start}-{prev}")
            start = prev = i
    if start is not None:
        parts.append(f"{start}" if start == prev else f"{start}-{prev}")
    return ",".join(parts)


def decode_segments(text: str | None) -> frozenset[int]:
    """Inverse of `encode_segments`; strict, so a corrupt column fails loudly (ValueError)."""
    if not text:
        return frozenset()
    out: set[int] = set()
    for part in text.split(","):
        match = _RANGE.fullmatch(part)
        if match is None:
            raise ValueError(f"malformed segment range: {part!r}")
        first = int(match.group(1))
        last = int(match.group(2)) if match.group(2) is not None else first
        if first > last or last > MAX_SEGMENT_INDEX:
            raise ValueError(f"segment range out of order or too large: {part!r}")
        out.update(range(first, last + 1))
    return frozenset(out)
