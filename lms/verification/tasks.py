"""Background work: checking completions once the transaction that opened them committed."""
from __future__ import annotations

import logging

from sqlalchemy import event
from sqlalchemy.orm import Session

from lms.tasks import app_task
from lms.verification import services

log = logging.getLogger(__name__)


@app_task(retries=3, retry_delay=30)
def check_completion_task(completion_id: int) -> None:
    services.check_completion(completion_id)


def queue_check(completion_id: int) -> None:
    try:
        check_completion_task(completion_id)
    except Exception:  # the completion stays pending; `flask completions check` queues it again
        log.exception("could not queue the check of completion %s", completion_id)


# Queued only after the commit, so the worker (or the tests' immediate mode, which runs the
# task at once in its own session) sees the completion and the evidence that led to it.
@event.listens_for(Session, "after_commit")
def _queue_pending_checks(session: Session) -> None:
    for completion_id in sorted(session.info.pop(services.PENDING_CHECKS, None) or ()):
        queue_check(completion_id)


@event.listens_for(Session, "after_rollback")
def _forget_pending_checks(session: Session) -> None:
    session.info.pop(services.PENDING_CHECKS, None)
