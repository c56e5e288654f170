"""The production topology on this machine. Monthly evidence partitions exist only on
PostgreSQL, so their tests are collected only there (SQLite keeps one plain table)."""
from __future__ import annotations

from tests.conftest import BACKEND
from tests.integration.conftest import s3_bucket, s3_endpoint  # noqa: F401 (the S3 server)
from tests.pacing.conftest import player, world  # noqa: F401 (fixtures shared with pacing)

collect_ignore = [] if BACKEND == "postgresql" else ["test_evidence_partitions.py"]
