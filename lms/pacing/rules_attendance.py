"""Daily attendance (rule 8): the first study activity of each local calendar day waits for a
passed verification from the programme (its face check), where the programme requires it.

"Day" is the learner's calendar day in their own IANA zone: Indonesia spans WIB (UTC+7),
WITA (UTC+8) and WIT (UTC+9), so 23:30 in Jakarta is already tomorrow in Jayapura.
"""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lms.pacing.rules_common import require_aware

#: Used when a learner has not chosen a zone: the programme's capital-city default (WIB).
DEFAULT_TIME_ZONE: str = "Asia/Jakarta"


def learner_zone(tz: str | None) -> ZoneInfo:
    """The learner's zone; unknown names raise ValueError rather than silently using UTC."""
    try:
        return ZoneInfo(tz or DEFAULT_TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone: {tz!r}") from exc


def local_study_date(tz: str | None, now: datetime) -> date:
    """The learner's calendar date at `now` (what the verification is recorded against)."""
    require_aware(now, "now")
    return now.astimezone(learner_zone(tz)).date()


def needs_attendance_check(
    last_verified_on: date | None, tz: str | None, now: datetime, required: bool
) -> bool:
    """Whether study must wait for today's verification before any activity counts.

    False when the programme does not require it. Otherwise true unless a verification has
    passed on the learner's current local date. A date later than today (the learner verified,
    then moved to a zone further west) counts as done: they have verified for this day already.
    """
    if not required:
        require_aware(now, "now")
        return False
    today = local_study_date(tz, now)
    return last_verified_on is None or last_verified_on < today
