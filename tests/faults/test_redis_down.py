"""Redis down: learners keep signing in, studying and loading pages; the jobs their work
queues wait, and run once Redis is back.

The app keeps its job queue (Huey) and its rate limits (Flask-Limiter) on a Redis server of
the test's own, which is killed outright (SIGKILL) mid-test and later started again empty, as
a Redis restarted without persistence comes back. A learner completes the course while it is
down: the completion's check cannot be queued, the request still succeeds and the completion
waits, pending; the sweep queues it again once Redis answers, and a real consumer runs it.
A certificate issued while Redis is down waits for its PDF the same way.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from lms import sweeps
from lms.catalog.models import ModuleKind
from lms.certificates import services as certificate_services
from lms.certificates.models import Certificate
from lms.extensions import db
from lms.tasks import LOST_JOB_MINUTES
from lms.verification import tasks as verification_tasks
from lms.verification.models import CompletionStatus
from tests import factories, factories_certificates
from tests.faults.servers import wait_until
from tests.faults.studying import WRONG_PASSWORD, completion_of, read_through, sign_in, timed
from tests.media.worker_support import consumer_thread


@pytest.fixture
def app_settings(redis) -> dict:
    return {"REDIS_URL": redis.url, "RATELIMIT_STORAGE_URI": redis.url, "HUEY_IMMEDIATE": False}


def test_without_redis_learners_are_served_and_their_jobs_wait_for_it(app, client, clock, redis):
    guessed = factories.learner()
    learner = factories.learner()
    course = factories.course(kinds=(ModuleKind.READING,))
    enrollment = factories.enrollment(learner, course)
    assert sign_in(client, guessed.email, WRONG_PASSWORD) == 401

    redis.stop()
    # Sign-in is still throttled, counted in this process while the shared store is away.
    limit = int(app.config["LOGIN_FAILURE_LIMIT"].split()[0])
    guesses = [sign_in(client, guessed.email, WRONG_PASSWORD) for _ in range(limit + 1)]
    assert guesses == [401] * limit + [429]
    assert sign_in(client, learner.email, factories.PASSWORD) == 302
    assert timed(client.get, "/dashboard").status_code == 200
    reading = course.current_version.modules[0]
    assert read_through(client, clock, reading.id)["enrollment_status"] == "completed"
    assert timed(client.get, f"/enrollments/{enrollment.id}").status_code == 200
    waiting = completion_of(enrollment)
    assert waiting.status == CompletionStatus.PENDING  # its check could not be queued

    redis.start()
    with consumer_thread(workers=2):
        assert verification_tasks.requeue_lost_checks() == []  # not lost yet: just queued
        clock.advance(LOST_JOB_MINUTES * 60 + 1)
        sweeps.sweep_lost_jobs()  # what the worker queues every five minutes
        wait_until(lambda: completion_of(enrollment).status != CompletionStatus.PENDING
                   and db.session.scalar(select(Certificate.pdf_key)) is not None,
                   30, "the waiting check and the PDF it leads to ran")
    assert completion_of(enrollment).status == CompletionStatus.VERIFIED


def test_a_pdf_that_could_not_be_queued_is_rendered_after_the_sweep(app, clock, redis):
    enrollment = factories_certificates.completed_without_certificate()
    redis.stop()
    certificate = certificate_services.issue_certificate(enrollment, clock.now())
    db.session.commit()  # the render cannot be queued: the certificate waits for its PDF
    assert certificate.pdf_key is None

    redis.start()
    with consumer_thread():
        clock.advance(LOST_JOB_MINUTES * 60 + 1)
        sweeps.sweep_lost_jobs()
        wait_until(lambda: db.session.commit() or db.session.get(Certificate, certificate.id)
                   .pdf_key is not None, 30, "the PDF rendered")
