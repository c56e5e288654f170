"""The route access matrix: every (endpoint, method) of the app with the answer each kind of
caller must get. A route without a row here fails `test_route_matrix`.

Add rows for a new domain in a file `tests/access/rules_<domain>.py` that defines
`CASES: list[Case]` and, when its paths need ids of its own objects, a function
`extend_world(world: dict) -> None` that creates them (with tests.factories or the domain's
services) and stores their ids in `world`. Paths use `{name}` placeholders filled from the
world. POST rows should send a body that cannot change shared state for the next caller
(e.g. an empty or invalid body): the row is about the access decision, not the effect.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ROLES = ("anonymous", "learner", "other_learner", "staff", "other_staff", "admin")

# Shorthands for common expectations.
LOGIN = 302  # pages redirect anonymous callers to the sign-in form
UNAUTH = 401  # the API answers anonymous callers with 401


@dataclass(frozen=True)
class Case:
    endpoint: str
    method: str
    path: str
    expect: dict[str, int]
    json: Any = None
    data: dict | None = None
    headers: dict = field(default_factory=dict)

    def __post_init__(self):
        missing = set(ROLES) - set(self.expect)
        if missing:
            raise ValueError(f"{self.endpoint} {self.method}: no expectation for {sorted(missing)}")


def everyone(status: int, **overrides: int) -> dict[str, int]:
    """The same answer for every caller except those named."""
    return {role: overrides.get(role, status) for role in ROLES}


def signed_in(status: int, anonymous: int = LOGIN, **overrides: int) -> dict[str, int]:
    return everyone(status, anonymous=anonymous, **overrides)
