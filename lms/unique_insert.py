"""Inserting a row at most once under concurrency, without aborting the caller's transaction.

`INSERT … ON CONFLICT DO NOTHING` lets the loser of a race on a unique column carry on: an
IntegrityError would abort the whole PostgreSQL transaction (which may be someone else's,
e.g. the one completing the enrollment), and a SAVEPOINT does not help on pysqlite, where
releasing an outermost SAVEPOINT commits everything done so far.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from lms.extensions import db


def insert_unless_taken(table: Table, values: dict[str, Any]) -> bool:
    """Insert `values` unless a unique constraint is already taken; True if inserted."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        statement = pg_insert(table).values(**values).on_conflict_do_nothing()
    elif dialect == "sqlite":
        statement = sqlite_insert(table).values(**values).on_conflict_do_nothing()
    else:  # pragma: no cover - Alur runs on SQLite and PostgreSQL only
        raise RuntimeError(f"unsupported database {dialect}")
    # RETURNING rather than rowcount, which psycopg reports as -1 for this statement.
    return db.session.execute(statement.returning(table.c.id)).first() is not None
