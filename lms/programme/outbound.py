"""Calls to the programme that follow an action already done (the post-test passed, a skill
task handed in, staff feedback): written in the action's transaction through `enqueue`, the one
entry point, as messages of the outbox (destination `programme`, ordered per enrollment) and
delivered after the commit — retried with the outbox's back-off and, for one enrollment,
strictly in the order they were made. A learner never waits for these, and never loses work
because the programme is slow or down."""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Flask, current_app
from sqlalchemy.orm import Session

from lms.clock import utcnow
from lms.extensions import db
from lms.outbox import delivery, destinations
from lms.outbox.destinations import Envelope, Outcome
from lms.outbox.models import OutboxEvent
from lms.programme import connector as programme
from lms.programme import file_links
from lms.programme.errors import ProgrammeUnavailable

DESTINATION = "programme"
EVENT_PREFIX = "programme."
PENDING_DELIVERY = "alur.programme.pending_delivery"
PATHS = {
    "posttest": programme.STATUS_PATH,
    "submission": programme.SUBMISSION_PATH,
    "feedback": programme.FEEDBACK_PATH,
}
MAX_ERROR_LENGTH = 2000
# Each pass sends only the oldest waiting call of an enrollment; a few passes drain what one
# action and an admin's retry can leave behind, and the worker's loop does the rest.
MAX_PASSES = 20


@dataclass(frozen=True)
class OutboundCall:
    """`kind` names the programme path; `ordering_key` groups calls that must arrive in order
    (one enrollment's); `payload` is the JSON body, with `submission_id` replaced by the file's
    signed link when sent (so a retry days later still sends a link that works)."""
    kind: str
    ordering_key: str
    payload: dict


def enqueue(call: OutboundCall) -> OutboxEvent:
    if call.kind not in PATHS:
        raise ValueError(f"unknown programme call {call.kind!r}")
    event = delivery.enqueue(destination=DESTINATION, ordering_key=call.ordering_key,
                             event_type=EVENT_PREFIX + call.kind,
                             body=json.dumps({"kind": call.kind, "payload": call.payload}),
                             now=utcnow())
    request_delivery()
    return event


def body_of(payload: Mapping[str, Any]) -> dict:
    body = dict(payload)
    submission_id = body.pop("submission_id", None)
    if submission_id is not None and not body.get("url_file"):
        body["url_file"] = file_links.submission_file_url(int(submission_id))
    return body


def send(kind: str, body: dict) -> str:
    """Make one call; returns "" when the programme took it, else what went wrong."""
    try:
        programme.current().post(PATHS[kind], body)
    except ProgrammeUnavailable as error:
        return error.reason or str(error.message)
    return ""


class ProgrammeDestination:
    """Sends one outbox message with the signed client. It runs in the outbox's sender threads,
    which have no app context of their own (the signed link and the client read the app's
    settings), and it never touches the database: the programme may fetch the skill-task file
    from Alur during the call, which an open write transaction would hold up on SQLite."""

    def __init__(self, app: Flask) -> None:
        self._app = app

    def deliver(self, envelope: Envelope) -> Outcome:
        message = json.loads(envelope.body)
        with self._app.app_context():
            error = send(message["kind"], body_of(message["payload"]))
        return Outcome(False, error[:MAX_ERROR_LENGTH]) if error else Outcome(True)


def destination(config: Mapping[str, Any]) -> ProgrammeDestination | None:
    """The programme, when the prakerja connector is on; otherwise its messages wait."""
    if config.get("PROGRAMME_CONNECTOR", programme.BUILTIN) != programme.PRAKERJA:
        return None
    return ProgrammeDestination(current_app._get_current_object())


def register() -> None:
    """Called by `lms.listeners.register` (create_app)."""
    destinations.register(DESTINATION, destination)


def deliver_due(now: datetime) -> int:
    """Deliver the programme's due messages, pass after pass while some were attempted: a
    call that fails holds back the later calls of its enrollment until it goes through.
    Returns how many attempts were made."""
    attempted = 0
    for _ in range(MAX_PASSES):
        made = delivery.deliver_due(current_app.config, now, clock=utcnow, only=(DESTINATION,))
        if made == 0:
            break
        attempted += made
        now = utcnow()
    return attempted


def request_delivery() -> None:
    """Ask for a delivery once the current transaction commits."""
    db.session.info[PENDING_DELIVERY] = True


def delivery_requested(session: Session) -> bool:
    return bool(session.info.pop(PENDING_DELIVERY, None))


def forget_delivery(session: Session) -> None:
    session.info.pop(PENDING_DELIVERY, None)
