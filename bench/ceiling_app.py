"""What any endpoint that talks to PostgreSQL can reach on this machine: bare Flask plus raw
psycopg, no Alur code. Served by bench.ceiling under the same gunicorn set-up as the baseline.

- `POST /json`: parse a heartbeat-sized JSON body and answer JSON (no database);
- `POST /select`: the same plus one `SELECT 1` round trip;
- `POST /write/<id>`: the same plus the shape of a heartbeat's database work: lock one row
  (FOR NO KEY UPDATE), insert one evidence row, update the locked row, commit.

One connection per gunicorn thread, kept open: no pool, no ORM, no Alur request hooks.
"""
from __future__ import annotations

import os
import threading

import psycopg
from flask import Flask, jsonify, request

app = Flask(__name__)
_connections = threading.local()


def _connection() -> psycopg.Connection:
    connection = getattr(_connections, "db", None)
    if connection is None:
        connection = _connections.db = psycopg.connect(os.environ["CEILING_DSN"])
    return connection


def _body() -> dict:
    body = request.get_json(force=True, silent=True)
    return body if isinstance(body, dict) else {}


@app.post("/json")
def parse_only():
    return jsonify(seq=_body().get("seq"))


@app.post("/select")
def one_select():
    body = _body()
    connection = _connection()
    value = connection.execute("SELECT 1").fetchone()[0]
    connection.rollback()
    return jsonify(seq=body.get("seq"), value=value)


@app.post("/write/<int:row_id>")
def heartbeat_shape(row_id: int):
    body = _body()
    connection = _connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT frontier FROM ceiling_progress WHERE id = %s FOR NO KEY UPDATE",
                       (row_id,))
        frontier = cursor.fetchone()[0]
        cursor.execute("INSERT INTO ceiling_evidence (progress_id, seq, frontier) "
                       "VALUES (%s, %s, %s)", (row_id, body.get("seq"), frontier))
        cursor.execute("UPDATE ceiling_progress SET frontier = frontier + 1 WHERE id = %s",
                       (row_id,))
    connection.commit()
    return jsonify(seq=body.get("seq"), frontier=frontier + 1)
