"""The data saver ("Hemat kuota"): which video rung a learner's player may fetch, and roughly
how many bytes a video costs at it. Pure functions of the ladder; no database."""
from __future__ import annotations

from dataclasses import dataclass

# The tallest rung the player may fetch with the data saver on; None: the whole ladder.
DATA_SAVER_HEIGHTS = (360, 240)


@dataclass(frozen=True)
class Rung:
    name: str
    height: int
    bandwidth: int  # bits per second, as in the master playlist


@dataclass(frozen=True)
class DataEstimate:
    rung: Rung
    megabytes: float


def is_known_height(height: int | None) -> bool:
    return height is None or height in DATA_SAVER_HEIGHTS


def capped_rungs(rungs: list[Rung], max_height: int | None) -> list[Rung]:
    """The rungs the player may choose from, lowest first; never empty when `rungs` is not
    (a ladder whose every rung is taller than the cap keeps its lowest one)."""
    ordered = sorted(rungs, key=lambda r: (r.height, r.bandwidth))
    if max_height is None:
        return ordered
    allowed = [r for r in ordered if r.height <= max_height]
    return allowed or ordered[:1]


def estimate(rungs: list[Rung], max_height: int | None, duration_seconds: float) -> DataEstimate | None:
    """The data a whole video uses at the best rung the learner may get (an upper bound:
    the player may pick a lower one on a slow connection). None without a ladder."""
    allowed = capped_rungs(rungs, max_height)
    if not allowed or duration_seconds <= 0:
        return None
    best = allowed[-1]
    return DataEstimate(rung=best, megabytes=best.bandwidth * duration_seconds / 8 / 1_000_000)
