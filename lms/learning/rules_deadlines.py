"""Rule 7 as a pure function: strictly after the finish-by instant, nothing is credited."""
from __future__ import annotations

from datetime import datetime

from lms.localtime import require_aware


def deadline_passed(finish_by: datetime | None, now: datetime) -> bool:
    if finish_by is None:
        return False
    require_aware(finish_by, "finish_by")
    return now > finish_by
