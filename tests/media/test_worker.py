"""The transcode runs in a real worker on the real queue: a job queued while no worker runs is
done by a worker process started later (`flask --app wsgi worker`, SQLite queue file), the same
worker code runs on Redis, and a job whose worker process is killed mid-transcode is finished
by the next worker."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import pytest
import redis

from lms.clock import utcnow
from lms.extensions import db, init_task_queue, task_queue
from lms.media import processing, services
from lms.media.models import AssetStatus, VideoAsset
from tests import factories_video
from tests.media.worker_support import consumer_thread

ROOT = Path(__file__).resolve().parents[2]
# A Redis database of its own (the suite flushes it); the two backends' runs of `make test` run at
# once, each with its own (scripts/test.sh sets TEST_REDIS_URL_WORKER).
REDIS_URL = os.environ.get("TEST_REDIS_URL_WORKER", "redis://127.0.0.1:6379/9")


@pytest.fixture
def queued_app(app, tmp_path):
    """The test app with a real queue: jobs wait in it for a worker instead of running."""
    app.config.update(HUEY_IMMEDIATE=False, MEDIA_TMP_DIR=str(tmp_path / "work"))
    init_task_queue(app)
    yield app
    task_queue.flush()


@pytest.fixture
def redis_app(queued_app):
    redis.Redis.from_url(REDIS_URL).ping()
    queued_app.config["REDIS_URL"] = REDIS_URL
    init_task_queue(queued_app)
    task_queue.flush()
    yield queued_app
    task_queue.flush()


def start_worker(app) -> subprocess.Popen:
    env = {**os.environ, "ALUR_ENV": "development", "HUEY_IMMEDIATE": "0",
           "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "MEDIA_ROOT": app.config["MEDIA_ROOT"], "MEDIA_TMP_DIR": app.config["MEDIA_TMP_DIR"],
           "HUEY_SQLITE_PATH": app.config["HUEY_SQLITE_PATH"],
           "REDIS_URL": app.config.get("REDIS_URL") or ""}
    env.pop("TEST_DATABASE_URL", None)
    # A session of its own, so ending it also ends the ffmpeg it may be running.
    log = tempfile.TemporaryFile()  # a pipe nobody reads could fill up and stall the worker
    worker = subprocess.Popen([str(Path(sys.executable).parent / "flask"), "--app", "wsgi",
                               "worker", "--workers", "1"], cwd=ROOT, env=env,
                              stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    worker.log = log  # type: ignore[attr-defined]
    return worker


def stop_worker(worker: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, sig)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()


def wait_for(asset_id: int, predicate, worker: subprocess.Popen | None = None,
             timeout: float = 120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.commit()  # a fresh snapshot each time
        asset = db.session.get(VideoAsset, asset_id)
        if predicate(asset):
            return asset
        if worker is not None and worker.poll() is not None:
            worker.log.seek(0)  # type: ignore[attr-defined]
            raise AssertionError(f"the worker exited: {worker.log.read().decode()[-2000:]}")
        time.sleep(0.1)
    raise AssertionError(f"timed out; asset is {asset.status} {asset.progress_percent}%")


def upload(world, path) -> int:
    with path.open("rb") as handle:
        asset = services.receive_upload(world.staff, world.module, path.name, handle)
    db.session.commit()  # queues the job: no worker runs yet
    return asset.id


def test_a_job_queued_while_no_worker_runs_is_done_by_a_worker_started_later(
        queued_app, world, clips):
    asset_id = upload(world, clips["good"])
    time.sleep(0.5)
    db.session.commit()
    assert db.session.get(VideoAsset, asset_id).status == AssetStatus.UPLOADED
    assert len(task_queue) == 1
    worker = start_worker(queued_app)
    try:
        asset = wait_for(asset_id, lambda a: a.status == AssetStatus.READY, worker)
    finally:
        stop_worker(worker)
    assert [r.name for r in asset.renditions] == ["240p"] and len(task_queue) == 0


def test_the_same_worker_code_runs_on_redis(redis_app, world, clips):
    asset_id = upload(world, clips["good"])
    assert len(task_queue) == 1
    with consumer_thread():
        asset = wait_for(asset_id, lambda a: a.status == AssetStatus.READY)
    assert [r.name for r in asset.renditions] == ["240p"] and len(task_queue) == 0


def test_a_job_whose_worker_was_killed_mid_transcode_is_finished_by_the_next(
        queued_app, world, tmp_path):
    source = factories_video.clip(tmp_path / "long.mp4", 640, 360, seconds=12.0, fps=10)
    asset_id = upload(world, source)
    first = start_worker(queued_app)
    try:
        wait_for(asset_id, lambda a: a.status == AssetStatus.PROCESSING, first)
    finally:
        stop_worker(first, signal.SIGKILL)  # no chance to clean up or report
    db.session.commit()
    assert db.session.get(VideoAsset, asset_id).status == AssetStatus.PROCESSING

    requeued = processing.requeue_stalled(utcnow() + timedelta(minutes=21))
    db.session.commit()  # queues the job again
    assert requeued == [asset_id]
    with consumer_thread():
        asset = wait_for(asset_id, lambda a: a.status == AssetStatus.READY, timeout=180)
    assert asset.attempts == 2
    assert [r.name for r in asset.renditions] == ["360p", "240p"]
