"""A destination that POSTs each message as a Standard Webhooks request.

Every attempt carries the message's own id in `webhook-id` (the same on every retry, so the
receiver can de-duplicate), the attempt's time in `webhook-timestamp`, and
`webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">` keyed with the
`whsec_…` secret. Any 2xx answer acknowledges; anything else, or no answer, is a failure.

Requests go out on one keep-alive connection per sender thread (the standard library's
http.client: a delivery costs a fraction of what a general HTTP client costs, which is what
lets one worker send hundreds a second).
"""
from __future__ import annotations

import http.client
import threading
from datetime import datetime, timezone
from urllib.parse import urlsplit

from standardwebhooks.webhooks import Webhook

from lms.outbox.destinations import Envelope, Outcome

MAX_ERROR_LENGTH = 500
_NETWORK_ERRORS = (OSError, http.client.HTTPException)


class WebhookDestination:
    def __init__(self, url: str, secret: str, timeout_seconds: float = 10.0,
                 user_agent: str = "Alur-Webhooks/1") -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {url!r}")
        self.url = url
        self._https = parts.scheme == "https"
        self._host, self._port = parts.hostname, parts.port
        self._path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self.timeout_seconds = timeout_seconds
        self.user_agent = user_agent
        self._signer = Webhook(secret)
        self._local = threading.local()

    def headers(self, envelope: Envelope, now: datetime) -> dict[str, str]:
        sent_at = now.astimezone(timezone.utc)
        return {
            "Content-Type": "application/json",
            "User-Agent": self.user_agent,
            "webhook-id": envelope.message_id,
            "webhook-timestamp": str(int(sent_at.timestamp())),
            "webhook-signature": self._signer.sign(envelope.message_id, sent_at, envelope.body),
        }

    def _connection(self) -> http.client.HTTPConnection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            kind = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
            connection = self._local.connection = kind(self._host, self._port,
                                                       timeout=self.timeout_seconds)
        return connection

    def _drop_connection(self) -> None:
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None

    def _post(self, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        connection = self._connection()
        connection.request("POST", self._path, body=body, headers=headers)
        answer = connection.getresponse()
        excerpt = answer.read(64 * 1024)
        if answer.will_close:
            self._drop_connection()
        return answer.status, excerpt

    def deliver(self, envelope: Envelope) -> Outcome:
        headers = self.headers(envelope, datetime.now(timezone.utc))
        body = envelope.body.encode()
        reused = getattr(self._local, "connection", None) is not None
        try:
            try:
                status, excerpt = self._post(body, headers)
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # A kept-alive connection the receiver had closed: one fresh try.
                self._drop_connection()
                if not reused:
                    raise
                status, excerpt = self._post(body, headers)
        except _NETWORK_ERRORS as error:
            self._drop_connection()
            return Outcome(False, f"{type(error).__name__}: {error}"[:MAX_ERROR_LENGTH])
        if 200 <= status < 300:
            return Outcome(True)
        text = excerpt[:200].decode("utf-8", "replace").strip()
        return Outcome(False, f"HTTP {status}: {text}"[:MAX_ERROR_LENGTH])
