"""The eligibility CSV: written batch by batch as the rows are read, so an export of any size
uses the same little memory (the response streams; nothing is gathered first)."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import datetime

from lms.incentives.ledger import iso
from lms.incentives.services import EXPORT_COLUMNS

ROWS_PER_CHUNK = 2000


def _cell(value: object) -> object:
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        # A spreadsheet would run it as a formula: keep it text.
        return "'" + value
    return "" if value is None else value


def csv_chunks(rows: Iterable[tuple]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    count = 0
    for row in rows:
        writer.writerow([_cell(value) for value in row])
        count += 1
        if count % ROWS_PER_CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
