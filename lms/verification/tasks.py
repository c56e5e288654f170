"""Background work: checking completions once the transaction that opened them committed, and
queueing again those a lost queue dropped (lms.sweeps)."""
from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.orm import Session

from lms.tasks import app_task, requeue_lost
from lms.verification import services

log = logging.getLogger(__name__)


@app_task(retries=3, retry_delay=30)
def check_completion_task(completion_id: int) -> None:
    services.check_completion(completion_id)


def queue_check(completion_id: int) -> None:
    try:
        check_completion_task(completion_id)
    except Exception:  # the completion stays pending: the sweep below queues it again
        log.exception("could not queue the check of completion %s", completion_id)


def queue_pending_checks(session: Session) -> None:
    """After a commit (connected by `lms.listeners`): queue the checks of the completions it
    opened, so the worker (or the tests' immediate mode, which runs the task at once in its
    own session) sees the completion and the evidence that led to it."""
    for completion_id in sorted(session.info.pop(services.PENDING_CHECKS, None) or ()):
        queue_check(completion_id)


def forget_pending_checks(session: Session) -> None:
    """After a rollback: the completions it opened are gone, so are their checks."""
    session.info.pop(services.PENDING_CHECKS, None)



def requeue_lost_checks(now: datetime | None = None) -> list[int]:
    return requeue_lost(lambda cutoff: services.pending_ids(created_before=cutoff),
                        queue_check, now)
