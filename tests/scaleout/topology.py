"""The production topology as processes on this machine: a Redis server of its own, app
instances under gunicorn and job workers, each with an instance folder of its own, so nothing
but PostgreSQL, Redis and S3 can carry state between them (as on separate machines)."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import redis
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from bench.common import free_port

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
STARTUP_SECONDS = 60
# The flask worker's own options; a production worker runs more threads.
WORKER_THREADS = 2


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log: Path
    base_url: str = ""

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""

    def stop(self) -> None:
        """SIGTERM to its process group (gunicorn's and the worker's children go too), then
        SIGKILL if it lingers."""
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait()


@dataclass
class Topology:
    folder: Path
    environment: dict[str, str]
    processes: list[Process] = field(default_factory=list)

    def start(self, name: str, command: list[str], base_url: str = "") -> Process:
        instance = self.folder / name
        instance.mkdir()
        log = self.folder / f"{name}.log"
        env = {**self.environment, "ALUR_INSTANCE_DIR": str(instance)}
        with log.open("wb") as out:
            popen = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        process = Process(name, popen, log, base_url)
        self.processes.append(process)
        return process

    def app_instance(self, name: str) -> Process:
        port = free_port()
        return self.start(name, [str(BIN / "gunicorn"), "wsgi:app", "--bind",
                                 f"127.0.0.1:{port}", "--workers", "1", "--worker-class",
                                 "gthread", "--threads", "4", "--log-level", "warning"],
                          base_url=f"http://127.0.0.1:{port}")

    def worker(self, name: str) -> Process:
        return self.start(name, [str(BIN / "flask"), "--app", "wsgi", "worker", "--workers",
                                 str(WORKER_THREADS)])

    def wait_until_serving(self, process: Process) -> None:
        wait_for(lambda: _answers(process), f"{process.name} to serve", process)

    def logs(self) -> str:
        return "\n".join(f"--- {p.name} (exit {p.popen.poll()}):\n{p.output()}"
                         for p in self.processes)

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.stop()


def _answers(process: Process) -> bool:
    try:
        return requests.get(process.base_url + "/healthz", timeout=5).status_code == 200
    except (requests.ConnectionError, requests.Timeout):  # bound, still importing the app
        return False


def wait_for(predicate: Callable[[], object], what: str, process: Process | None = None,
             timeout: float = STARTUP_SECONDS) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        if process is not None and process.popen.poll() is not None:
            raise AssertionError(f"{process.name} exited while waiting for {what}:\n"
                                 f"{process.output()}")
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@contextmanager
def redis_server() -> Iterator[str]:
    """A Redis of this test's own on a free port, in memory only: nothing to flush, nothing
    shared with the suite's Redis databases."""
    port = free_port()
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                               "--save", "", "--appendonly", "no"],
                              stdout=subprocess.DEVNULL, start_new_session=True)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        client = redis.Redis.from_url(url)
        wait_for(lambda: _pings(client), "redis-server to answer")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=15)


def _pings(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.ConnectionError:
        return False


def signing_key_pem() -> str:
    """Every process signs credentials with the same key, from the environment, as separate
    machines would (a key file in one instance folder would be that machine's alone)."""
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()).decode()


@contextmanager
def topology(environment: dict[str, str]) -> Iterator[Topology]:
    with tempfile.TemporaryDirectory(prefix="alur-scaleout-") as folder:
        running = Topology(Path(folder), environment)
        try:
            yield running
        finally:
            running.stop()


CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def csrf_token(page: str) -> str:
    match = CSRF_META.search(page)
    assert match, "no CSRF token on the page"
    return match.group(1)
