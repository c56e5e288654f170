"""gunicorn settings of the fault tests (`--config python:tests.faults.gunicorn_hooks`): each
worker leaves a file named after its pid once it has loaded the app and serves, so a test
kills a worker only while another one answers (a worker that has just been forked is still
importing the app for seconds on a loaded machine)."""
from __future__ import annotations

import os
from pathlib import Path

READY_DIR = "ALUR_FAULTS_READY_DIR"


def post_worker_init(worker) -> None:
    Path(os.environ[READY_DIR], str(worker.pid)).touch()
