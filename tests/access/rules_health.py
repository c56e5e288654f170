"""Access rows for the load balancer's health check: anyone, signed in or not."""
from __future__ import annotations

from tests.access.matrix import Case, everyone

CASES = [
    Case("health.healthz", "GET", "/healthz", everyone(200)),
]
