"""Access rows for the learner's settings page and the staff's extra-time page."""
from __future__ import annotations

from tests.access.matrix import Case, signed_in

CASES = [
    Case("preferences.settings", "GET", "/settings/", signed_in(200)),
    # An empty form chooses nothing: refused, nothing saved.
    Case("preferences.settings", "POST", "/settings/", signed_in(422), data={}),
    Case("accommodations.overview", "GET", "/grading/extra-time/",
         signed_in(403, staff=200, other_staff=200, admin=200)),
    Case("accommodations.give", "POST", "/grading/extra-time/",
         signed_in(403, staff=422, other_staff=422, admin=422), data={}),
]
