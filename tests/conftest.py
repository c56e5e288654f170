"""Fixtures in the flaskr manner: app, client, runner, auth, and a fresh database per test."""
from __future__ import annotations

import os
import tempfile

import pytest
from flask import g
from flask.testing import FlaskClient

os.environ.setdefault("ALUR_INSTANCE_DIR", tempfile.mkdtemp(prefix="alur-test-instance-"))
os.environ.setdefault("ALUR_SQLITE_BUSY_TIMEOUT_MS", "600000")

from flask_migrate import upgrade  # noqa: E402

from lms import create_app  # noqa: E402
from lms.clock import FrozenClock, install_clock  # noqa: E402
from lms.db_types import defer_sqlite_transactions_in_this_thread  # noqa: E402
from lms.extensions import db  # noqa: E402
from tests import dbutil  # noqa: E402
from tests.factories import PASSWORD  # noqa: E402

defer_sqlite_transactions_in_this_thread()

BACKEND = "postgresql" if os.environ.get("TEST_DATABASE_URL", "").startswith("postgres") \
    else "sqlite"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = os.environ.get("TEST_DATABASE_URL", "")
    if BACKEND == "postgresql":
        url = dbutil.create_pg_database(url.replace("postgresql://", "postgresql+psycopg://", 1))
        yield url
        dbutil.drop_pg_database(url)
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'alur-test.sqlite3'}"


@pytest.fixture(scope="session")
def migrated_database(database_url):
    """The schema is built by the real migrations, so tests also prove they work."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return database_url


class EnglishClient(FlaskClient):
    """Test clients read pages in English unless a test asks for another language: most
    assertions quote the English source strings; the Indonesian pages have tests of their own."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.environ_base.setdefault("HTTP_ACCEPT_LANGUAGE", "en")


def make_test_app(database_url: str, tmp_path, **overrides):
    settings = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "MEDIA_ROOT": str(tmp_path / "media"),
        "HUEY_SQLITE_PATH": str(tmp_path / "jobs.sqlite3"),
    }
    settings.update(overrides)
    app = create_app("testing", **settings)
    app.test_client_class = EnglishClient
    return app


@pytest.fixture
def app_settings() -> dict:
    """Settings of the test's app beyond the defaults; a test module overrides this fixture."""
    return {}


@pytest.fixture
def app(migrated_database, tmp_path, app_settings):
    app = make_test_app(migrated_database, tmp_path, **app_settings)

    # Tests keep one app context open for factories and assertions; each request must still
    # start with empty `g` (signed-in user, rate-limit flags) as it would in production.
    def fresh_request_globals():
        for name in list(g):
            g.pop(name, None)
    app.before_request_funcs.setdefault(None, []).insert(0, fresh_request_globals)

    with app.app_context():
        yield app
        dbutil.wipe_all_tables()
        db.engine.dispose()


@pytest.fixture
def clock(app):
    frozen = FrozenClock()
    install_clock(app, frozen)
    return frozen


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, email: str, password: str = PASSWORD, follow: bool = False):
        return self._client.post("/login", data={"email": email, "password": password},
                                 follow_redirects=follow)

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)
