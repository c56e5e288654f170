"""Delivering programme calls right after the commit that wrote them. Later attempts (a call
waiting out its back-off) are the outbox loop's, in `flask worker`."""
from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from lms.clock import utcnow
from lms.programme import outbound
from lms.tasks import app_task

log = logging.getLogger(__name__)


@app_task()
def deliver_programme_calls() -> int:
    return outbound.deliver_due(utcnow())


def queue_delivery_after_commit(session: Session) -> None:
    if outbound.delivery_requested(session):
        try:
            deliver_programme_calls()
        except Exception:  # the calls are committed; the worker's outbox loop picks them up
            log.exception("could not queue the delivery of programme calls")
