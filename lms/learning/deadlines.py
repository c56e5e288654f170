"""Rule 7, deadlines: after an enrollment's finish-by instant, or once it has expired, nothing
more is credited — no heartbeat, no segment, no quiz attempt, no skill task."""
from __future__ import annotations

from datetime import datetime, timedelta

from lms.learning.errors import DeadlinePassed
from lms.learning.models import Enrollment, EnrollmentStatus
from lms.learning.rules_deadlines import deadline_passed


def effective_finish_by(status: str, finish_by: datetime | None,
                        now: datetime) -> datetime | None:
    """The finish-by instant the rules apply: an expired enrollment is past its deadline
    whatever its finish-by date says."""
    if status == EnrollmentStatus.EXPIRED:
        return now - timedelta(microseconds=1)
    return finish_by


def is_past_deadline(status: str, finish_by: datetime | None, now: datetime) -> bool:
    return deadline_passed(effective_finish_by(status, finish_by, now), now)


def ensure_before_deadline(enrollment: Enrollment, now: datetime) -> None:
    """Raises DeadlinePassed (403): no retry can change the answer, so the player and the
    quiz pages do not pretend otherwise."""
    if is_past_deadline(enrollment.status, enrollment.finish_by, now):
        raise DeadlinePassed()
