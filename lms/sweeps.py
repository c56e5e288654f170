"""The worker's sweep for jobs a lost queue dropped: a check or a PDF queued while Redis was
down (the enqueue failed, the row waits) or held by a Redis that restarted empty. Every five
minutes, completion checks and certificate PDFs still waiting LOST_JOB_MINUTES after they
were due are queued again. Transcodes have their own sweep (lms.media.tasks)."""
from __future__ import annotations

import logging

from huey import crontab

from lms.certificates import tasks as certificate_tasks
from lms.extensions import task_queue
from lms.tasks import app_task
from lms.verification import tasks as verification_tasks

log = logging.getLogger(__name__)


@app_task()
def sweep_lost_jobs() -> None:
    checks = verification_tasks.requeue_lost_checks()
    renders = certificate_tasks.requeue_lost_renders()
    if checks or renders:
        log.info("job sweep: queued again %s completion check(s), %s certificate PDF(s)",
                 len(checks), len(renders))


@task_queue.periodic_task(crontab(minute="*/5"))
def sweep_lost_jobs_every_five_minutes() -> None:
    sweep_lost_jobs()
