"""Test databases: a SQLite file by default, a throw-away PostgreSQL database when
TEST_DATABASE_URL points at a server (each pytest run gets its own, dropped afterwards)."""
from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url

from lms.extensions import db


def _admin_dsn(url: str) -> str:
    parsed = make_url(url).set(drivername="postgresql", database="postgres")
    return parsed.render_as_string(hide_password=False)


def create_pg_database(url: str, prefix: str = "alur_test") -> str:
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(_admin_dsn(url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def drop_pg_database(url: str) -> None:
    name = make_url(url).database
    with psycopg.connect(_admin_dsn(url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def triggers_suspended(conn: Connection) -> Iterator[None]:
    """Run statements the append-only triggers would refuse (wiping between tests, a test
    that tampers with the record on purpose): PostgreSQL skips user triggers for the
    transaction (superuser only); SQLite has no such switch, so the triggers are dropped and
    re-created around the block."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        yield
        return
    triggers = conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"))
    saved = list(triggers)
    for name, _sql in saved:
        conn.execute(text(f'DROP TRIGGER "{name}"'))
    try:
        yield
    finally:
        for _name, sql in saved:
            conn.execute(text(sql))


def wipe_all_tables() -> None:
    """Empty every table so the next test starts from a fresh database."""
    db.session.remove()
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables)
                              + " RESTART IDENTITY CASCADE"))
        else:
            with triggers_suspended(conn):
                for table in tables:
                    conn.execute(text(f'DELETE FROM "{table}"'))
