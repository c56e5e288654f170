"""A learner studying through the app's test client while Redis misbehaves, each request
timed: none may wait long for Redis, whether dead (refused at once) or silent (it waits
REDIS_TIMEOUT_SECONDS at most per call)."""
from __future__ import annotations

import time
from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from lms.extensions import db
from lms.learning.models import Enrollment
from lms.verification.models import Completion

SLOW_REQUEST_SECONDS = 2.0
WRONG_PASSWORD = "not the password"


def timed(call: Callable[..., TestResponse], *args, **kwargs) -> TestResponse:
    started = time.monotonic()
    response = call(*args, **kwargs)
    assert time.monotonic() - started < SLOW_REQUEST_SECONDS, "a request waited for Redis"
    assert response.status_code < 500, response.get_data(as_text=True)[:300]
    return response


def sign_in(client: FlaskClient, email: str, password: str) -> int:
    return timed(client.post, "/login", data={"email": email, "password": password}).status_code


def read_through(client: FlaskClient, clock, module_id: int) -> dict:
    """Open the reading and send visible heartbeats 10 s apart until it completes; returns the
    last answer."""
    opened = timed(client.post, f"/api/v1/modules/{module_id}/sessions")
    assert opened.status_code == 201, opened.get_json()
    session = opened.get_json()
    for seq in range(1, 10):
        beat = timed(client.post, f"/api/v1/sessions/{session['session_id']}/heartbeats",
                     json={"visible": True, "seq": seq})
        assert beat.status_code == 200, beat.get_json()
        if beat.get_json()["completed"]:
            return beat.get_json()
        clock.advance(10)
    raise AssertionError("the reading never completed")


def completion_of(enrollment: Enrollment) -> Completion | None:
    db.session.commit()  # a fresh snapshot: the worker commits in its own sessions
    return db.session.scalar(select(Completion).where(Completion.enrollment_id == enrollment.id))
