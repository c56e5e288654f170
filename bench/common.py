"""Shared benchmark helpers: a throw-away PostgreSQL database, the app and a bare-Flask
baseline served by gunicorn on loopback with the same settings, and `wrk` as the load runner.

Benchmarks report throughput as a ratio to the bare-Flask baseline measured on the same
machine in the same run, so numbers from a laptop and a CI runner stay comparable.

Typical use (see bench/certificates.py)::

    from bench import common

    with common.scratch_database() as url:              # created now, dropped at the end
        app = create_app("development", SQLALCHEMY_DATABASE_URI=url, ...)
        with app.app_context():
            flask_migrate.upgrade()                       # then seed with the services
        env = common.app_env(url, instance_dir)
        with common.gunicorn("wsgi:app", env) as base:    # base = "http://127.0.0.1:PORT"
            app_result = common.run_wrk(f"{base}/api/v1/...")
        with common.gunicorn(common.BASELINE_APP) as base:
            baseline = common.run_wrk(f"{base}/")
        ratio = app_result.requests_per_second / baseline.requests_per_second
        common.print_table(["endpoint", "req/s"], [...])
        common.write_results("certificates", {...})

Requires the Debian package `wrk` and a PostgreSQL server (BENCH_DATABASE_URL, default
postgresql://postgres@127.0.0.1:5432/postgres; the bench creates and drops its own database).
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterator

import psycopg
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
VENV_BIN = Path(sys.executable).parent
DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
BASELINE_APP = "bench.baseline:app"

# One setting for the app and the baseline, so their ratio measures the app, not gunicorn.
GUNICORN_WORKERS = int(os.environ.get("BENCH_WORKERS", os.cpu_count() or 2))
GUNICORN_THREADS = int(os.environ.get("BENCH_THREADS", 4))
WRK_DURATION = int(os.environ.get("BENCH_DURATION", 10))
WRK_CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", 16))
WRK_THREADS = int(os.environ.get("BENCH_WRK_THREADS", 2))
WARMUP_SECONDS = int(os.environ.get("BENCH_WARMUP", 3))


def free_port() -> int:
    """A TCP port free on loopback right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _admin_dsn(url: str) -> str:
    return psycopg_dsn(make_url(url).set(database="postgres").render_as_string(
        hide_password=False))


def psycopg_dsn(url: str) -> str:
    """A SQLAlchemy URL (postgresql+psycopg://...) as a DSN psycopg itself accepts."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@contextlib.contextmanager
def scratch_database(admin_url: str | None = None, prefix: str = "alur_bench") -> Iterator[str]:
    """Create an empty PostgreSQL database for one run and drop it afterwards.

    Yields its SQLAlchemy URL (postgresql+psycopg://...), ready for DATABASE_URL or
    SQLALCHEMY_DATABASE_URI. `admin_url` defaults to BENCH_DATABASE_URL."""
    admin = admin_url or os.environ.get("BENCH_DATABASE_URL") or DEFAULT_ADMIN_URL
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(_admin_dsn(admin), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = make_url(admin).set(drivername="postgresql+psycopg", database=name)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with psycopg.connect(_admin_dsn(admin), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def app_env(database_url: str, instance_dir: str | os.PathLike[str], **extra: str) -> dict:
    """Environment for an app process: this database, this instance folder, no debug."""
    env = dict(os.environ)
    env.update({
        "ALUR_ENV": "development",
        "DATABASE_URL": database_url,
        "ALUR_INSTANCE_DIR": str(instance_dir),
        "HUEY_IMMEDIATE": "0",
        "PYTHONUNBUFFERED": "1",
    })
    env.update(extra)
    return env


def _wait_until_up(url: str, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode} before serving")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # any HTTP answer means the server is up
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer {url} within {timeout:.0f} s")


@contextlib.contextmanager
def gunicorn(app_spec: str, env: dict | None = None, *, workers: int | None = None,
             threads: int | None = None, ready_path: str = "/",
             startup_timeout: float = 60, warmup_s: int = WARMUP_SECONDS) -> Iterator[str]:
    """Serve `app_spec` ("module:app") with gunicorn on a free loopback port; yields the base
    URL and stops the server (SIGTERM, then SIGKILL) on exit. Same defaults for every app:
    BENCH_WORKERS workers (CPU count) of the gthread class with BENCH_THREADS threads.

    The server is first loaded for `warmup_s` seconds on `ready_path`: a fresh server runs far
    below its steady rate at first (seen here: the bare baseline at 2.5k req/s in its first
    4 s, 6-7k after), and a ratio must compare steady states."""
    port = free_port()
    command = [
        str(VENV_BIN / "gunicorn"), app_spec,
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers or GUNICORN_WORKERS),
        "--worker-class", "gthread", "--threads", str(threads or GUNICORN_THREADS),
        "--keep-alive", "5", "--log-level", "warning", "--timeout", "60",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env or dict(os.environ),
                               start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base + ready_path, process, startup_timeout)
        if warmup_s:
            run_wrk(base + ready_path, duration=warmup_s)
        yield base
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@dataclass
class WrkResult:
    url: str
    requests_per_second: float
    requests: int
    latency_ms: dict[str, float] = field(default_factory=dict)  # "p50", "p75", "p90", "p99"
    non_2xx_3xx: int = 0
    socket_errors: int = 0
    duration_s: int = 0
    connections: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _to_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not match:
        raise ValueError(f"unreadable wrk duration {text!r}")
    return float(match.group(1)) * _UNITS_MS[match.group(2)]


def parse_wrk(output: str, url: str = "", duration: int = 0, connections: int = 0) -> WrkResult:
    """Requests/s, total requests, latency percentiles (from --latency), errors."""
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in", output)
    if not rps or not total:
        raise ValueError(f"unreadable wrk output:\n{output}")
    latency = {f"p{p}": _to_ms(v) for p, v in re.findall(r"^\s+(\d+)%\s+([\d.]+\w+)\s*$",
                                                          output, flags=re.M)}
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                       output)
    return WrkResult(url=url, requests_per_second=float(rps.group(1)),
                     requests=int(total.group(1)), latency_ms=latency,
                     non_2xx_3xx=int(non_2xx.group(1)) if non_2xx else 0,
                     socket_errors=sum(map(int, errors.groups())) if errors else 0,
                     duration_s=duration, connections=connections)


def run_wrk(url: str, duration: int | None = None, connections: int | None = None,
            threads: int | None = None, timeout_s: int = 5, script: str | None = None,
            label: str | None = None) -> WrkResult:
    """Load `url` with wrk for a bounded time (BENCH_DURATION s, BENCH_CONNECTIONS
    connections by default) and return the parsed result. A Lua `script` may write the
    requests (bodies, headers, paths rotating over rows or sessions); `label` then names the
    result in place of `url`. Raises if wrk is missing."""
    binary = shutil.which("wrk")
    if binary is None:
        raise RuntimeError("wrk is not installed (Debian package `wrk`)")
    duration = duration or WRK_DURATION
    connections = connections or WRK_CONNECTIONS
    threads = min(threads or WRK_THREADS, connections)
    command = [binary, "--latency", f"-t{threads}", f"-c{connections}", f"-d{duration}s",
               f"--timeout={timeout_s}s", url]
    with contextlib.ExitStack() as cleanup:
        if script is not None:
            handle = cleanup.enter_context(
                tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False))
            cleanup.callback(os.unlink, handle.name)
            handle.write(script)
            handle.close()
            command[-1:-1] = ["-s", handle.name]
        completed = subprocess.run(command, check=True, capture_output=True, text=True,
                                   timeout=duration + 30)
    return parse_wrk(completed.stdout, label or url, duration, connections)


def run_lua(base: str, script: str, duration: int | None = None,
            connections: int | None = None, threads: int | None = None,
            path: str = "") -> WrkResult:
    """`run_wrk` with a Lua `script`; `path` only labels the result."""
    return run_wrk(base, duration, connections, threads, script=script, label=base + path)


def print_table(headers: list[str], rows: list[list[object]]) -> None:
    """A plain aligned table on stdout."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    for index, row in enumerate(cells):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)))
        if index == 0:
            print("  ".join("-" * width for width in widths))


def write_results(name: str, data: dict) -> Path:
    """Write `bench/results/<name>.json` (atomically) and return its path."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, indent=2, default=str) + "\n")
    tmp.replace(path)
    return path
