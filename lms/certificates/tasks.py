"""Background work: rendering certificate PDFs once their rows are committed, and queueing
again those a lost queue dropped (lms.sweeps)."""
from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.orm import Session

from lms.certificates import services
from lms.tasks import app_task, requeue_lost

log = logging.getLogger(__name__)


@app_task(retries=3, retry_delay=60)
def render_certificate_pdf(certificate_id: int) -> None:
    services.store_pdf(certificate_id)


def queue_render(certificate_id: int) -> None:
    try:
        render_certificate_pdf(certificate_id)
    except Exception:  # the row is committed: the sweep below queues it again
        log.exception("could not queue the PDF of certificate %s", certificate_id)


# Queued only after the commit: a worker (or the immediate mode of the tests, which runs the
# task at once in its own session) would otherwise look for a row not visible yet, or render
# one that is then rolled back.
def queue_pending_renders(session: Session) -> None:
    for certificate_id in sorted(session.info.pop(services.PENDING_RENDERS, None) or ()):
        queue_render(certificate_id)


def forget_pending_renders(session: Session) -> None:
    session.info.pop(services.PENDING_RENDERS, None)


def requeue_lost_renders(now: datetime | None = None) -> list[int]:
    return requeue_lost(lambda cutoff: services.certificates_without_pdf(issued_before=cutoff),
                        queue_render, now)
