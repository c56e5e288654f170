"""The migrations build the schema the models describe, and undo it cleanly."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from lms.extensions import db
from lms.partitions import evidence as evidence_partitions
from tests import dbutil
from tests.conftest import BACKEND, make_test_app


@pytest.fixture
def empty_database(database_url, tmp_path):
    if BACKEND == "postgresql":
        url = dbutil.create_pg_database(database_url, prefix="alur_migr")
        yield url
        dbutil.drop_pg_database(url)
    else:
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"


def test_upgrade_matches_the_models_and_downgrade_returns_to_empty(empty_database, tmp_path):
    app = make_test_app(empty_database, tmp_path)
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"include_name": evidence_partitions.include_name})
            diff = compare_metadata(context, db.metadata)
        assert diff == [], f"models and migrations disagree: {diff}"
        downgrade(revision="base")
        tables = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert tables == set()
        upgrade()
        db.engine.dispose()


def test_pending_programme_calls_move_to_the_outbox_and_back(empty_database, tmp_path):
    app = make_test_app(empty_database, tmp_path)
    created = datetime(2026, 1, 5, 2, 0, tzinfo=timezone.utc)
    calls = [
        ("posttest", "delivered", {"redeem_code": "PRAT-M", "sequence": 999}, ""),
        ("submission", "pending", {"redeem_code": "PRAT-M", "submission_id": 3}, "HTTP 500"),
        ("feedback", "pending", {"redeem_code": "PRAT-M", "notes": "Good"}, ""),
    ]
    with app.app_context():
        upgrade(revision="0012_programme")
        with db.engine.begin() as conn:
            for kind, status, payload, error in calls:
                conn.execute(text(
                    "INSERT INTO programme_calls (kind, ordering_key, payload, status, attempts,"
                    " created_at, next_attempt_at, last_error) VALUES (:kind, 'enrollment:1',"
                    " :payload, :status, 1, :at, :at, :error)"),
                    {"kind": kind, "payload": json.dumps(payload), "status": status,
                     "at": created.replace(tzinfo=None), "error": error})
        upgrade(revision="0013_programme_outbox")
        with db.engine.connect() as conn:
            moved = conn.execute(text(
                "SELECT destination, ordering_key, event_type, body, attempts, last_error,"
                " delivered_at FROM outbox_events ORDER BY id")).all()
        assert [(m.destination, m.ordering_key, m.event_type, m.attempts, m.last_error,
                 m.delivered_at) for m in moved] == [
            ("programme", "enrollment:1", "programme.submission", 1, "HTTP 500", None),
            ("programme", "enrollment:1", "programme.feedback", 1, None, None)]
        assert [json.loads(m.body) for m in moved] == [
            {"kind": kind, "payload": payload} for kind, _, payload, _ in calls[1:]]
        assert "programme_calls" not in inspect(db.engine).get_table_names()

        downgrade(revision="0012_programme")
        with db.engine.connect() as conn:
            back = conn.execute(text("SELECT kind, status, payload, last_error"
                                     " FROM programme_calls ORDER BY id")).all()
            left = conn.execute(text("SELECT count(*) FROM outbox_events")).scalar()
        assert [(b.kind, b.status, b.last_error) for b in back] == [
            ("submission", "pending", "HTTP 500"), ("feedback", "pending", "")]
        assert left == 0
        downgrade(revision="base")
        db.engine.dispose()
