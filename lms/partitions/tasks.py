"""The worker keeps the coming months' evidence partitions existing (PostgreSQL only)."""
from __future__ import annotations

from huey import crontab

from lms.clock import utcnow
from lms.extensions import db, task_queue
from lms.partitions import evidence
from lms.tasks import app_task


@app_task()
def ensure_evidence_partitions() -> list[str]:
    return evidence.ensure_ahead(db.session.connection(), utcnow())


# Four times a day: a worker down at one of those moments is caught up by the next, and
# months are made MONTHS_AHEAD in advance.
@task_queue.periodic_task(crontab(minute="17", hour="*/6"))
def ensure_evidence_partitions_periodically() -> None:
    ensure_evidence_partitions()
