"""Calls to the programme that follow an action already done (the post-test passed, a skill
task handed in, staff feedback): written in the action's transaction through `enqueue`, the one
entry point, and delivered after the commit by the worker — retried with back-off and, for
one enrollment, strictly in the order they were made. A learner never waits for these, and
never loses work because the programme is slow or down."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.extensions import db
from lms.programme import connector as programme
from lms.programme import file_links
from lms.programme.errors import ProgrammeUnavailable
from lms.programme.models import CallStatus, ProgrammeCall
from lms.programme.rules_backoff import next_attempt_at

log = logging.getLogger(__name__)

PENDING_DELIVERY = "alur.programme.pending_delivery"
PATHS = {
    "posttest": programme.STATUS_PATH,
    "submission": programme.SUBMISSION_PATH,
    "feedback": programme.FEEDBACK_PATH,
}
MAX_BATCH = 200


@dataclass(frozen=True)
class OutboundCall:
    """`kind` names the programme path; `ordering_key` groups calls that must arrive in order
    (one enrollment's); `payload` is the JSON body, with `submission_id` replaced by the file's
    signed link when sent (so a retry days later still sends a link that works)."""
    kind: str
    ordering_key: str
    payload: dict


def enqueue(call: OutboundCall) -> ProgrammeCall:
    if call.kind not in PATHS:
        raise ValueError(f"unknown programme call {call.kind!r}")
    row = ProgrammeCall(kind=call.kind, ordering_key=call.ordering_key, payload=call.payload)
    db.session.add(row)
    db.session.flush()
    db.session.info[PENDING_DELIVERY] = True
    return row


def body_of(row: ProgrammeCall) -> dict:
    body = dict(row.payload)
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


def record_attempt(row: ProgrammeCall, error: str, now: datetime) -> None:
    row.attempts += 1
    if error:
        row.last_error, row.next_attempt_at = error[:2000], next_attempt_at(now, row.attempts)
    else:
        row.status, row.delivered_at, row.last_error = CallStatus.DELIVERED, now, ""


def deliver_due(now: datetime) -> int:
    """The worker's job: deliver every call that is due, oldest first; a call that fails holds
    back the later calls of its enrollment until it goes through. Returns how many went.

    It commits after each call, and holds no transaction while the programme is asked: the
    programme may fetch a skill-task file from Alur during the call, and on SQLite an open
    write transaction here would make that fetch wait until the call timed out."""
    due = [(row.id, row.kind, row.ordering_key, row.next_attempt_at <= now, body_of(row))
           for row in db.session.scalars(
               select(ProgrammeCall).where(ProgrammeCall.status == CallStatus.PENDING)
               .order_by(ProgrammeCall.id).limit(MAX_BATCH))]
    db.session.commit()
    blocked: set[str] = set()
    delivered = 0
    for call_id, kind, ordering_key, is_due, body in due:
        if ordering_key in blocked or not is_due:
            blocked.add(ordering_key)
            continue
        error = send(kind, body)
        record_attempt(db.session.get(ProgrammeCall, call_id), error, now)
        db.session.commit()
        if error:
            blocked.add(ordering_key)
        else:
            delivered += 1
    return delivered


def retry_now(row: ProgrammeCall, now: datetime) -> None:
    """An admin asks for a pending call to be tried at the next delivery."""
    if row.status == CallStatus.PENDING:
        row.next_attempt_at = now
        db.session.info[PENDING_DELIVERY] = True


def calls_page(page: int, per_page: int, status: str | None = None):
    query = select(ProgrammeCall).order_by(ProgrammeCall.id.desc())
    if status in (CallStatus.PENDING, CallStatus.DELIVERED):
        query = query.where(ProgrammeCall.status == status)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def delivery_requested(session: Session) -> bool:
    return bool(session.info.pop(PENDING_DELIVERY, None))


def forget_delivery(session: Session) -> None:
    session.info.pop(PENDING_DELIVERY, None)
