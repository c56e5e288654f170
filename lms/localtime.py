"""Learners' local time: Indonesia spans WIB (UTC+7), WITA (UTC+8) and WIT (UTC+9), so 23:30
in Jakarta is already tomorrow in Jayapura. Pure functions; the zone used when a person has
none comes from configuration (`DEFAULT_TIMEZONE`, read by `lms.i18n.default_timezone`)."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def require_aware(value: datetime, name: str) -> None:
    """Naive datetimes are a programming error: comparing them with UTC would shift by hours."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime")


def zone_of(tz: str) -> ZoneInfo:
    """The named IANA zone; unknown names raise ValueError rather than silently using UTC."""
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone: {tz!r}") from exc


def local_date(instant: datetime, tz: str) -> date:
    """The calendar date at `instant` in zone `tz`."""
    require_aware(instant, "instant")
    return instant.astimezone(zone_of(tz)).date()


def local_date_or_default(instant: datetime, tz: str | None, default_tz: str) -> date:
    """As `local_date`, in `default_tz` when `tz` is missing or unknown (stored records
    whose zone is no longer valid still print a date)."""
    try:
        return local_date(instant, tz or default_tz)
    except ValueError:
        return local_date(instant, default_tz)
