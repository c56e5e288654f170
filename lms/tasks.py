"""Declaring background jobs that run inside the app context and commit once."""
from __future__ import annotations

import functools
from typing import Any, Callable

from lms.extensions import db, task_queue


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
