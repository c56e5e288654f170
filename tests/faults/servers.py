"""Real servers for the fault tests, each started on a free loopback port and always stopped:
the app under gunicorn, a throw-away PostgreSQL cluster and a throw-away Redis.

    with gunicorn_app(app_env(url, tmp_path)) as app:  # app.url, app.worker_pids()
    with postgres_cluster() as pg:            # pg.url (postgresql://...), pg.restart()
    with redis_server() as redis:             # redis.url, .stop(), .start(), .freeze()

The shared PostgreSQL on 5432 and Redis on 6379 are never touched: other suites run on them.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import redis

from tests.faults.gunicorn_hooks import READY_DIR
from tests.integration.conftest import _free_port

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")
STARTUP_SECONDS = 60.0


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout} s")
        time.sleep(0.05)


def _answers(url: str, process: subprocess.Popen) -> bool:
    if process.poll() is not None:
        raise RuntimeError(f"the server exited with {process.returncode} before answering")
    try:
        urllib.request.urlopen(url, timeout=2).close()
    except urllib.error.HTTPError:
        pass  # any HTTP answer: it serves
    except OSError:
        return False
    return True


def _stop_group(process: subprocess.Popen, timeout: float = 15) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def app_env(database_url: str, folder: Path, **extra: str) -> dict[str, str]:
    """The environment of an app process: the testing configuration on this database, with
    its instance folder (job queue, media) under `folder`."""
    return {"ALUR_ENV": "testing", "DATABASE_URL": database_url,
            "ALUR_INSTANCE_DIR": str(folder / "instance"), "PYTHONUNBUFFERED": "1", **extra}


@dataclass
class GunicornApp:
    url: str
    master: subprocess.Popen
    ready: Path  # a file per worker that has loaded the app (gunicorn_hooks)

    def worker_pids(self) -> set[int]:
        """The master's current workers (it forks a new one for each that dies)."""
        children = Path(f"/proc/{self.master.pid}/task/{self.master.pid}/children")
        return {int(pid) for pid in children.read_text().split()}

    def serving_pids(self) -> set[int]:
        return {pid for pid in self.worker_pids() if (self.ready / str(pid)).exists()}

    def wait_for_workers(self, count: int, without: set[int] = frozenset(),
                         timeout: float = STARTUP_SECONDS) -> set[int]:
        """Wait until `count` workers serve and none of them is in `without` (killed ones)."""
        def back() -> bool:
            pids = self.serving_pids()
            return len(pids) == count and not pids & without
        wait_until(back, timeout, f"{count} gunicorn workers serving")
        return self.serving_pids()


@contextmanager
def gunicorn_app(env: dict[str, str], workers: int = 2, threads: int = 2,
                 ready_path: str = "/login") -> Iterator[GunicornApp]:
    """`wsgi:app` under gunicorn (gthread workers), with `env` added to this environment;
    yielded once every worker serves."""
    port = _free_port()
    ready = Path(tempfile.mkdtemp(prefix="alur-faults-workers-"))
    command = [str(VENV_BIN / "gunicorn"), "wsgi:app", "--bind", f"127.0.0.1:{port}",
               "--config", "python:tests.faults.gunicorn_hooks",
               "--workers", str(workers), "--worker-class", "gthread",
               "--threads", str(threads), "--log-level", "warning", "--timeout", "60"]
    master = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env, READY_DIR: str(ready)},
                              start_new_session=True)
    server = GunicornApp(url=f"http://127.0.0.1:{port}", master=master, ready=ready)
    try:
        wait_until(lambda: _answers(server.url + ready_path, master), STARTUP_SECONDS,
                   "gunicorn answers")
        server.wait_for_workers(workers)
        yield server
    finally:
        _stop_group(master)
        shutil.rmtree(ready, ignore_errors=True)


def _as_postgres(*command: str) -> subprocess.CompletedProcess:
    # initdb and the server refuse to run as root.
    return subprocess.run(["runuser", "-u", "postgres", "--", *command], check=True,
                          capture_output=True, text=True, timeout=STARTUP_SECONDS)


@dataclass
class PostgresCluster:
    data: Path
    port: int
    log: Path
    url: str = field(init=False)

    def __post_init__(self) -> None:
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _pg_ctl(self, action: str, *options: str) -> None:
        _as_postgres(str(PG_BIN / "pg_ctl"), action, "-D", str(self.data), "-l", str(self.log),
                     "-w", "-t", "30", *options)

    def start(self) -> None:
        self._pg_ctl("start", "-o", f"-p {self.port} -c listen_addresses=127.0.0.1 "
                                    f"-k {self.data} -c fsync=off")

    def stop(self, mode: str = "fast") -> None:
        self._pg_ctl("stop", "-m", mode)

    def restart(self) -> None:
        """`pg_ctl restart -m fast`: running transactions are cut, every connection dropped."""
        self._pg_ctl("restart", "-m", "fast")


@contextmanager
def postgres_cluster() -> Iterator[PostgresCluster]:
    """A new PostgreSQL cluster (trust authentication, loopback only) in a folder of its own:
    not under pytest's, which only root may enter."""
    home = Path(tempfile.mkdtemp(prefix="alur-faults-pg-"))
    shutil.chown(home, "postgres", "postgres")
    cluster = PostgresCluster(data=home / "data", port=_free_port(), log=home / "server.log")
    _as_postgres(str(PG_BIN / "initdb"), "-D", str(cluster.data), "-A", "trust",
                 "-U", "postgres", "-N", "-E", "UTF8", "--locale=C.UTF-8")
    try:
        cluster.start()
        yield cluster
    finally:
        subprocess.run(["runuser", "-u", "postgres", "--", str(PG_BIN / "pg_ctl"), "stop",
                        "-D", str(cluster.data), "-m", "immediate", "-w"],
                       capture_output=True, timeout=STARTUP_SECONDS)
        shutil.rmtree(home, ignore_errors=True)


@dataclass
class RedisServer:
    port: int
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """A fresh, empty server on the same port (nothing is saved: like a restart that lost
        its data, the harder case for jobs)."""
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"], stdout=subprocess.DEVNULL, start_new_session=True)
        wait_until(self._answers, STARTUP_SECONDS, "redis answers")

    def _answers(self) -> bool:
        if self.process is None or self.process.poll() is not None:
            raise RuntimeError("redis-server exited before answering")
        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)
        try:
            return bool(client.ping())
        except redis.ConnectionError:
            return False
        finally:
            client.close()

    def freeze(self) -> None:
        """SIGSTOP: connections are still accepted (by the kernel) and never answered, as a
        stuck server or a network partition looks to a client."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def stop(self) -> None:
        """Kill it outright (SIGKILL, which also ends a frozen one): no goodbye to clients."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@contextmanager
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer(port=_free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()
