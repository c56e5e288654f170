"""Which database errors are an outage (503, Retry-After) and which are a fault of the request
or the code (their usual answers): by SQLAlchemy's judgement of the connection, else by the
server's SQLSTATE. SQLite's errors are never an outage: its file has no server to lose."""
from __future__ import annotations

import sqlite3

import psycopg
import pytest
from psycopg import errors as pg
from sqlalchemy.exc import DisconnectionError, IntegrityError, OperationalError

from lms.errors import database_unreachable


def _wrapped(orig: Exception, invalidated: bool = False) -> OperationalError:
    return OperationalError("SELECT 1", {}, orig, connection_invalidated=invalidated)


@pytest.mark.parametrize("error", [
    _wrapped(psycopg.OperationalError("connection failed: Connection refused")),
    _wrapped(pg.AdminShutdown("terminating connection due to administrator command")),
    _wrapped(pg.CannotConnectNow("the database system is starting up")),
    _wrapped(pg.TooManyConnections("sorry, too many clients already")),
    _wrapped(pg.ConnectionFailure("connection failure")),
    _wrapped(psycopg.OperationalError("consuming input failed"), invalidated=True),
    DisconnectionError("the pool's ping failed"),
], ids=["refused", "admin shutdown", "starting up", "no slots", "class 08", "invalidated",
        "ping"])
def test_a_server_out_of_reach_is_an_outage(error):
    assert database_unreachable(error)


@pytest.mark.parametrize("error", [
    _wrapped(sqlite3.OperationalError("database is locked")),
    _wrapped(sqlite3.OperationalError("no such table: users")),
    _wrapped(pg.QueryCanceled("canceling statement due to statement timeout")),
    _wrapped(pg.DeadlockDetected("deadlock detected")),
    IntegrityError("INSERT", {}, pg.UniqueViolation("duplicate key")),
    RuntimeError("not a database error"),
], ids=["sqlite locked", "sqlite schema", "statement timeout", "deadlock", "unique", "other"])
def test_other_errors_are_not_an_outage(error):
    assert not database_unreachable(error)
