"""Who a request claims to be, read before any database work.

Heartbeats and segment requests arrive every few seconds from every learner watching. Loading
the user in a query of its own (Flask-Login's loaders) before the query that loads and locks
the playback session doubled their cost, so those hot paths check the claim inside that query
instead (`lms.permissions.owner_claim`) and only fall back to the full check (`load_user`) when
the claim does not match: that fallback decides between 401, 403 and 404 exactly as elsewhere.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from lms.accounts.models import User

SESSION = "session"
TOKEN = "token"
ANONYMOUS = "anonymous"


def _nobody() -> User | None:
    return None


@dataclass(frozen=True)
class Caller:
    """A claimed identity: the user id in the signed session cookie, or the SHA-256 digest of a
    bearer token. `load_user` resolves it fully (None when not signed in)."""

    user_id: int | None = None
    token_digest: str | None = None
    load_user: Callable[[], User | None] = field(default=_nobody, compare=False, repr=False)

    @classmethod
    def of(cls, user: User) -> Caller:
        """A caller already known to be `user` (services called outside a request)."""
        return cls(user_id=user.id, load_user=lambda: user)

    @property
    def kind(self) -> str:
        if self.user_id is not None:
            return SESSION
        if self.token_digest is not None:
            return TOKEN
        return ANONYMOUS

    @property
    def claim(self) -> dict[str, int | str]:
        """The bound parameters of `lms.permissions.owner_claim` for this caller."""
        if self.user_id is not None:
            return {"claimed_user_id": self.user_id}
        if self.token_digest is not None:
            return {"claimed_token_digest": self.token_digest}
        return {}


def as_caller(actor: User | Caller) -> Caller:
    return actor if isinstance(actor, Caller) else Caller.of(actor)
