"""The eligibility CSV: written batch by batch as the rows are read, so an export of any size
uses the same little memory (the response streams; nothing is gathered first).

The database formats every cell (UTC times to the second, booleans as true/false, a leading
formula character quoted so a spreadsheet shows text instead of running it); Python only
joins the cells, which keeps the export fast at millions of rows.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from itertools import islice

from sqlalchemy import String, case, func, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

ROWS_PER_CHUNK = 2000
FORMULA_STARTS = ("=", "+", "-", "@")


class iso_utc(FunctionElement):  # noqa: N801 (an SQL function reads best in lower case)
    """A UTC timestamp column as `YYYY-MM-DDTHH:MM:SSZ` text."""

    type = String()
    inherit_cache = True


@compiles(iso_utc, "postgresql")
def _iso_utc_postgresql(element, compiler, **kw):
    return "to_char(%s, 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')" % compiler.process(element.clauses,
                                                                             **kw)


@compiles(iso_utc, "sqlite")
def _iso_utc_sqlite(element, compiler, **kw):
    return "strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', %s)" % compiler.process(element.clauses, **kw)


def as_text_cell(column: ColumnElement) -> ColumnElement:
    """The column as a cell a spreadsheet will not evaluate ('' for NULL)."""
    value = func.coalesce(column, "")
    return case((func.substr(value, 1, 1).in_(FORMULA_STARTS), literal("'") + value),
                else_=value)


def as_flag_cell(column: ColumnElement) -> ColumnElement:
    return case((column.is_(True), "true"), else_="false")


def csv_chunks(header: tuple[str, ...], rows: Iterable[tuple]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    source = iter(rows)
    while True:
        chunk = list(islice(source, ROWS_PER_CHUNK))
        writer.writerows(chunk)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        if len(chunk) < ROWS_PER_CHUNK:
            return
