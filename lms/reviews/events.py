"""Rating events other domains (incentive eligibility) react to."""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: Sent once per enrollment when the learner's rating and review are recorded, inside that
#: transaction: sender=the Rating, with `enrollment`, `actor` and `now`.
course_rated = _signals.signal("course-rated")
