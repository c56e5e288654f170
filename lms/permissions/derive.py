"""How every `ensure_*` is made from its `may_*`, so the question and the refusal never drift.

A `may_*` answers (True or False, never raises); the `ensure_*` derived from it raises the
refusal when the answer is False. Rules whose refusal depends on which part failed (403 for
the wrong kind of account, 404 for another provider's data) are two `may_*` checked in turn.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from lms.errors import AlurError

Subject = TypeVar("Subject")


def ensure_from(may: Callable[..., bool],
                refusal: Callable[[], AlurError]) -> Callable[..., None]:
    """`ensure(*args)` raises `refusal()` unless `may(*args)`."""
    def ensure(*args: Any) -> None:
        if not may(*args):
            raise refusal()
    ensure.__doc__ = f"Raises unless `{may.__name__}`: {may.__doc__ or ''}".strip()
    ensure.may = may  # type: ignore[attr-defined]
    return ensure


def ensure_subject_from(may: Callable[[Any, Subject], bool],
                        refusal: Callable[[], AlurError]
                        ) -> Callable[[Any, Subject | None], Subject]:
    """`ensure(user, subject)` returns the subject, or raises `refusal()` when it is missing
    or `may(user, subject)` is False: a missing thing and a forbidden one look the same."""
    def ensure(user: Any, subject: Subject | None) -> Subject:
        if subject is None or not may(user, subject):
            raise refusal()
        return subject
    ensure.__doc__ = f"Raises unless `{may.__name__}`: {may.__doc__ or ''}".strip()
    ensure.may = may  # type: ignore[attr-defined]
    return ensure
