"""The payer's side in tests: a real HTTP server on loopback that checks every webhook with
its own Standard Webhooks verifier (written from the specification, not the signing library)
and de-duplicates by `webhook-id`, as a careful payer would."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOLERANCE_SECONDS = 300
SECRET = "whsec_" + base64.b64encode(b"alur-test-webhook-secret-32bytes").decode()


class BadSignature(Exception):
    pass


def verify(secret: str, headers: dict[str, str], body: bytes, now: float | None = None) -> dict:
    """The spec's check: HMAC-SHA256 keyed with the base64 secret after `whsec_`, over
    `id.timestamp.body`, base64, compared with each `v1,` signature; timestamp within 5 min."""
    headers = {k.lower(): v for k, v in headers.items()}
    message_id = headers.get("webhook-id", "")
    timestamp = headers.get("webhook-timestamp", "")
    signatures = headers.get("webhook-signature", "")
    if not (message_id and timestamp.isdigit() and signatures):
        raise BadSignature("missing headers")
    if abs((now or time.time()) - int(timestamp)) > TOLERANCE_SECONDS:
        raise BadSignature("timestamp outside tolerance")
    key = base64.b64decode(secret[len("whsec_"):])
    signed = message_id.encode() + b"." + timestamp.encode() + b"." + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    for candidate in signatures.split(" "):
        version, _, value = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(value, expected):
            return json.loads(body)
    raise BadSignature("no matching signature")


@dataclass
class Received:
    message_id: str
    event: dict


@dataclass
class PayerReceiver:
    """`fail_next` answers that many requests 500; `hold` (when set) keeps each request
    waiting after it was recorded and before it is answered."""

    secret: str = SECRET
    requests: list[Received] = field(default_factory=list)   # every verified request
    effects: dict[str, dict] = field(default_factory=dict)    # de-duplicated by webhook-id
    rejected: list[str] = field(default_factory=list)
    fail_next: int = 0
    hold: threading.Event | None = None
    arrived: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def handle(self, headers: dict[str, str], body: bytes) -> int:
        try:
            event = verify(self.secret, headers, body)
        except BadSignature as error:
            with self.lock:
                self.rejected.append(str(error))
            return 401
        message_id = {k.lower(): v for k, v in headers.items()}["webhook-id"]
        with self.lock:
            if self.fail_next > 0:
                self.fail_next -= 1
                self.requests.append(Received(message_id, event))
                return 500
            self.requests.append(Received(message_id, event))
            self.effects.setdefault(message_id, event)
        self.arrived.set()
        if self.hold is not None:
            self.hold.wait(30)
        return 204

    def types(self) -> list[str]:
        with self.lock:
            return [event["type"] for event in self.effects.values()]


def serve(receiver: PayerReceiver, port: int = 0) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):  # noqa: N802 (http.server's naming)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            status = receiver.handle(dict(self.headers.items()), body)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
