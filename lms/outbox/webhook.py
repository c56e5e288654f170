"""A destination that POSTs each message as a Standard Webhooks request.

Every attempt carries the message's own id in `webhook-id` (the same on every retry, so the
receiver can de-duplicate), the attempt's time in `webhook-timestamp`, and
`webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">` keyed with the
`whsec_…` secret. Any 2xx answer acknowledges; anything else, or no answer, is a failure.
"""
from __future__ import annotations

import threading
from datetime import datetime, timezone

import requests
from standardwebhooks.webhooks import Webhook

from lms.outbox.destinations import Envelope, Outcome

MAX_ERROR_LENGTH = 500


class WebhookDestination:
    def __init__(self, url: str, secret: str, timeout_seconds: float = 10.0,
                 user_agent: str = "Alur-Webhooks/1") -> None:
        self.url = url
        self.timeout_seconds = timeout_seconds
        self.user_agent = user_agent
        self._signer = Webhook(secret)
        # One keep-alive connection per sender thread: requests' sessions are not thread-safe.
        self._local = threading.local()

    def headers(self, envelope: Envelope, now: datetime) -> dict[str, str]:
        sent_at = now.astimezone(timezone.utc)
        return {
            "content-type": "application/json",
            "user-agent": self.user_agent,
            "webhook-id": envelope.message_id,
            "webhook-timestamp": str(int(sent_at.timestamp())),
            "webhook-signature": self._signer.sign(envelope.message_id, sent_at, envelope.body),
        }

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
        return session

    def deliver(self, envelope: Envelope) -> Outcome:
        headers = self.headers(envelope, datetime.now(timezone.utc))
        try:
            answer = self._session().post(self.url, data=envelope.body.encode(),
                                          headers=headers, timeout=self.timeout_seconds,
                                          allow_redirects=False)
        except requests.RequestException as error:
            return Outcome(False, f"{type(error).__name__}: {error}"[:MAX_ERROR_LENGTH])
        if 200 <= answer.status_code < 300:
            return Outcome(True)
        excerpt = answer.text[:200].strip()
        return Outcome(False, f"HTTP {answer.status_code}: {excerpt}"[:MAX_ERROR_LENGTH])
