"""The current time, injectable so tests control time instead of sleeping through videos."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from flask import current_app


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class FrozenClock:
    """A clock that moves only when told to; tests install it with `install_clock`."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 1, 5, 2, 0, tzinfo=timezone.utc)

    def now(self) -> datetime:
        return self._now

    def advance(self, seconds: float) -> datetime:
        self._now += timedelta(seconds=seconds)
        return self._now


def install_clock(app, clock) -> None:
    app.extensions["alur.clock"] = clock


def utcnow() -> datetime:
    """Now, from the app's clock when there is an app, else the system's."""
    try:
        clock = current_app.extensions.get("alur.clock")
    except RuntimeError:
        clock = None
    return (clock or SystemClock()).now()
