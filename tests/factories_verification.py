"""Factories for completions under review."""
from __future__ import annotations

from datetime import datetime, timezone

from lms.extensions import db
from lms.learning.models import Enrollment
from lms.verification.models import Completion, CompletionStatus


def completion(enrollment: Enrollment, status: str = CompletionStatus.VERIFIED,
               flags: list[dict] | None = None, commit: bool = True) -> Completion:
    """A completion row for an enrollment marked completed directly (no signal, no checks)."""
    now = enrollment.completed_at or datetime.now(timezone.utc)
    row = Completion(enrollment_id=enrollment.id, user_id=enrollment.user_id,
                     course_id=enrollment.course_id, provider_id=enrollment.course.provider_id,
                     status=status, completed_at=now, created_at=now, flags=flags or [],
                     flag_codes=",".join(f["code"] for f in flags or []), evidence={},
                     checked_at=now)
    db.session.add(row)
    db.session.flush()
    if commit:
        db.session.commit()
    return row
