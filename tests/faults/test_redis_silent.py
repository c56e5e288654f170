"""A silent Redis (frozen with SIGSTOP: it accepts connections and never answers, as a stuck
server or a network partition looks) delays a request by at most its timeout: sign-in, pages
and a completion whose check cannot be queued are all answered, none hangs."""
from __future__ import annotations

import pytest

from lms.catalog.models import ModuleKind
from lms.verification.models import CompletionStatus
from tests import factories
from tests.faults.studying import SLOW_REQUEST_SECONDS, completion_of, read_through, sign_in, \
    timed

TIMEOUT_SECONDS = 0.5


@pytest.fixture
def app_settings(redis) -> dict:
    assert 2 * TIMEOUT_SECONDS < SLOW_REQUEST_SECONDS
    return {"REDIS_URL": redis.url, "RATELIMIT_STORAGE_URI": redis.url, "HUEY_IMMEDIATE": False,
            "REDIS_TIMEOUT_SECONDS": TIMEOUT_SECONDS,
            "RATELIMIT_STORAGE_OPTIONS": {"socket_connect_timeout": TIMEOUT_SECONDS,
                                          "socket_timeout": TIMEOUT_SECONDS}}


def test_a_silent_redis_delays_requests_by_its_timeout_at_most(app, client, clock, redis):
    learner = factories.learner()
    course = factories.course(kinds=(ModuleKind.READING,))
    enrollment = factories.enrollment(learner, course)
    redis.freeze()
    assert sign_in(client, learner.email, factories.PASSWORD) == 302
    assert timed(client.get, "/dashboard").status_code == 200
    reading = course.current_version.modules[0]
    assert read_through(client, clock, reading.id)["enrollment_status"] == "completed"
    assert completion_of(enrollment).status == CompletionStatus.PENDING
