"""A rate-limit store in a SQLite file, for installations without Redis.

Flask-Limiter's `memory://` store lives in one process: with four app workers a limit of 5
allowed about 20, and a restart forgot every count. This store keeps the fixed-window
counters in a file all processes of the machine share (`sqlite:///path`, the default when
`REDIS_URL` is not set), so a limit holds across workers and restarts. Each call opens its
own short connection: processes and threads never share one, and `BEGIN IMMEDIATE` makes an
increment atomic across them.
"""
from __future__ import annotations

import sqlite3
import time
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Iterator

from limits.storage import Storage

SCHEMA = """
CREATE TABLE IF NOT EXISTS rate_limit_counters (
    key TEXT PRIMARY KEY,
    value INTEGER NOT NULL,
    expires_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_rate_limit_counters_expires_at
    ON rate_limit_counters (expires_at);
"""
BUSY_TIMEOUT_SECONDS = 10.0


def path_of(uri: str) -> Path:
    """`sqlite:///relative/file` or `sqlite:////absolute/file`, as SQLAlchemy spells them."""
    prefix = "sqlite:///"
    if not uri.startswith(prefix) or len(uri) == len(prefix):
        raise ValueError(f"expected sqlite:///PATH, not {uri!r}")
    return Path(uri[len(prefix):])


class SqliteStorage(Storage):
    """Fixed-window counters (Flask-Limiter's default strategy) in a shared SQLite file."""

    STORAGE_SCHEME = ["sqlite"]

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.path = path_of(uri)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connection() as connection:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.executescript(SCHEMA)

    @property
    def base_exceptions(self) -> type[Exception]:
        return sqlite3.Error

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        with closing(sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS,
                                     isolation_level=None)) as connection:
            yield connection

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        with self._connection() as connection:
            connection.execute("BEGIN IMMEDIATE")
            try:
                connection.execute("DELETE FROM rate_limit_counters WHERE expires_at <= ?",
                                   (now,))
                connection.execute(
                    "INSERT INTO rate_limit_counters (key, value, expires_at) VALUES (?, ?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = value + excluded.value",
                    (key, amount, now + expiry))
                (value,) = connection.execute(
                    "SELECT value FROM rate_limit_counters WHERE key = ?", (key,)).fetchone()
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
        return int(value)

    def get(self, key: str) -> int:
        with self._connection() as connection:
            row = connection.execute(
                "SELECT value FROM rate_limit_counters WHERE key = ? AND expires_at > ?",
                (key, time.time())).fetchone()
        return int(row[0]) if row else 0

    def get_expiry(self, key: str) -> float:
        now = time.time()
        with self._connection() as connection:
            row = connection.execute(
                "SELECT expires_at FROM rate_limit_counters WHERE key = ? AND expires_at > ?",
                (key, now)).fetchone()
        return float(row[0]) if row else now

    def check(self) -> bool:
        try:
            with self._connection() as connection:
                connection.execute("SELECT 1").fetchone()
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        with self._connection() as connection:
            return connection.execute("DELETE FROM rate_limit_counters").rowcount

    def clear(self, key: str) -> None:
        with self._connection() as connection:
            connection.execute("DELETE FROM rate_limit_counters WHERE key = ?", (key,))
