"""A real Huey consumer in this process (worker threads on the app's SQLite or Redis queue),
for tests that need the worker path without paying a worker process's start-up."""
from __future__ import annotations

import signal
from contextlib import contextmanager
from typing import Iterator

from huey.consumer import Consumer

from lms.extensions import task_queue

_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


@contextmanager
def consumer_thread(workers: int = 1) -> Iterator[Consumer]:
    """Run the consumer on the queue as `init_task_queue` last bound it (not immediate)."""
    # Consumer.start() installs its own signal handlers; pytest's must come back afterwards.
    saved = {sig: signal.getsignal(sig) for sig in _SIGNALS}
    consumer = task_queue.create_consumer(workers=workers, worker_type="thread", periodic=False,
                                          initial_delay=0.1, max_delay=0.5,
                                          check_worker_health=False)
    consumer.start()
    try:
        yield consumer
    finally:
        consumer.stop(graceful=True)
        for sig, handler in saved.items():
            signal.signal(sig, handler)
