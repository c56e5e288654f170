"""The floor for the pacing hot paths: the fastest way *any* Flask endpoint does a heartbeat's
database work on this machine, per backend, as a ratio to the same bare-Flask baseline.

Run from the repository root:  python -m bench.ceiling [--duration 5] [--rounds 3]

Serves bench.ceiling_app (bare Flask + the raw driver, no Alur code; its docstring lists the
designs) and the baseline with the same gunicorn settings as every benchmark, loads each with
wrk (POSTs with a heartbeat-sized JSON body, rotating over 1000 rows) and reports the median
of interleaved rounds; the floor of a backend is its fastest heartbeat-shaped endpoint.
bench.heartbeat serves the same app in its own run, so the app's ratio to the floor compares
numbers measured side by side. Writes bench/results/ceiling.json. Needs PostgreSQL
(BENCH_DATABASE_URL) and the Debian package wrk.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import platform
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import psycopg

from bench import common

ROWS = 1000
POST_LUA = """
local n = 0
function request()
  n = n + 1
  local body = string.format('{"position": %%d, "playing": true, "rate": 1, "seq": %%d}',
                             n %% 3600, n)
  return wrk.format("POST", "%(path)s" .. %(suffix)s, {["Content-Type"] = "application/json"},
                    body)
end
"""
ROW = f"(n % {ROWS} + 1)"


@dataclass(frozen=True)
class Endpoint:
    path: str
    suffix: str  # Lua expression appended to the path (the row id), or '""'
    label: str
    backend: str | None = None  # the heartbeat-shaped ones: the backend whose floor they are


ENDPOINTS = {
    "json": Endpoint("/json", '""', "bare Flask + JSON body, no database"),
    "select": Endpoint("/select", '""', "+ one SELECT 1 round trip (raw psycopg)"),
    "write": Endpoint("/write/", ROW, "heartbeat work in 5 round trips (raw psycopg)",
                      "postgresql"),
    "pipeline": Endpoint("/pipeline/", ROW, "heartbeat work in 2 round trips (pipeline mode)",
                         "postgresql"),
    "statement": Endpoint("/statement/", ROW,
                          "heartbeat work in 1 statement (CTEs, autocommit; rules in SQL)",
                          "postgresql"),
    "sqlite": Endpoint("/sqlite/write/", ROW,
                       "heartbeat work on SQLite (WAL, synchronous=NORMAL, BEGIN IMMEDIATE)",
                       "sqlite"),
}
SCHEMA = (
    "CREATE TABLE ceiling_progress (id int PRIMARY KEY, frontier double precision NOT NULL)",
    "CREATE TABLE ceiling_evidence (id {serial} PRIMARY KEY, "
    "progress_id int NOT NULL REFERENCES ceiling_progress (id), seq bigint, "
    "frontier double precision, at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP)",
)


def _prepare_postgresql(url: str) -> str:
    dsn = common.psycopg_dsn(url)
    with psycopg.connect(dsn, autocommit=True) as connection:
        for statement in SCHEMA:
            connection.execute(statement.format(serial="bigserial"))
        connection.execute("INSERT INTO ceiling_progress "
                           "SELECT g, 0 FROM generate_series(1, %s) AS g", (ROWS,))
    return dsn


def _prepare_sqlite(path: Path) -> None:
    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
        for statement in SCHEMA:
            connection.execute(statement.format(serial="integer"))
        connection.executemany("INSERT INTO ceiling_progress VALUES (?, 0)",
                               [(n,) for n in range(1, ROWS + 1)])
        connection.commit()


@contextlib.contextmanager
def floor_server(url: str) -> Iterator[str]:
    """bench.ceiling_app under gunicorn, its PostgreSQL tables in the database at `url` and its
    SQLite tables in a scratch file; yields the base URL."""
    with tempfile.TemporaryDirectory(prefix="alur-ceiling-") as folder:
        sqlite_path = Path(folder) / "ceiling.sqlite3"
        _prepare_sqlite(sqlite_path)
        env = dict(os.environ, CEILING_DSN=_prepare_postgresql(url),
                   CEILING_SQLITE=str(sqlite_path))
        with common.gunicorn("bench.ceiling_app:app", env, ready_path="/json") as base:
            yield base


def post(base: str, key: str, duration: int, connections: int) -> common.WrkResult:
    endpoint = ENDPOINTS[key]
    return common.run_lua(base, POST_LUA % {"path": endpoint.path, "suffix": endpoint.suffix},
                          duration, connections, path=endpoint.path)


def floor_of(backend: str, results: dict[str, common.WrkResult]) -> tuple[str, common.WrkResult]:
    """The fastest heartbeat-shaped endpoint of `backend` among `results`."""
    candidates = [(key, results[key]) for key, endpoint in ENDPOINTS.items()
                  if endpoint.backend == backend and key in results]
    return max(candidates, key=lambda pair: pair[1].requests_per_second)


def median(results: list[common.WrkResult]) -> common.WrkResult:
    """The round with the median throughput (its latencies stay those of one real run)."""
    return sorted(results, key=lambda r: r.requests_per_second)[len(results) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=common.WRK_CONNECTIONS)
    args = parser.parse_args()
    runs: dict[str, list] = {}
    with common.scratch_database(prefix="alur_ceiling") as url, floor_server(url) as app_base, \
            common.gunicorn(common.BASELINE_APP) as bare_base:
        for _ in range(args.rounds):
            runs.setdefault("baseline", []).append(
                common.run_wrk(bare_base + "/", duration=args.duration,
                               connections=args.connections))
            for key in ENDPOINTS:
                runs.setdefault(key, []).append(
                    post(app_base, key, args.duration, args.connections))
    chosen = {key: median(results) for key, results in runs.items()}
    baseline = chosen["baseline"].requests_per_second
    floors = {backend: floor_of(backend, chosen)[0] for backend in ("postgresql", "sqlite")}
    rows = [[endpoint.label + (" <- floor" if key in floors.values() else ""),
             round(chosen[key].requests_per_second), chosen[key].latency_ms.get("p50"),
             chosen[key].latency_ms.get("p99"),
             round(chosen[key].requests_per_second / baseline, 2)]
            for key, endpoint in ENDPOINTS.items()]
    rows.append(["bare Flask GET / (baseline)", round(baseline),
                 chosen["baseline"].latency_ms.get("p50"),
                 chosen["baseline"].latency_ms.get("p99"), 1.0])
    common.print_table(["endpoint", "req/s", "p50 ms", "p99 ms", "x baseline"], rows)
    common.write_results("ceiling", {
        "command": "python -m bench.ceiling",
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "gunicorn": {"workers": common.GUNICORN_WORKERS, "threads": common.GUNICORN_THREADS},
        "rounds": args.rounds, "duration_s": args.duration, "floor": floors,
        "results": {key: {**r.as_dict(), "ratio": round(r.requests_per_second / baseline, 3),
                          "rounds_rps": [round(x.requests_per_second) for x in runs[key]]}
                    for key, r in chosen.items()},
    })


if __name__ == "__main__":
    main()
