"""The eligibility CSV: written as the rows are read, so an export of any size uses the same
little memory (the response streams; nothing is gathered first).

The database formats every cell (UTC times to the second, booleans as true/false, a leading
formula character quoted so a spreadsheet shows text instead of running it). On PostgreSQL
the database writes the CSV itself (`COPY … TO STDOUT`), which keeps the export fast at
millions of rows; elsewhere Python joins the cells of keyset batches.

Both writers give the same bytes: minimal quoting with `"` doubled, `\n` line ends, and an
empty cell unquoted. COPY quotes an empty string to tell it from NULL, so every cell that may
be empty is sent as NULL instead (`blank_as_null`), which both write as nothing.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from itertools import islice

from sqlalchemy import Connection, Select, String, case, func, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

ROWS_PER_CHUNK = 2000
#: COPY hands over one row per block; a response chunk gathers many, since a WSGI server
#: writes (and the client reads) each chunk separately.
COPY_CHUNK_BYTES = 64 * 1024
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


def blank_as_null(cell: ColumnElement) -> ColumnElement:
    return func.nullif(cell, "")


def csv_chunks(header: tuple[str, ...], rows: Iterable[tuple]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    source = iter(rows)
    while True:
        start = buffer.tell()
        chunk = list(islice(source, ROWS_PER_CHUNK))
        writer.writerows(chunk)
        text = buffer.getvalue()
        if "\r" in text:
            # Python 3.11's writer leaves a carriage return in a cell unquoted, which splits
            # the row for a CSV reader; COPY quotes it. Rare, so only such a chunk is written
            # again, row by row, quoted as COPY quotes it.
            buffer.seek(start)
            buffer.truncate()
            buffer.writelines(_quoting_carriage_returns(chunk))
            text = buffer.getvalue()
        yield text
        buffer.seek(0)
        buffer.truncate()
        if len(chunk) < ROWS_PER_CHUNK:
            return


def _quoting_carriage_returns(rows: list[tuple]) -> Iterator[str]:
    # A writer whose line end holds "\r" quotes every cell with one; each row's own "\r\n"
    # is then put back to "\n".
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow(row)
        yield buffer.getvalue()[:-2] + "\n"
        buffer.seek(0)
        buffer.truncate()


def copy_chunks(connection: Connection, statement: Select) -> Iterator[bytes]:
    """The statement's rows as CSV with a header of its column labels, written by PostgreSQL
    (`COPY (SELECT …) TO STDOUT`) and read through psycopg's copy in blocks of about
    COPY_CHUNK_BYTES. Leaving early (the client went away) cancels the COPY."""
    compiled = statement.compile(dialect=connection.dialect,
                                 compile_kwargs={"render_postcompile": True})
    # COPY takes no server-side parameters: psycopg merges them into the text, quoted.
    sql = f"COPY ({compiled.string}) TO STDOUT WITH (FORMAT csv, HEADER)"
    driver = connection.connection.driver_connection
    pending = bytearray()
    # While the copy is open psycopg holds the connection's lock: the last chunk is handed
    # over only once it is closed, so a client that reads one chunk of a small export and
    # never closes the response (a test client, say) leaves the connection usable.
    with driver.cursor() as cursor, cursor.copy(sql, compiled.params) as copy:
        for block in copy:
            pending += block
            if len(pending) >= COPY_CHUNK_BYTES:
                yield bytes(pending)
                pending.clear()
    if pending:
        yield bytes(pending)
