"""Delivering programme calls in the background: right after the commit that wrote them, and
every minute for those waiting out their back-off."""
from __future__ import annotations

import logging

from huey import crontab
from sqlalchemy.orm import Session

from lms.clock import utcnow
from lms.extensions import task_queue
from lms.programme import outbound
from lms.tasks import app_task

log = logging.getLogger(__name__)


@app_task()
def deliver_programme_calls() -> int:
    return outbound.deliver_due(utcnow())


@task_queue.periodic_task(crontab(minute="*"))
def deliver_programme_calls_every_minute() -> None:
    deliver_programme_calls()


def queue_delivery_after_commit(session: Session) -> None:
    if outbound.delivery_requested(session):
        try:
            deliver_programme_calls()
        except Exception:  # the calls are committed; the periodic delivery picks them up
            log.exception("could not queue the delivery of programme calls")
