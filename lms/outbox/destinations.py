"""Where outbox messages go. A destination sends one message and says whether the other side
acknowledged it; the outbox does the rest (claiming, ordering, retrying, recording).

Domains register a factory per destination name; the factory reads the app's configuration
and answers None while the destination is not configured, so its messages wait (they are
kept, not dropped) until it is.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol


@dataclass(frozen=True)
class Envelope:
    """A claimed message as a destination sees it: plain values, safe to use off the session
    (deliveries run in a pool of sender threads)."""

    id: int
    message_id: str
    event_type: str
    body: str
    attempts: int
    created_at: datetime


@dataclass(frozen=True)
class Outcome:
    delivered: bool
    error: str | None = None


class Destination(Protocol):
    def deliver(self, envelope: Envelope) -> Outcome: ...


DestinationFactory = Callable[[Mapping[str, Any]], Destination | None]

_FACTORIES: dict[str, DestinationFactory] = {}


def register(name: str, factory: DestinationFactory) -> None:
    _FACTORIES[name] = factory


def registered() -> tuple[str, ...]:
    return tuple(sorted(_FACTORIES))


def configured(config: Mapping[str, Any]) -> dict[str, Destination]:
    """The destinations this configuration can deliver to, by name."""
    built = {name: factory(config) for name, factory in _FACTORIES.items()}
    return {name: destination for name, destination in built.items() if destination is not None}
