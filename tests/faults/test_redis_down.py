"""Redis down: learners keep signing in, studying and loading pages; the jobs their work
queues wait, and run once Redis is back.

The app keeps its job queue (Huey) and its rate limits (Flask-Limiter) on a Redis server of
the test's own, which is killed outright (SIGKILL) mid-test and later started again empty, as
a Redis restarted without persistence comes back. A learner completes the course while it is
down: the completion's check cannot be queued, the request still succeeds and the completion
waits, pending; the sweep queues it again once Redis answers, and a real consumer runs it.
"""
from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from lms.catalog.models import ModuleKind
from lms.certificates.models import Certificate
from lms.extensions import db
from lms.tasks import LOST_JOB_MINUTES
from lms import sweeps
from lms.verification import tasks as verification_tasks
from lms.verification.models import Completion, CompletionStatus
from tests import factories
from tests.faults.servers import RedisServer, redis_server
from tests.media.worker_support import consumer_thread

#: No request may wait for a dead Redis (refused at once) or a silent one (REDIS_TIMEOUT).
SLOW_REQUEST_SECONDS = 2.0
WRONG_PASSWORD = "not the password"


@pytest.fixture
def redis() -> Iterator[RedisServer]:
    with redis_server() as server:
        yield server


@pytest.fixture
def app_settings(redis) -> dict:
    return {"REDIS_URL": redis.url, "RATELIMIT_STORAGE_URI": redis.url, "HUEY_IMMEDIATE": False}


def _timed(call, *args, **kwargs):
    started = time.monotonic()
    response = call(*args, **kwargs)
    assert time.monotonic() - started < SLOW_REQUEST_SECONDS, "a request waited for Redis"
    assert response.status_code < 500, response.get_data(as_text=True)[:300]
    return response


def _sign_in(client, email: str, password: str) -> int:
    return _timed(client.post, "/login", data={"email": email, "password": password}).status_code


def _read_through(client, clock, module_id: int) -> dict:
    """Open the reading and send visible heartbeats 10 s apart until it completes."""
    opened = _timed(client.post, f"/api/v1/modules/{module_id}/sessions")
    assert opened.status_code == 201, opened.get_json()
    session = opened.get_json()
    for seq in range(1, 10):
        beat = _timed(client.post, f"/api/v1/sessions/{session['session_id']}/heartbeats",
                      json={"visible": True, "seq": seq})
        assert beat.status_code == 200, beat.get_json()
        if beat.get_json()["completed"]:
            return beat.get_json()
        clock.advance(10)
    raise AssertionError("the reading never completed")


def _completion(enrollment) -> Completion:
    db.session.commit()  # a fresh snapshot: the worker commits in its own sessions
    return db.session.scalar(select(Completion).where(Completion.enrollment_id == enrollment.id))


def test_without_redis_learners_are_served_and_their_jobs_wait_for_it(app, client, clock, redis):
    guessed = factories.learner()
    learner = factories.learner()
    course = factories.course(kinds=(ModuleKind.READING,))
    enrollment = factories.enrollment(learner, course)
    assert _sign_in(client, guessed.email, WRONG_PASSWORD) == 401

    redis.stop()
    # Sign-in is still throttled, counted in this process while the shared store is away.
    limit = int(app.config["LOGIN_FAILURE_LIMIT"].split()[0])
    guesses = [_sign_in(client, guessed.email, WRONG_PASSWORD) for _ in range(limit + 1)]
    assert guesses == [401] * limit + [429]
    assert _sign_in(client, learner.email, factories.PASSWORD) == 302
    assert _timed(client.get, "/dashboard").status_code == 200
    reading = course.current_version.modules[0]
    assert _read_through(client, clock, reading.id)["enrollment_status"] == "completed"
    assert _timed(client.get, f"/enrollments/{enrollment.id}").status_code == 200
    waiting = _completion(enrollment)
    assert waiting.status == CompletionStatus.PENDING  # its check could not be queued

    redis.start()
    with consumer_thread(workers=2):
        assert verification_tasks.requeue_lost_checks() == []  # not lost yet: just queued
        clock.advance(LOST_JOB_MINUTES * 60 + 1)
        sweeps.sweep_lost_jobs()  # what the worker queues every five minutes
        deadline = time.monotonic() + 30
        while _completion(enrollment).status == CompletionStatus.PENDING \
                or db.session.scalar(select(Certificate.pdf_key)) is None:
            assert time.monotonic() < deadline, "the waiting jobs did not run"
            time.sleep(0.1)
    assert _completion(enrollment).status == CompletionStatus.VERIFIED
