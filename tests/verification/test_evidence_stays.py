"""Audit entries can be neither changed nor deleted by the application's database user, and
`flask audit verify` finds the first entry someone tampered with anyway (with the triggers
out of the way, as only a database superuser could)."""
from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import DatabaseError

from lms.admin import audit
from lms.admin.models import AuditEntry
from lms.extensions import db
from tests import factories
from tests.dbutil import triggers_suspended


def _entries(count: int = 3) -> list[int]:
    admin = factories.admin()
    made = [audit.record(admin, "test.entry", "thing", n, n=n).id for n in range(count)]
    db.session.commit()
    return made


@pytest.mark.parametrize("statement", [
    lambda entry_id: update(AuditEntry).where(AuditEntry.id == entry_id)
    .values(action="test.rewritten"),
    lambda entry_id: delete(AuditEntry).where(AuditEntry.id == entry_id),
], ids=["update", "delete"])
def test_the_database_refuses_to_change_or_delete_an_audit_entry(app, statement):
    entry_id = _entries()[1]
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(statement(entry_id))
        db.session.flush()
    db.session.rollback()
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.id == entry_id)) \
        == "test.entry"


def test_audit_verify_counts_an_intact_chain(app, runner):
    _entries(4)
    result = runner.invoke(args=["audit", "verify"])
    total = db.session.scalar(select(func.count()).select_from(AuditEntry))
    assert result.exit_code == 0, result.output
    assert f"intact: {total} entries" in result.output


def test_audit_verify_names_the_first_tampered_entry(app, runner):
    target = _entries(4)[2]
    db.session.remove()
    with db.engine.begin() as conn, triggers_suspended(conn):
        conn.execute(update(AuditEntry).where(AuditEntry.id == target).values(data={"n": 99}))
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"broken at entry {target}" in result.output


def test_audit_verify_notices_a_deleted_entry(app, runner):
    entries = _entries(4)
    db.session.remove()
    with db.engine.begin() as conn, triggers_suspended(conn):
        conn.execute(delete(AuditEntry).where(AuditEntry.id == entries[1]))
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"broken at entry {entries[2]}" in result.output
