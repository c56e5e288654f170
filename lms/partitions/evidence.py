"""The monthly partitions of `pacing_evidence` on PostgreSQL: which exist, and creating the
coming months' ahead of time.

Partitions are named `pacing_evidence_YYYY_MM` and hold `at` in [first of the month, first of
the next) in UTC; `pacing_evidence_default` catches any row no month partition covers (a clock
far off, a month nobody created), so an insert never fails for want of a partition. Creating a
month whose rows already sit in the default partition moves them into it in the same
transaction: PostgreSQL refuses to attach a range the default partition holds rows of.
"""
from __future__ import annotations

import re
from datetime import date, datetime

from sqlalchemy import Connection, text

from lms.partitions.months import add_months, month_of, months_from

PARENT = "pacing_evidence"
DEFAULT_PARTITION = f"{PARENT}_default"
#: Months created beyond the current one: the daily job then has three months of failures to
#: be noticed before a row would land in the default partition.
MONTHS_AHEAD = 3
_MONTH_NAME = re.compile(rf"^{PARENT}_(\d{{4}})_(\d{{2}})$")
# Two workers run the periodic job at the same moment; one creates, the other then sees it.
_ADVISORY_LOCK = 7_262_015


def partition_name(month: date) -> str:
    return f"{PARENT}_{month:%Y_%m}"


def is_partition(table_name: str) -> bool:
    return table_name == DEFAULT_PARTITION or _MONTH_NAME.match(table_name) is not None


def include_name(name: str | None, type_: str, parent_names: dict) -> bool:
    """Alembic's filter: partitions are made by this module, not described by the models, so
    autogenerate and the models-versus-migrations test leave them out."""
    return not (type_ == "table" and name is not None and is_partition(name))


def is_partitioned(conn: Connection) -> bool:
    if conn.dialect.name != "postgresql":
        return False
    return bool(conn.scalar(text(
        "SELECT EXISTS (SELECT 1 FROM pg_partitioned_table"
        " WHERE partrelid = to_regclass(:parent))"), {"parent": PARENT}))


def existing_months(conn: Connection) -> list[date]:
    names = conn.scalars(text(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
        " WHERE i.inhparent = to_regclass(:parent)"), {"parent": PARENT})
    found = (_MONTH_NAME.match(name) for name in names)
    return sorted(date(int(m.group(1)), int(m.group(2)), 1) for m in found if m)


def create_default_partition(conn: Connection) -> None:
    conn.execute(text(f'CREATE TABLE "{DEFAULT_PARTITION}" PARTITION OF "{PARENT}" DEFAULT'))


def _bound(month: date) -> str:
    # `at` is a timestamp without time zone holding UTC (lms.db_types.UTCDateTime).
    return f"{month:%Y-%m-%d} 00:00:00"


def _create_month(conn: Connection, month: date) -> None:
    name, low, high = partition_name(month), _bound(month), _bound(add_months(month, 1))
    conn.execute(text(f'CREATE TABLE "{name}" (LIKE "{PARENT}" INCLUDING DEFAULTS)'))
    in_month = {"low": datetime.fromisoformat(low), "high": datetime.fromisoformat(high)}
    waiting = conn.scalar(text(f'SELECT EXISTS (SELECT 1 FROM "{DEFAULT_PARTITION}"'
                               " WHERE at >= :low AND at < :high)"), in_month)
    if waiting:
        # Detached, the default partition loses the append-only triggers cloned onto it, so
        # the month's rows can move out; the same transaction puts them in their partition.
        conn.execute(text(f'ALTER TABLE "{PARENT}" DETACH PARTITION "{DEFAULT_PARTITION}"'))
        conn.execute(text(f'INSERT INTO "{name}" SELECT * FROM "{DEFAULT_PARTITION}"'
                          " WHERE at >= :low AND at < :high"), in_month)
        conn.execute(text(f'DELETE FROM "{DEFAULT_PARTITION}" WHERE at >= :low AND at < :high'),
                     in_month)
    # Attaching clones the parent's indexes, foreign keys and append-only triggers onto it.
    conn.execute(text(f'ALTER TABLE "{PARENT}" ATTACH PARTITION "{name}"'
                      f" FOR VALUES FROM ('{low}') TO ('{high}')"))
    if waiting:
        conn.execute(text(f'ALTER TABLE "{PARENT}" ATTACH PARTITION "{DEFAULT_PARTITION}"'
                          " DEFAULT"))


def ensure_months(conn: Connection, first: date, last: date) -> list[str]:
    """Create the partitions of every month from `first` to `last` that does not exist yet;
    returns their names. Nothing to do (and an empty list) on an unpartitioned table."""
    wanted = months_from(first, last)
    if not is_partitioned(conn) or set(wanted) <= set(existing_months(conn)):
        return []
    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK})
    # No row may enter the default partition between moving a month's rows out and attaching.
    conn.execute(text(f'LOCK TABLE "{DEFAULT_PARTITION}" IN EXCLUSIVE MODE'))
    have = set(existing_months(conn))
    created = []
    for month in wanted:
        if month not in have:
            _create_month(conn, month)
            created.append(partition_name(month))
    return created


def ensure_ahead(conn: Connection, now: datetime, ahead: int = MONTHS_AHEAD) -> list[str]:
    """The current month's partition and the next `ahead` months'."""
    current = month_of(now)
    return ensure_months(conn, current, add_months(current, ahead))
