"""Calendar months in UTC, the unit the evidence table is partitioned by: pure arithmetic."""
from __future__ import annotations

from datetime import date, datetime, timezone


def month_of(moment: datetime) -> date:
    """The first day of the UTC month `moment` falls in."""
    utc = moment.astimezone(timezone.utc)
    return date(utc.year, utc.month, 1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def months_from(first: date, last: date) -> list[date]:
    """Every month from `first` to `last`, both included (empty when `last` comes first)."""
    months, month = [], date(first.year, first.month, 1)
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months
