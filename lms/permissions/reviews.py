"""Who may read the ratings learners gave (a learner reads only their own, through the
enrollment's owner check)."""
from __future__ import annotations

from lms.errors import Forbidden
from lms.permissions.assessments import is_staff_or_admin
from lms.permissions.derive import ensure_from

may_read_ratings = is_staff_or_admin
ensure_may_read_ratings = ensure_from(may_read_ratings, Forbidden)
