"""A learner's reads never queue behind writers: while another connection holds the write lock
(SQLite's, or PostgreSQL's on the evidence table), the outline answers at once and a heartbeat
waits its turn, then counts. Each request runs in a thread of its own, as in a server."""
from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager

import psycopg
from sqlalchemy import text

from lms.extensions import db
from tests import factories
from tests.conftest import BACKEND


@contextmanager
def write_lock_held() -> Iterator[None]:
    url = db.engine.url
    if BACKEND == "sqlite":
        with closing(sqlite3.connect(url.database, isolation_level=None)) as other:
            other.execute("BEGIN IMMEDIATE")
            try:
                yield
            finally:
                other.execute("ROLLBACK")
        return
    dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn) as other:
        other.execute("LOCK TABLE pacing_evidence IN EXCLUSIVE MODE")
        try:
            yield
        finally:
            other.rollback()


def in_server_thread(app, method: str, path: str, headers: dict, **kwargs) -> dict:
    """Start the request in a thread of its own (a server's, with the production begin mode)
    and return the dict its answer lands in."""
    answer: dict = {}

    def run() -> None:
        with app.app_context():
            response = getattr(app.test_client(), method)(path, headers=headers, **kwargs)
            answer["status"] = response.status_code
            answer["json"] = response.get_json()
            db.session.remove()
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    answer["thread"] = thread
    return answer


def test_reads_answer_while_a_writer_holds_the_lock_and_writes_wait(app, client, world):
    headers = factories.api_token(world["learner"])
    opened = client.post(f"/api/v1/modules/{world['video'].id}/sessions", headers=headers)
    assert opened.status_code == 201
    session_id = opened.get_json()["session_id"]
    db.session.commit()  # the test's own connection holds nothing either

    with write_lock_held():
        outline = in_server_thread(app, "get",
                                   f"/api/v1/enrollments/{world['enrollment'].id}", headers)
        outline["thread"].join(timeout=10)
        assert not outline["thread"].is_alive(), "the outline queued behind the writer"
        assert outline["status"] == 200
        assert outline["json"]["modules"][0]["module_id"] == world["video"].id

        beat = in_server_thread(app, "post", f"/api/v1/sessions/{session_id}/heartbeats",
                                headers, json={"position": 0, "playing": True, "rate": 1,
                                               "seq": 1})
        beat["thread"].join(timeout=1.5)
        assert beat["thread"].is_alive(), "a heartbeat wrote past the writer's lock"
    beat["thread"].join(timeout=30)
    assert beat["status"] == 200 and beat["json"]["outcome"] == "accepted"
    db.session.rollback()  # the test's own read began while the lock was held: a stale view
    assert db.session.execute(text("SELECT count(*) FROM pacing_evidence WHERE session_id = :s"),
                              {"s": session_id}).scalar_one() == 1


def test_sqlite_commits_in_wal_mode_without_a_sync_per_commit(app):
    """WAL with synchronous=NORMAL: durable against a killed process, no fsync per heartbeat.
    (PostgreSQL keeps its own, synchronous, commit.)"""
    if BACKEND == "sqlite":
        assert db.session.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
        assert db.session.execute(text("PRAGMA synchronous")).scalar_one() == 1  # NORMAL
    else:
        assert db.session.execute(text("SHOW synchronous_commit")).scalar_one() == "on"
