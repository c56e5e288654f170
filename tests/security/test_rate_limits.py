"""Sign-in limits that hold: per address and e-mail, per address across e-mails, per e-mail
across addresses, shared by the form and the API, kept in a store every process shares (a
SQLite file, or Redis when REDIS_URL is set), and counted against the client's real address
only when the operator says how many proxies to trust."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import redis

import config
from lms.extensions import db, limiter
from lms.ratelimit_storage import SqliteStorage
from tests import factories
from tests.conftest import make_test_app
from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
# A Redis database of its own (this file flushes it); the two backends' runs of `make test` run at
# once, each with its own (scripts/test.sh sets TEST_REDIS_URL_LIMITS).
REDIS_URL = os.environ.get("TEST_REDIS_URL_LIMITS", "redis://127.0.0.1:6379/11")
LOGIN = "/api/v1/auth/login"


def _fail(client, email: str, address: str = "192.0.2.1", **headers) -> int:
    return client.post(LOGIN, json={"email": email, "password": "wrong"}, headers=headers,
                       environ_base={"REMOTE_ADDR": address}).status_code


def test_one_address_spraying_many_e_mails_is_stopped(app, client):
    app.config["LOGIN_FAILURE_LIMIT_PER_ADDRESS"] = "3 per minute"
    assert [_fail(client, f"u{n}@example.test") for n in range(5)] == [401] * 3 + [429] * 2
    assert _fail(client, "u9@example.test", address="192.0.2.2") == 401


def test_many_addresses_guessing_one_e_mail_are_stopped(app, client):
    app.config["LOGIN_FAILURE_LIMIT_PER_EMAIL"] = "3 per minute"
    answers = [_fail(client, "target@example.test", address=f"192.0.2.{n}") for n in range(5)]
    assert answers == [401] * 3 + [429] * 2
    assert _fail(client, "someone-else@example.test", address="192.0.2.50") == 401


def test_the_form_and_the_api_share_one_count(app, client):
    user = factories.learner()
    for _ in range(3):
        assert client.post("/login", data={"email": user.email, "password": "x"}).status_code \
            == 401
    assert [_fail(client, user.email, address="127.0.0.1") for _ in range(3)] == [401, 401, 429]


def test_successful_sign_ins_are_not_counted(app, client):
    user = factories.learner()
    for _ in range(8):
        assert client.post(LOGIN, json={"email": user.email, "password": PASSWORD}) \
            .status_code == 200


def test_the_sqlite_store_counts_in_windows_and_shares_them_between_instances(tmp_path):
    uri = f"sqlite:///{tmp_path / 'limits.sqlite3'}"
    first, second = SqliteStorage(uri), SqliteStorage(uri)
    assert [first.incr("k", 60), second.incr("k", 60), first.incr("k", 60)] == [1, 2, 3]
    assert second.get("k") == 3 and second.get("other") == 0
    assert first.get_expiry("k") > first.get_expiry("other")
    assert first.incr("gone", 0) == 1 and second.get("gone") == 0  # its window has passed
    second.clear("k")
    assert first.get("k") == 0 and first.check()
    first.incr("a", 60)
    first.incr("b", 60)
    assert second.reset() == 2


CHILD = """
import sys
from lms import create_app
app = create_app("testing", SQLALCHEMY_DATABASE_URI=sys.argv[1], RATELIMIT_STORAGE_URI=sys.argv[2])
client = app.test_client()
codes = [client.post("/api/v1/auth/login", json={"email": "victim@example.test",
                                                 "password": "guess"}).status_code
         for _ in range(5)]
print(codes)
"""


def test_a_limit_reached_in_another_process_holds_here(migrated_database, tmp_path):
    uri = f"sqlite:///{tmp_path / 'limits.sqlite3'}"
    env = {k: v for k, v in os.environ.items() if k != "TEST_DATABASE_URL"}
    child = subprocess.run([sys.executable, "-c", CHILD, migrated_database, uri], cwd=ROOT,
                           env=env, capture_output=True, text=True, timeout=120)
    assert child.stdout.strip() == "[401, 401, 401, 401, 401]", child.stderr
    app = make_test_app(migrated_database, tmp_path, RATELIMIT_STORAGE_URI=uri)
    with app.app_context():
        answer = app.test_client().post(LOGIN, json={"email": "victim@example.test",
                                                     "password": "guess"})
        assert answer.status_code == 429 and answer.get_json()["error"] == "rate_limited"
        db.session.remove()


@pytest.fixture
def redis_limits():
    connection = redis.Redis.from_url(REDIS_URL)
    connection.flushdb()
    yield REDIS_URL
    connection.flushdb()


def test_on_redis_a_limit_holds_across_app_instances(migrated_database, tmp_path, redis_limits):
    for attempt in range(2):  # two instances, as two processes or machines would have
        app = make_test_app(migrated_database, tmp_path, RATELIMIT_STORAGE_URI=redis_limits)
        assert type(limiter.storage).__name__ == "RedisStorage"
        with app.app_context():
            client = app.test_client()
            answers = [_fail(client, "victim@example.test") for _ in range(3)]
            db.session.remove()
        assert answers == ([401, 401, 401] if attempt == 0 else [401, 401, 429])


def test_the_store_is_redis_when_configured_and_a_shared_file_otherwise(monkeypatch):
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    monkeypatch.setenv("REDIS_URL", REDIS_URL)
    assert config.rate_limit_storage_uri() == REDIS_URL
    monkeypatch.delenv("REDIS_URL")
    assert config.rate_limit_storage_uri() == \
        f"sqlite:///{config.INSTANCE_DIR / 'ratelimits.sqlite3'}"
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "memory://")
    assert config.rate_limit_storage_uri() == "memory://"


@pytest.mark.parametrize("trusted, second_client_answer", [(0, 429), (1, 401)])
def test_forwarded_addresses_count_only_behind_trusted_proxies(migrated_database, tmp_path,
                                                               trusted, second_client_answer):
    app = make_test_app(migrated_database, tmp_path, TRUSTED_PROXIES=trusted,
                        LOGIN_FAILURE_LIMIT_PER_ADDRESS="2 per minute")
    with app.app_context():
        client = app.test_client()
        # Both clients reach the app through the same proxy (one peer address).
        for n in range(2):
            assert _fail(client, f"a{n}@example.test", **{"X-Forwarded-For": "203.0.113.1"}) \
                == 401
        assert _fail(client, "b@example.test", **{"X-Forwarded-For": "203.0.113.2"}) == \
            second_client_answer
        assert _fail(client, "a9@example.test", **{"X-Forwarded-For": "203.0.113.1"}) == 429
        db.session.remove()


def test_a_refusal_says_when_to_try_again(app, client):
    for _ in range(5):
        _fail(client, "someone@example.test")
    refused = client.post(LOGIN, json={"email": "someone@example.test", "password": "x"},
                          environ_base={"REMOTE_ADDR": "192.0.2.1"})
    assert refused.status_code == 429 and refused.get_json()["error"] == "rate_limited"
    assert 0 < int(refused.headers["Retry-After"]) <= 15 * 60
