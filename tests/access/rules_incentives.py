"""Access rows for the eligibility ledger (payer API, admin pages) and the outbox pages.

The payer role is not a column of the matrix: tests/access/test_payer_reach.py walks every
row of the matrix with a payer's token and session and shows they reach nothing but these."""
from __future__ import annotations

from tests.access.matrix import UNAUTH, Case, signed_in

ADMIN_ONLY = signed_in(403, admin=200)

CASES = [
    Case("api.eligibility.list_items", "GET", "/api/v1/eligibility",
         signed_in(403, anonymous=UNAUTH, admin=200)),
    Case("api.eligibility.set_status", "POST", "/api/v1/eligibility/999999/status",
         signed_in(403, anonymous=UNAUTH, admin=404), json={}),
    Case("incentives_admin.index", "GET", "/admin/eligibility/", ADMIN_ONLY),
    Case("incentives_admin.export", "GET", "/admin/eligibility/export.csv", ADMIN_ONLY),
    Case("outbox_admin.index", "GET", "/admin/deliveries/", ADMIN_ONLY),
    Case("outbox_admin.retry", "POST", "/admin/deliveries/999999/retry",
         signed_in(403, admin=404), data={}),
]
