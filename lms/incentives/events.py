"""The ledger's receivers: a certificate issued (a verified completion) creates an item, a
rating can make it eligible, a revocation claws it back — each inside the transaction of its
event. `connect()` is called by `lms.listeners.register` (create_app), with the payer's
webhook destination."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache
from typing import Any

from lms.accounts.models import User
from lms.certificates.events import certificate_issued, certificate_revoked
from lms.certificates.models import Certificate
from lms.clock import utcnow
from lms.incentives import services
from lms.incentives.ledger import PAYER_DESTINATION
from lms.learning.models import Enrollment
from lms.outbox import destinations
from lms.outbox.webhook import WebhookDestination
from lms.reviews.events import course_rated
from lms.reviews.models import Rating


def on_certificate_issued(certificate: Certificate, actor: User | None = None,
                          now: datetime | None = None, **_extra: object) -> None:
    services.record_certificate(certificate, actor, now or utcnow())


def on_course_rated(rating: Rating, enrollment: Enrollment, actor: User | None = None,
                    now: datetime | None = None, **_extra: object) -> None:
    services.record_rating(enrollment, actor, now or utcnow())


def on_certificate_revoked(certificate: Certificate, actor: User | None = None,
                           now: datetime | None = None, **_extra: object) -> None:
    services.record_revocation(certificate, actor, now or utcnow())


def payer_webhook(config: Mapping[str, Any]) -> WebhookDestination | None:
    """The payer's webhook, once PAYER_WEBHOOK_URL and PAYER_WEBHOOK_SECRET are set."""
    url, secret = config.get("PAYER_WEBHOOK_URL"), config.get("PAYER_WEBHOOK_SECRET")
    if not url or not secret:
        return None
    return _webhook(url, secret, float(config.get("PAYER_WEBHOOK_TIMEOUT") or 10))


@lru_cache(maxsize=8)
def _webhook(url: str, secret: str, timeout: float) -> WebhookDestination:
    # One destination per setting, so its sender threads keep their connections between passes.
    return WebhookDestination(url, secret, timeout)


def connect() -> None:
    """Connect the receivers (blinker ignores a receiver connected twice)."""
    certificate_issued.connect(on_certificate_issued)
    course_rated.connect(on_course_rated)
    certificate_revoked.connect(on_certificate_revoked)
    destinations.register(PAYER_DESTINATION, payer_webhook)
