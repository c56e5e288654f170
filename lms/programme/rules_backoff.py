"""When a failed programme call is tried again: doubling from 30 seconds, at most 6 hours
apart, so a programme that is down for a day is asked a few dozen times, not thousands."""
from __future__ import annotations

from datetime import datetime, timedelta

FIRST_DELAY_SECONDS = 30
MAX_DELAY_SECONDS = 6 * 3600


def delay_after(failures: int) -> timedelta:
    """The wait after the `failures`-th failed attempt (1 for the first)."""
    exponent = max(0, min(failures - 1, 20))
    return timedelta(seconds=min(FIRST_DELAY_SECONDS * 2 ** exponent, MAX_DELAY_SECONDS))


def next_attempt_at(failed_at: datetime, failures: int) -> datetime:
    return failed_at + delay_after(failures)
