"""The production topology on this machine. Monthly evidence partitions exist only on
PostgreSQL, so their tests are collected only there, and SQLite's plain table has its own."""
from __future__ import annotations

from tests.conftest import BACKEND
from tests.integration.conftest import s3_bucket, s3_endpoint  # noqa: F401 (the S3 server)
from tests.pacing.conftest import player, world  # noqa: F401 (fixtures shared with pacing)

PER_BACKEND = {"postgresql": "test_evidence_partitions.py",
               "sqlite": "test_evidence_unpartitioned.py"}
collect_ignore = [name for backend, name in PER_BACKEND.items() if backend != BACKEND]
