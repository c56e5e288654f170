"""What a learner is told about their enrollment's finish-by date: the date, the days left,
or that it has passed (then nothing more is credited: lms.learning.deadlines)."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from lms.learning.deadlines import is_past_deadline
from lms.learning.models import Enrollment

DAY_SECONDS = 86_400


@dataclass(frozen=True)
class Deadline:
    finish_by: datetime
    days_left: int  # whole days, rounded up: "1 day left" until the last second
    expired: bool


def deadline_of(enrollment: Enrollment, now: datetime) -> Deadline | None:
    """None for an enrollment without a finish-by date or one already completed."""
    if enrollment.finish_by is None or enrollment.completed_at is not None:
        return None
    expired = is_past_deadline(enrollment.status, enrollment.finish_by, now)
    left = 0 if expired else math.ceil((enrollment.finish_by - now).total_seconds() / DAY_SECONDS)
    return Deadline(enrollment.finish_by, left, expired)
