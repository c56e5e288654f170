"""Declaring background jobs that run inside the app context and commit once."""
from __future__ import annotations

import functools
from datetime import datetime, timedelta
from typing import Any, Callable

from lms.clock import utcnow
from lms.extensions import db, task_queue

#: A job queued this long ago and still not done was lost with its queue (Redis restarted
#: empty, or the enqueue itself failed while Redis was down): the sweeps queue it again. Far
#: above a job's normal wait, so a busy queue is rarely given the same job twice (running
#: one twice is harmless: a check finds its completion no longer pending, a render rewrites
#: the same file).
LOST_JOB_MINUTES = 10


def app_task(**options: Any) -> Callable:
    """Like `task_queue.task`, but the job runs in an app context and commits once at the end
    (rolling back on failure so a half-done job leaves the database as it was)."""
    def decorator(func: Callable) -> Any:
        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> Any:
            with task_queue.flask_app.app_context():
                try:
                    result = func(*args, **kwargs)
                    db.session.commit()
                    return result
                except Exception:
                    db.session.rollback()
                    raise
        return task_queue.task(**options)(run)
    return decorator


def requeue_lost(due_before: Callable[[datetime], list[int]], queue: Callable[[int], None],
                 now: datetime | None = None) -> list[int]:
    """Queue again, with `queue`, the ids `due_before(cutoff)` finds still waiting for a job
    that should have run LOST_JOB_MINUTES ago; returns them."""
    ids = due_before((now or utcnow()) - timedelta(minutes=LOST_JOB_MINUTES))
    for item_id in ids:
        queue(item_id)
    return ids
