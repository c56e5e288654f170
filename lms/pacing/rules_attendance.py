"""Daily attendance (rule 8): the first study activity of each local calendar day waits for a
passed verification from the programme (its face check), where the programme requires it.

"Day" is the learner's calendar day in their own IANA zone: Indonesia spans WIB (UTC+7),
WITA (UTC+8) and WIT (UTC+9), so 23:30 in Jakarta is already tomorrow in Jayapura.
"""
from __future__ import annotations

from datetime import date, datetime

from lms.localtime import local_date, require_aware


def local_study_date(tz: str, now: datetime) -> date:
    """The learner's calendar date at `now` (what the verification is recorded against);
    unknown zones raise ValueError."""
    return local_date(now, tz)


def needs_attendance_check(
    last_verified_on: date | None, tz: str, now: datetime, required: bool
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
