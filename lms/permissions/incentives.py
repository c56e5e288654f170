"""Who may reach the incentive ledger, and what a payer's credentials reach at all.

A payer account exists only to read eligibility and report payments: its session or token
counts as a sign-in on the payer's own endpoints and nowhere else (elsewhere it is treated as
no sign-in at all), so it can never read a learner's data through any other route.
"""
from __future__ import annotations

from lms.accounts.models import Role, User
from lms.incentives.errors import PayerOnly
from lms.permissions.derive import ensure_from

PAYER_ENDPOINTS = frozenset({"api.eligibility.list_items", "api.eligibility.set_status"})


def may_use_payer_api(user: User | None) -> bool:
    """Payers and programme admins."""
    return bool(user and user.is_authenticated and user.role in (Role.PAYER, Role.ADMIN))


ensure_may_use_payer_api = ensure_from(may_use_payer_api, PayerOnly)


def credentials_count_here(user: User, endpoint: str | None) -> bool:
    """Whether the user's session or token signs them in on this endpoint."""
    return user.role != Role.PAYER or endpoint in PAYER_ENDPOINTS
