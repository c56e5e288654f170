"""A real `flask --app wsgi worker` is killed (SIGKILL) while the payer's receiver holds a
webhook it already acted on: the next worker sends it again under the same webhook-id after
the claim expires, nothing is lost, and the de-duplicating receiver acts on each event once,
each participant's events in their order."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

from sqlalchemy import select

from lms.extensions import db
from lms.outbox.models import OutboxEvent
from tests import factories
from tests.incentives.helpers import completed, rate

ROOT = Path(__file__).resolve().parents[2]


def start_worker(app) -> subprocess.Popen:
    env = {**os.environ, "ALUR_ENV": "development", "HUEY_IMMEDIATE": "0",
           "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "HUEY_SQLITE_PATH": app.config["HUEY_SQLITE_PATH"],
           "MEDIA_ROOT": app.config["MEDIA_ROOT"], "REDIS_URL": "",
           "PAYER_WEBHOOK_URL": app.config["PAYER_WEBHOOK_URL"],
           "PAYER_WEBHOOK_SECRET": app.config["PAYER_WEBHOOK_SECRET"],
           "OUTBOX_POLL_SECONDS": "0.1", "OUTBOX_LEASE_SECONDS": "2"}
    env.pop("TEST_DATABASE_URL", None)
    log = tempfile.TemporaryFile()
    worker = subprocess.Popen([str(Path(sys.executable).parent / "flask"), "--app", "wsgi",
                               "worker", "--workers", "1"], cwd=ROOT, env=env, stdout=log,
                              stderr=subprocess.STDOUT, start_new_session=True)
    worker.log = log  # type: ignore[attr-defined]
    return worker


def kill(worker: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, sig)
    worker.wait(timeout=20)


def _events() -> list[OutboxEvent]:
    db.session.commit()  # a fresh snapshot
    return list(db.session.scalars(select(OutboxEvent).order_by(OutboxEvent.id)))


def wait_until(predicate, worker: subprocess.Popen, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        if worker.poll() is not None:
            worker.log.seek(0)  # type: ignore[attr-defined]
            raise AssertionError(f"the worker exited: {worker.log.read().decode()[-2000:]}")
        time.sleep(0.05)
    worker.log.seek(0)  # type: ignore[attr-defined]
    raise AssertionError(f"timed out; worker log: {worker.log.read().decode()[-2000:]}")


def test_worker_killed_mid_delivery_loses_nothing_and_pays_nothing_twice(app, receiver):
    for _ in range(3):
        enrollment, _item = completed(factories.learner())
        rate(enrollment)
    expected = {e.message_id: e for e in _events()}
    assert len(expected) == 6

    receiver.hold = threading.Event()
    first = start_worker(app)
    try:
        wait_until(receiver.arrived.is_set, first)
    finally:
        kill(first)
    receiver.hold.set()
    in_flight = [e for e in _events() if e.attempts and not e.delivered_at]
    assert in_flight, "the killed worker had a delivery in flight"
    assert all(e.leased_until is not None for e in in_flight)

    receiver.hold = None
    second = start_worker(app)
    try:
        wait_until(lambda: all(e.delivered_at for e in _events()), second)
    finally:
        kill(second, signal.SIGTERM)

    received_ids = [r.message_id for r in receiver.requests]
    assert set(received_ids) == set(expected)
    assert any(received_ids.count(e.message_id) > 1 for e in in_flight)  # sent again…
    assert sorted(receiver.effects) == sorted(expected)                   # …acted on once
    by_participant = defaultdict(list)
    for message_id in dict.fromkeys(received_ids):
        by_participant[expected[message_id].ordering_key].append(expected[message_id].id)
    assert all(ids == sorted(ids) for ids in by_participant.values())
    assert sorted(receiver.types()).count("eligibility.eligible") == 3
