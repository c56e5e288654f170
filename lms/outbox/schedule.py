"""When a failed delivery is tried again: exponential back-off, capped, never given up.

Delays after the n-th failed attempt: 10 s, 30 s, 1.5 min, 4.5 min, 13.5 min, 40.5 min,
2 h, then every 6 h. The first eight attempts span about 3 h 20 min; a message keeps being
retried every 6 hours after that (so well past 24 hours) until it is acknowledged or an admin
retries it at once.
"""
from __future__ import annotations

from datetime import timedelta

FIRST_DELAY_SECONDS = 10
GROWTH = 3
MAX_DELAY_SECONDS = 6 * 3600


def retry_delay(failed_attempts: int) -> timedelta:
    """How long to wait after the `failed_attempts`-th failure (1 = the first)."""
    exponent = max(failed_attempts, 1) - 1
    # Past the cap the growth no longer matters; the bound keeps the power small.
    seconds = FIRST_DELAY_SECONDS * GROWTH ** min(exponent, 20)
    return timedelta(seconds=min(seconds, MAX_DELAY_SECONDS))
