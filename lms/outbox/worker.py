"""The worker's outbox loop: deliver what is due, then wait a little when there was nothing.

It runs in a thread of `flask --app wsgi worker` next to the job consumer, with its own app
context and session; sending happens in a small pool of threads so one slow receiver does not
hold up every other participant's events.
"""
from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor

from flask import Flask

from lms.clock import utcnow
from lms.extensions import db
from lms.outbox.delivery import deliver_due

log = logging.getLogger(__name__)


def run_loop(app: Flask, stop: threading.Event) -> None:
    poll = float(app.config.get("OUTBOX_POLL_SECONDS", 1.0))
    senders = int(app.config.get("OUTBOX_SENDERS", 8))
    with ThreadPoolExecutor(max_workers=senders, thread_name_prefix="outbox-send") as pool, \
            app.app_context():
        while not stop.is_set():
            try:
                attempted = deliver_due(app.config, utcnow(), clock=utcnow, pool=pool)
            except Exception:
                log.exception("outbox pass failed; trying again shortly")
                db.session.rollback()
                attempted = 0
            finally:
                db.session.remove()
            if attempted == 0:
                stop.wait(poll)


def start(app: Flask) -> tuple[threading.Thread, threading.Event]:
    stop = threading.Event()
    thread = threading.Thread(target=run_loop, args=(app, stop), name="outbox", daemon=True)
    thread.start()
    return thread, stop
