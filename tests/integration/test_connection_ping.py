"""A PostgreSQL connection lost while idle in the pool (server restart, failover, an idle
timeout) is replaced before a request uses it, without pinging busy connections."""
from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from lms import db_types
from lms.extensions import db
from tests.conftest import BACKEND

pytestmark = pytest.mark.skipif(BACKEND != "postgresql",
                                reason="SQLite has no server connection to lose")


def _backend_pid() -> int:
    pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar_one()
    db.session.commit()
    return pid


def _terminate(pid: int) -> None:
    dsn = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))


def test_an_idle_connection_dropped_by_the_server_is_replaced(app, monkeypatch):
    db.engine.dispose()
    pid = _backend_pid()  # back in the pool now
    _terminate(pid)
    monkeypatch.setattr(db_types, "IDLE_PING_SECONDS", 0.0)
    assert _backend_pid() != pid


def test_without_the_idle_ping_the_dropped_connection_fails_the_request(app, monkeypatch):
    """The control: what the ping saves a request from."""
    db.engine.dispose()
    pid = _backend_pid()
    _terminate(pid)
    monkeypatch.setattr(db_types, "IDLE_PING_SECONDS", 3600.0)
    with pytest.raises(OperationalError):
        _backend_pid()
    db.session.rollback()
    assert _backend_pid() != pid  # the pool invalidated it; the next one is fresh
