"""`flask --app wsgi worker`: the background job consumer (SQLite queue or Redis) and the
outbox loop that delivers messages to outside systems."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from lms.extensions import task_queue
from lms.outbox import worker as outbox_worker
from lms.partitions import tasks as partition_tasks  # noqa: F401 (its periodic job runs here)


@click.command("worker")
@click.option("--workers", default=2, show_default=True, help="Worker threads.")
@click.option("--outbox/--no-outbox", default=True, show_default=True,
              help="Also deliver outbox messages (webhooks to the payer, programme calls).")
@with_appcontext
def worker(workers: int, outbox: bool):
    """Run the job consumer (and the outbox loop) until interrupted."""
    stop = None
    if outbox:
        _thread, stop = outbox_worker.start(current_app._get_current_object())
    consumer = task_queue.create_consumer(workers=workers, worker_type="thread",
                                          check_worker_health=True)
    try:
        consumer.run()
    finally:
        if stop is not None:
            stop.set()
