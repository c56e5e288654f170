"""Column types and time helpers shared by every domain's models."""
from __future__ import annotations

import os
import threading
import time
from datetime import datetime, timezone

from sqlalchemy import DateTime, exc
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend.

    SQLite drops the offset; without this, values read back are naive and comparisons with
    aware `now` values raise. We store naive UTC and hand back aware UTC.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):  # type: ignore[override]
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect):  # type: ignore[override]
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc)


# How long a SQLite writer queues for the write lock before "database is locked". The test
# suite raises it: its 50-way races on a loaded 2-core machine queue for longer than 10 s.
SQLITE_BUSY_TIMEOUT_MS = int(os.environ.get("ALUR_SQLITE_BUSY_TIMEOUT_MS") or 10000)


def _is_sqlite(dbapi_connection) -> bool:
    return type(dbapi_connection).__module__.startswith("sqlite3")


def sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """Foreign keys and WAL on SQLite, so the embedded default behaves like production.

    `synchronous=NORMAL`: in WAL mode a commit is written to the log before it returns but not
    fsynced, so an acknowledged heartbeat survives a killed process (not a power cut), without
    FULL's fsync on every commit."""
    if not _is_sqlite(dbapi_connection):
        return
    # Let SQLAlchemy's "begin" event issue BEGIN itself (see below) instead of pysqlite.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


def sqlite_begin_immediate(connection) -> None:
    """Take SQLite's write lock at the start of every transaction that may write.

    With deferred transactions, two requests can both read a row (a redeem code, a playback
    session) and then race to write it; the loser fails with "database is locked" instead of
    waiting. BEGIN IMMEDIATE makes writers queue (busy_timeout) and read current data, which is
    what PostgreSQL's row locks give us in production. A request that only reads (see
    `lms.transactions`) begins deferred: WAL readers never wait for the writer.
    """
    if connection.dialect.name == "sqlite":
        deferred = getattr(_thread_flags, "deferred", False)
        connection.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")


_thread_flags = threading.local()


def defer_sqlite_transactions_in_this_thread(deferred: bool = True) -> bool:
    """Start plain (deferred) transactions in the calling thread, or (False) immediate ones
    again; returns the previous setting, for the caller to restore.

    For requests that only read, and for a test's own thread, which sets up data and reads
    results while a live server or racing threads do the real work: holding the write lock for
    a whole test would block them.
    """
    previous = getattr(_thread_flags, "deferred", False)
    _thread_flags.deferred = deferred
    return previous


#: A pooled server connection unused for longer than this is pinged before it is handed out.
IDLE_PING_SECONDS = 10.0
_CHECKED_IN = "alur.checked_in_at"


def note_checkin(dbapi_connection, connection_record) -> None:
    connection_record.info[_CHECKED_IN] = time.monotonic()


def ping_idle_connection(dbapi_connection, connection_record, connection_proxy) -> None:
    """Ping a PostgreSQL connection that sat idle, so one dropped by a server restart is
    replaced (the pool retries on DisconnectionError) instead of failing a request.

    SQLAlchemy's `pool_pre_ping` pings on every checkout: a round trip that cost the
    heartbeat path a fifth of its time, for connections used a millisecond earlier. A
    connection dropped while busy still fails that one statement and is invalidated.
    """
    last = connection_record.info.get(_CHECKED_IN)
    if _is_sqlite(dbapi_connection) or last is None \
            or time.monotonic() - last < IDLE_PING_SECONDS:
        return
    autocommit = dbapi_connection.autocommit
    try:
        dbapi_connection.autocommit = True  # a ping must not open a transaction
        dbapi_connection.execute(";")
        dbapi_connection.autocommit = autocommit
    except Exception as error:  # whatever the driver raises, the connection is gone
        raise exc.DisconnectionError(str(error)) from error

