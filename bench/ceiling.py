"""The ceiling for bench.heartbeat's target: how fast can *any* Flask endpoint go on this
machine once it makes PostgreSQL round trips, as a ratio to the same bare-Flask baseline?

Run from the repository root:  python -m bench.ceiling [--duration 5] [--rounds 3]

Serves bench.ceiling_app (bare Flask + raw psycopg, no Alur code) and the baseline with the
same gunicorn settings as every benchmark, loads each with wrk (POSTs with a heartbeat-sized
JSON body, rotating over 1000 rows) and reports the median of interleaved rounds. Writes
bench/results/ceiling.json. Needs PostgreSQL (BENCH_DATABASE_URL) and the Debian package wrk.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import tempfile
from datetime import datetime, timezone

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
ENDPOINTS = {
    "json": ("/json", '""', "bare Flask + JSON body, no database"),
    "select": ("/select", '""', "+ one SELECT 1 round trip (raw psycopg)"),
    "write": ("/write/", f"(n % {ROWS} + 1)",
              "+ lock row, insert evidence, update, commit (raw psycopg)"),
}


def _prepare(url: str) -> str:
    dsn = common.psycopg_dsn(url)
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute("CREATE TABLE ceiling_progress (id int PRIMARY KEY, "
                           "frontier double precision NOT NULL)")
        connection.execute("CREATE TABLE ceiling_evidence (id bigserial PRIMARY KEY, "
                           "progress_id int NOT NULL REFERENCES ceiling_progress (id), "
                           "seq bigint, frontier double precision, "
                           "at timestamptz NOT NULL DEFAULT now())")
        connection.execute("INSERT INTO ceiling_progress "
                           "SELECT g, 0 FROM generate_series(1, %s) AS g", (ROWS,))
    return dsn


def _post(base: str, path: str, suffix: str, duration: int, connections: int):
    binary = shutil.which("wrk")
    if binary is None:
        raise RuntimeError("wrk is not installed (Debian package `wrk`)")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(POST_LUA % {"path": path, "suffix": suffix})
    try:
        threads = min(common.WRK_THREADS, connections)
        output = subprocess.run(
            [binary, "--latency", f"-t{threads}", f"-c{connections}", f"-d{duration}s",
             "--timeout=5s", "-s", handle.name, base],
            check=True, capture_output=True, text=True, timeout=duration + 30).stdout
    finally:
        os.unlink(handle.name)
    return common.parse_wrk(output, base + path, duration, connections)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=common.WRK_CONNECTIONS)
    args = parser.parse_args()
    runs: dict[str, list] = {}
    with common.scratch_database(prefix="alur_ceiling") as url:
        env = dict(os.environ, CEILING_DSN=_prepare(url))
        with common.gunicorn("bench.ceiling_app:app", env, ready_path="/json") as app_base, \
                common.gunicorn(common.BASELINE_APP) as bare_base:
            for _ in range(args.rounds):
                runs.setdefault("baseline", []).append(
                    common.run_wrk(bare_base + "/", duration=args.duration,
                                   connections=args.connections))
                for key, (path, suffix, _label) in ENDPOINTS.items():
                    runs.setdefault(key, []).append(
                        _post(app_base, path, suffix, args.duration, args.connections))
    median = {key: sorted(results, key=lambda r: r.requests_per_second)[len(results) // 2]
              for key, results in runs.items()}
    baseline = median["baseline"].requests_per_second
    rows = [[label, round(median[key].requests_per_second), median[key].latency_ms.get("p50"),
             median[key].latency_ms.get("p99"),
             round(median[key].requests_per_second / baseline, 2)]
            for key, (_p, _s, label) in ENDPOINTS.items()]
    rows.append(["bare Flask GET / (baseline)", round(baseline),
                 median["baseline"].latency_ms.get("p50"),
                 median["baseline"].latency_ms.get("p99"), 1.0])
    common.print_table(["endpoint", "req/s", "p50 ms", "p99 ms", "x baseline"], rows)
    common.write_results("ceiling", {
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "gunicorn": {"workers": common.GUNICORN_WORKERS, "threads": common.GUNICORN_THREADS},
        "rounds": args.rounds, "duration_s": args.duration,
        "results": {key: {**r.as_dict(), "ratio": round(r.requests_per_second / baseline, 3),
                          "rounds_rps": [round(x.requests_per_second) for x in runs[key]]}
                    for key, r in median.items()},
    })


if __name__ == "__main__":
    main()
