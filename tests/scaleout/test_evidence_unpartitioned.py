"""SQLite keeps one plain evidence table: the partition job and command find nothing to do
and say so, instead of failing on the embedded default."""
from __future__ import annotations

from lms.extensions import db
from lms.partitions import evidence
from lms.partitions.tasks import ensure_evidence_partitions


def test_the_partition_job_and_command_leave_sqlite_alone(app, runner):
    assert not evidence.is_partitioned(db.session.connection())
    assert ensure_evidence_partitions().get() == []
    result = runner.invoke(args=["evidence", "partitions"])
    assert result.exit_code == 0
    assert "not partitioned on this database (SQLite): nothing to do" in result.output
