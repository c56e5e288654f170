"""What a learner is told about their enrollment's finish-by date: the date, the days left,
or that it has passed (then nothing more is credited, pacing rule 7)."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from lms.learning.models import Enrollment, EnrollmentStatus
from lms.pacing.rules_common import deadline_passed

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
    expired = enrollment.status == EnrollmentStatus.EXPIRED \
        or deadline_passed(enrollment.finish_by, now)
    left = 0 if expired else math.ceil((enrollment.finish_by - now).total_seconds() / DAY_SECONDS)
    return Deadline(enrollment.finish_by, left, expired)
