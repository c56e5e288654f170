"""On PostgreSQL the evidence table is partitioned by UTC month (migration 0014): a heartbeat's
row lands in its month's partition, a month nobody created waits in the default partition and
moves into its own when it is created, and the worker's job and `flask evidence partitions`
create the coming months. Rows stay append-only in every partition."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import delete, text, update
from sqlalchemy.exc import DatabaseError

from lms.extensions import db
from lms.catalog.models import ModuleKind
from lms.pacing.models import PacingEvidence, PlaybackSession
from lms.partitions import evidence
from lms.partitions.months import month_of
from lms.partitions.tasks import ensure_evidence_partitions
from tests import dbutil, factories
from tests.conftest import make_test_app
from tests.pacing.conftest import evidence_of, watch


@pytest.fixture(autouse=True)
def months_made_here_are_dropped(app):
    """Partitions outlive the suite's per-test wipe: drop the ones a test made."""
    before = set(evidence.existing_months(db.session.connection()))
    db.session.commit()
    yield
    db.session.rollback()
    for month in set(evidence.existing_months(db.session.connection())) - before:
        db.session.execute(text(f'DROP TABLE "{evidence.partition_name(month)}"'))
    db.session.commit()


def move_clock_to(clock, moment: datetime) -> None:
    clock.advance((moment - clock.now()).total_seconds())


def partitions_of(session_id: int) -> dict[str, int]:
    db.session.commit()
    rows = db.session.execute(text(
        "SELECT tableoid::regclass::text, count(*) FROM pacing_evidence"
        " WHERE session_id = :sid GROUP BY 1"), {"sid": session_id})
    return dict(rows.tuples().all())


def test_the_table_is_partitioned_by_month_with_a_key_including_the_time(app):
    connection = db.session.connection()
    assert evidence.is_partitioned(connection)
    assert connection.scalar(text(
        "SELECT pg_get_partkeydef('pacing_evidence'::regclass)")) == "RANGE (at)"
    assert connection.scalar(text(
        "SELECT pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE conname = 'pk_pacing_evidence'")) == "PRIMARY KEY (id, at)"
    # Nothing may refer to an evidence row by id alone: the id is no longer a key by itself.
    assert connection.scalar(text(
        "SELECT count(*) FROM pg_constraint WHERE confrelid = 'pacing_evidence'::regclass")) == 0
    assert month_of(datetime.now(timezone.utc)) in evidence.existing_months(connection)


def test_a_heartbeat_lands_in_the_partition_of_its_month(app, player, clock):
    move_clock_to(clock, datetime(2030, 3, 14, 8, 0, tzinfo=timezone.utc))
    assert evidence.ensure_months(db.session.connection(), date(2030, 3, 1),
                                  date(2030, 3, 1)) == ["pacing_evidence_2030_03"]
    db.session.commit()
    player.open()
    watch(player, clock, until=30)
    rows = evidence_of(player.sid)
    assert partitions_of(player.sid) == {"pacing_evidence_2030_03": len(rows)}
    assert {row.kind for row in rows} == {"heartbeat", "segment"}


def test_a_month_without_partition_waits_in_the_default_and_moves_when_created(
        app, player, clock):
    move_clock_to(clock, datetime(2031, 5, 31, 23, 59, 30, tzinfo=timezone.utc))
    player.open()
    watch(player, clock, until=40)  # the last heartbeats fall on 1 June
    before = [(row.id, row.at, row.credited_seconds) for row in evidence_of(player.sid)]
    waiting = partitions_of(player.sid)
    assert waiting == {"pacing_evidence_default": len(before)}

    created = evidence.ensure_months(db.session.connection(), date(2031, 5, 1),
                                     date(2031, 6, 1))
    db.session.commit()
    assert created == ["pacing_evidence_2031_05", "pacing_evidence_2031_06"]
    moved = partitions_of(player.sid)
    assert set(moved) == {"pacing_evidence_2031_05", "pacing_evidence_2031_06"}
    assert sum(moved.values()) == len(before)
    assert [(row.id, row.at, row.credited_seconds) for row in evidence_of(player.sid)] == before

    # The moved rows are as protected as ever, in the month partition and the default alike.
    for statement in (update(PacingEvidence).where(PacingEvidence.session_id == player.sid)
                      .values(credited_seconds=999),
                      delete(PacingEvidence).where(PacingEvidence.session_id == player.sid)):
        with pytest.raises(DatabaseError, match="append-only"):
            db.session.execute(statement)
        db.session.rollback()
    assert evidence.DEFAULT_PARTITION in db.session.scalars(text(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
        " WHERE i.inhparent = 'pacing_evidence'::regclass")).all()


def test_the_worker_job_creates_this_month_and_the_next_three_once(app, clock):
    move_clock_to(clock, datetime(2032, 11, 20, tzinfo=timezone.utc))
    # HUEY_IMMEDIATE: the job runs now, in its own context and transaction.
    assert ensure_evidence_partitions().get() == [
        "pacing_evidence_2032_11", "pacing_evidence_2032_12", "pacing_evidence_2033_01",
        "pacing_evidence_2033_02"]
    assert ensure_evidence_partitions().get() == []


def test_the_command_creates_the_months_ahead_and_lists_them(app, clock, runner):
    move_clock_to(clock, datetime(2034, 12, 2, tzinfo=timezone.utc))
    result = runner.invoke(args=["evidence", "partitions", "--ahead", "1"])
    assert result.exit_code == 0, result.output
    assert "created pacing_evidence_2034_12\ncreated pacing_evidence_2035_01\n" in result.output
    assert "to 2035-01, and pacing_evidence_default" in result.output
    again = runner.invoke(args=["evidence", "partitions", "--ahead", "1"])
    assert "created" not in again.output


@pytest.fixture
def empty_database(database_url):
    url = dbutil.create_pg_database(database_url, prefix="alur_part")
    yield url
    dbutil.drop_pg_database(url)


def test_the_migration_moves_existing_rows_into_partitions_and_back(empty_database, tmp_path):
    app = make_test_app(empty_database, tmp_path)
    old, recent = datetime(2025, 7, 9, 1, 0), datetime.now(timezone.utc).replace(tzinfo=None)
    with app.app_context():
        upgrade(revision="0013_programme_outbox")  # the models' schema but for partitions
        course = factories.course(kinds=(ModuleKind.VIDEO,))
        enrollment = factories.enrollment(factories.learner(), course)
        session = PlaybackSession(user_id=enrollment.user_id, enrollment_id=enrollment.id,
                                  module_id=course.current_version.modules[0].id,
                                  kind="video", target_seconds=60)
        db.session.add(session)
        db.session.commit()
        parents = {"sid": session.id, "eid": enrollment.id, "mid": session.module_id}
        with db.engine.begin() as conn:
            for at in (old, recent):
                conn.execute(text(
                    "INSERT INTO pacing_evidence (session_id, enrollment_id, module_id, kind, at,"
                    " outcome, frontier, credited_seconds, wall_seconds, detail)"
                    " VALUES (:sid, :eid, :mid, 'heartbeat', :at, 'accepted', 10, 10, 10, '')"),
                    {**parents, "at": at})
        db.session.remove()
        upgrade(revision="0014_evidence_partitions")
        with db.engine.begin() as conn:
            rows = conn.execute(text("SELECT id, tableoid::regclass::text FROM pacing_evidence"
                                     " ORDER BY id")).all()
            assert rows == [(1, "pacing_evidence_2025_07"),
                            (2, evidence.partition_name(recent.date()))]
            # The sequence carried over: the next row does not reuse an id.
            assert conn.scalar(text("SELECT nextval('pacing_evidence_id_seq')")) == 3
            with pytest.raises(DatabaseError, match="append-only"):
                conn.execute(text("UPDATE pacing_evidence SET frontier = 0"))
        downgrade(revision="0013_programme_outbox")
        with db.engine.begin() as conn:
            assert not evidence.is_partitioned(conn)
            assert conn.scalars(text("SELECT id FROM pacing_evidence ORDER BY id")).all() == [1, 2]
            with pytest.raises(DatabaseError, match="append-only"):
                conn.execute(text("DELETE FROM pacing_evidence"))
        with db.engine.begin() as conn, dbutil.triggers_suspended(conn):
            conn.execute(text("DELETE FROM pacing_evidence"))
        downgrade(revision="base")
        db.engine.dispose()
