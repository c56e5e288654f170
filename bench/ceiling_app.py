"""What any endpoint doing a heartbeat's database work can reach on this machine: bare Flask
plus the raw driver, no ORM and no Alur code. Served by bench.ceiling (and next to the app by
bench.heartbeat) under the same gunicorn set-up as the baseline.

A heartbeat's work, with a heartbeat's guarantees: lock the learner's progress row, so the
rules see the state the previous heartbeat left; append one evidence row; update the progress
row; commit before answering, so an acknowledged heartbeat survives a killed process. Each
endpoint does exactly that, in a different number of round trips:

- `POST /json`: parse a heartbeat-sized JSON body and answer JSON (no database);
- `POST /select`: the same plus one `SELECT 1` round trip;
- `POST /write/<id>`: five round trips (BEGIN, locking read, insert, update, COMMIT);
- `POST /pipeline/<id>`: psycopg's pipeline mode, two round trips (BEGIN with the locking
  read, then insert, update and COMMIT);
- `POST /statement/<id>`: one statement in autocommit, the locking read, the insert and the
  update as CTEs: one round trip, but the decision has to be SQL (no Python rules in between);
- `POST /sqlite/write/<id>`: SQLite in WAL mode with `synchronous=NORMAL` (durable against a
  killed process: the WAL is written before COMMIT returns, only not fsynced), BEGIN IMMEDIATE,
  the same read, insert, update and commit.

One connection per gunicorn thread, kept open: no pool, no ORM, no Alur request hooks.
"""
from __future__ import annotations

import os
import sqlite3
import threading

import psycopg
from flask import Flask, jsonify, request

app = Flask(__name__)
_connections = threading.local()

LOCK = "SELECT frontier FROM ceiling_progress WHERE id = %s FOR NO KEY UPDATE"
INSERT = "INSERT INTO ceiling_evidence (progress_id, seq, frontier) VALUES (%s, %s, %s)"
UPDATE = "UPDATE ceiling_progress SET frontier = frontier + 1 WHERE id = %s"
ONE_STATEMENT = """
WITH locked AS (SELECT id, frontier FROM ceiling_progress WHERE id = %(id)s FOR NO KEY UPDATE),
     evidence AS (INSERT INTO ceiling_evidence (progress_id, seq, frontier)
                  SELECT id, %(seq)s, frontier FROM locked)
UPDATE ceiling_progress SET frontier = locked.frontier + 1 FROM locked
WHERE ceiling_progress.id = locked.id RETURNING ceiling_progress.frontier
"""


def _postgresql() -> psycopg.Connection:
    connection = getattr(_connections, "db", None)
    if connection is None:
        connection = _connections.db = psycopg.connect(os.environ["CEILING_DSN"])
    return connection


def _autocommit() -> psycopg.Connection:
    connection = getattr(_connections, "autocommit", None)
    if connection is None:
        connection = _connections.autocommit = psycopg.connect(os.environ["CEILING_DSN"],
                                                               autocommit=True)
    return connection


def _sqlite() -> sqlite3.Connection:
    connection = getattr(_connections, "sqlite", None)
    if connection is None:
        connection = sqlite3.connect(os.environ["CEILING_SQLITE"], isolation_level=None,
                                     check_same_thread=False)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute("PRAGMA busy_timeout=10000")
        _connections.sqlite = connection
    return connection


def _seq() -> object:
    body = request.get_json(force=True, silent=True)
    return body.get("seq") if isinstance(body, dict) else None


@app.post("/json")
def parse_only():
    return jsonify(seq=_seq())


@app.post("/select")
def one_select():
    seq = _seq()
    connection = _postgresql()
    value = connection.execute("SELECT 1").fetchone()[0]
    connection.rollback()
    return jsonify(seq=seq, value=value)


@app.post("/write/<int:row_id>")
def five_round_trips(row_id: int):
    seq = _seq()
    connection = _postgresql()
    with connection.cursor() as cursor:
        cursor.execute(LOCK, (row_id,))
        frontier = cursor.fetchone()[0]
        cursor.execute(INSERT, (row_id, seq, frontier))
        cursor.execute(UPDATE, (row_id,))
    connection.commit()
    return jsonify(seq=seq, frontier=frontier + 1)


@app.post("/pipeline/<int:row_id>")
def pipelined(row_id: int):
    seq = _seq()
    connection = _postgresql()
    with connection.pipeline(), connection.cursor() as cursor:
        cursor.execute(LOCK, (row_id,))
        frontier = cursor.fetchone()[0]  # BEGIN and the read go in one trip
        cursor.execute(INSERT, (row_id, seq, frontier))
        cursor.execute(UPDATE, (row_id,))
        connection.commit()  # the writes and COMMIT in the second
    return jsonify(seq=seq, frontier=frontier + 1)


@app.post("/statement/<int:row_id>")
def one_statement(row_id: int):
    seq = _seq()
    frontier = _autocommit().execute(ONE_STATEMENT, {"id": row_id, "seq": seq}).fetchone()[0]
    return jsonify(seq=seq, frontier=frontier)


@app.post("/sqlite/write/<int:row_id>")
def sqlite_write(row_id: int):
    seq = _seq()
    connection = _sqlite()
    connection.execute("BEGIN IMMEDIATE")
    try:
        frontier = connection.execute("SELECT frontier FROM ceiling_progress WHERE id = ?",
                                      (row_id,)).fetchone()[0]
        connection.execute("INSERT INTO ceiling_evidence (progress_id, seq, frontier) "
                           "VALUES (?, ?, ?)", (row_id, seq, frontier))
        connection.execute("UPDATE ceiling_progress SET frontier = frontier + 1 WHERE id = ?",
                           (row_id,))
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    return jsonify(seq=seq, frontier=frontier + 1)
