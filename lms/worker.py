"""`flask --app wsgi worker`: the background job consumer (SQLite queue or Redis)."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from lms.extensions import task_queue


@click.command("worker")
@click.option("--workers", default=2, show_default=True, help="Worker threads.")
@with_appcontext
def worker(workers: int):
    """Run the job consumer until interrupted."""
    consumer = task_queue.create_consumer(workers=workers, worker_type="thread",
                                          check_worker_health=True)
    consumer.run()
