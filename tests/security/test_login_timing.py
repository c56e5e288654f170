"""Signing in with an unknown e-mail costs what a known one costs: the password is checked
against a hash made with the same method and parameters as real ones (scrypt in production),
so timing does not tell which addresses have accounts."""
from __future__ import annotations

import statistics
import time

import pytest
from werkzeug.security import check_password_hash

from lms.accounts import services
from lms.extensions import db
from tests import factories

PRODUCTION_METHOD = "scrypt"


def _parameters(password_hash: str) -> str:
    return password_hash.split("$", 1)[0]


@pytest.mark.parametrize("method", [PRODUCTION_METHOD, "scrypt:16384:8:1", "pbkdf2:sha256:50000"])
def test_the_stand_in_hash_has_the_parameters_of_real_ones(app, method):
    app.config["PASSWORD_HASH_METHOD"] = method
    assert _parameters(services.dummy_hash(method)) == _parameters(services.hash_password("x"))
    assert not check_password_hash(services.dummy_hash(method), "not-a-real-password-either")


def _seconds_to_refuse(client, email: str) -> float:
    started = time.perf_counter()
    response = client.post("/api/v1/auth/login", json={"email": email, "password": "wrong"})
    elapsed = time.perf_counter() - started
    assert response.status_code == 401
    return elapsed


def test_an_unknown_e_mail_is_refused_no_faster_than_a_known_one(app, client):
    app.config.update(PASSWORD_HASH_METHOD=PRODUCTION_METHOD,
                      LOGIN_FAILURE_LIMIT="100 per minute",
                      LOGIN_FAILURE_LIMIT_PER_ADDRESS="100 per minute",
                      LOGIN_FAILURE_LIMIT_PER_EMAIL="100 per minute")
    user = factories.learner()
    user.password_hash = services.hash_password("the real password")
    db.session.commit()
    known, unknown = [], []
    for _ in range(5):  # interleaved, so a busy machine slows both alike
        known.append(_seconds_to_refuse(client, user.email))
        unknown.append(_seconds_to_refuse(client, "nobody@example.test"))
    # Before the fix the unknown address took about a twelfth of the time (pbkdf2 × 1000).
    assert statistics.median(unknown) > 0.5 * statistics.median(known), (known, unknown)
