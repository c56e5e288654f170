"""Signed JSON calls to the programme over HTTP, with short timeouts. Every failure to get a
usable answer is one error, ProgrammeUnavailable: the caller says "try again shortly" (or the
outbox retries), and nothing of the programme's reaches a learner as a stack trace."""
from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field

import requests

from lms.programme.errors import ProgrammeUnavailable
from lms.programme.signing import signed_headers

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Answer:
    """What the programme answered: its `data`, or the code of its refusal."""
    data: dict = field(default_factory=dict)
    refusal: str | None = None


def encode(payload: dict) -> bytes:
    """The exact body bytes sent (and signed): compact JSON."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


def refusal_of(body: dict) -> str:
    """The machine code of an error answer, wherever the programme put it."""
    error = body.get("error")
    if isinstance(error, dict):
        error = error.get("code")
    data = body.get("data") if isinstance(body.get("data"), dict) else {}
    return str(error or body.get("code") or data.get("status") or "refused")


@dataclass(frozen=True)
class PrakerjaClient:
    base_url: str
    client_code: str
    sign_key: str
    timeout: float = 5.0

    def unavailable(self, reason: str) -> ProgrammeUnavailable:
        log.warning("programme call failed: %s", reason)
        error = ProgrammeUnavailable()
        error.reason = reason[:300]
        return error

    def call(self, path: str, payload: dict) -> Answer:
        body = encode(payload)
        headers = signed_headers(self.client_code, str(int(time.time())), path, body,
                                 self.sign_key)
        try:
            response = requests.post(self.base_url.rstrip("/") + path, data=body,
                                     headers=headers, timeout=(self.timeout, self.timeout))
        except requests.RequestException as error:
            raise self.unavailable(f"{path}: {type(error).__name__}") from None
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if response.status_code >= 500 or response.status_code in (401, 403, 429) \
                or not isinstance(answer, dict):
            raise self.unavailable(f"{path}: HTTP {response.status_code}")
        if answer.get("success") is True and response.status_code < 300:
            data = answer.get("data")
            return Answer(data=data if isinstance(data, dict) else {})
        return Answer(refusal=refusal_of(answer))
