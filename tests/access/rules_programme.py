"""Access rows for the programme connector. The matrix runs with the builtin connector, where
the Kartu Prakerja pages do not exist (404 for everyone signed in); the same pages with the
prakerja connector are covered caller by caller in tests/programme (another learner's state,
anonymous return, admin-only calls)."""
from __future__ import annotations

from tests.access.matrix import Case, everyone, signed_in

CASES = [
    Case("programme.verify", "GET", "/programme/verify", signed_in(404)),
    Case("programme.verify_start", "POST", "/programme/verify", signed_in(404), data={}),
    Case("programme.callback", "GET", "/programme/callback?state=matrix", signed_in(404)),
    Case("programme.submission_file", "GET", "/programme/files/not-a-signed-link",
         everyone(404)),
    Case("programme.calls", "GET", "/admin/programme/calls", signed_in(403, admin=200)),
    Case("programme.retry_call", "POST", "/admin/programme/calls/999999/retry",
         signed_in(403, admin=404), data={}),
]
