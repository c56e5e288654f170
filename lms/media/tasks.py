"""The transcode job on the task queue (Huey on a SQLite file by default, on Redis with
REDIS_URL), and the sweep that requeues jobs a dead worker or a lost queue left behind.

Jobs are queued only after the upload's transaction commits. A job commits in short steps (see
lms.media.processing) and is retried with growing delays; after the last attempt, or at once
for a file that can never work, the asset is `failed` with the reason and its partial output
is removed. Running a job twice is harmless: the second finds nothing to claim.
"""
from __future__ import annotations

import logging
import time

from flask import current_app
from huey import crontab
from sqlalchemy.orm import Session

from lms.extensions import db, task_queue
from lms.media import processing, services
from lms.media.models import VideoAsset
from lms.media.probe import InvalidMedia
from lms.media.storage import NotFound as StorageNotFound, Storage, StorageError, current_storage
from lms.media.transcode import TranscodeFailed
from lms.tasks import app_task

log = logging.getLogger(__name__)

MAX_RETRIES = 3
PROGRESS_INTERVAL_SECONDS = 1.0  # often enough for the page's 2 s polling, rare for the DB


class RetryLater(Exception):
    """This attempt failed in a way another attempt may not."""


@app_task(retries=MAX_RETRIES, context=True)
def transcode_video(asset_id: int, task=None) -> str:
    """Transcode one asset; Huey retries it MAX_RETRIES times on RetryLater."""
    retries_left = task.retries if task is not None else 0
    try:
        return run_transcode(asset_id, final_attempt=retries_left <= 0)
    except RetryLater:
        # Huey reads the delay from the task when it requeues it: 30 s, 60 s, 120 s by default.
        if task is not None:
            task.retry_delay = int(current_app.config["TRANSCODE_RETRY_SECONDS"]) \
                * 2 ** (MAX_RETRIES - retries_left)
        raise


class _ProgressWriter:
    """Stores the job's progress in its own short transactions, at most once a second."""

    def __init__(self, claimed: processing.Claim) -> None:
        self.claimed = claimed
        self.percent = 0
        self.written_at = 0.0

    def __call__(self, fraction: float) -> None:
        percent = int(fraction * 100)
        now = time.monotonic()
        if percent <= self.percent or now - self.written_at < PROGRESS_INTERVAL_SECONDS:
            return
        self.percent, self.written_at = percent, now
        alive = processing.record_progress(self.claimed, percent)
        db.session.commit()
        if not alive:
            raise processing.Cancelled()


def _classify(error: Exception, final_attempt: bool) -> tuple[str, str, bool]:
    """(error code, technical detail, whether this failure is final)."""
    if isinstance(error, InvalidMedia):  # the source itself is unusable: retrying cannot help
        return error.code, error.message, True
    if isinstance(error, StorageNotFound):
        return "source_missing", str(error), True
    if isinstance(error, TranscodeFailed):
        return "transcode_failed", error.message, final_attempt
    if isinstance(error, StorageError) or type(error).__module__.startswith("botocore"):
        return "storage_failed", f"{type(error).__name__}: {error}", final_attempt
    return "internal_error", f"{type(error).__name__}: {error}", final_attempt


def _remove_output_quietly(store: Storage, asset_id: int) -> None:
    try:
        processing.remove_output(store, asset_id)
    except Exception:
        log.exception("could not remove the partial output of video asset %s", asset_id)


def run_transcode(asset_id: int, final_attempt: bool = True) -> str:
    """One attempt at an asset's job: "ready", "failed", "skipped" (nothing to claim) or
    "cancelled" (deleted or superseded meanwhile). Raises RetryLater when the attempt failed
    and another may succeed (the asset is then back in `uploaded`, the reason kept)."""
    claimed = processing.claim(asset_id)
    db.session.commit()
    if claimed is None:
        return "skipped"
    store = current_storage()
    try:
        with services.work_dir() as scratch:
            info, result = processing.produce_ladder(store, claimed, scratch,
                                                     _ProgressWriter(claimed))
    except processing.Cancelled:
        db.session.rollback()
        if db.session.get(VideoAsset, asset_id) is None:
            _remove_output_quietly(store, asset_id)
        return "cancelled"
    except Exception as error:
        db.session.rollback()
        code, detail, final = _classify(error, final_attempt)
        log.warning("video asset %s: attempt %s failed (%s, final=%s): %s", asset_id,
                    claimed.attempt, code, final, detail, exc_info=code == "internal_error")
        recorded = processing.fail(claimed, code, detail, final)
        db.session.commit()
        if final and recorded:
            _remove_output_quietly(store, asset_id)
        if recorded and not final:
            raise RetryLater(detail) from error
        return "failed"
    asset = processing.finish(claimed, info, result)
    db.session.commit()
    if asset is None:
        if db.session.get(VideoAsset, asset_id) is None:
            _remove_output_quietly(store, asset_id)
        return "cancelled"
    log.info("video asset %s ready: %s", asset_id, ", ".join(r.name for r in asset.renditions))
    return "ready"


@app_task()
def sweep_videos() -> None:
    """Requeue stalled jobs and drop browser-direct uploads that never arrived."""
    requeued = processing.requeue_stalled()
    dropped = services.discard_abandoned_uploads()
    if requeued or dropped:
        log.info("video sweep: requeued %s, dropped %s abandoned uploads", requeued, dropped)


@task_queue.periodic_task(crontab(minute="*/5"))
def sweep_videos_every_five_minutes() -> None:
    sweep_videos()


def queue_transcode(asset_id: int) -> None:
    try:
        transcode_video(asset_id)
    except Exception:  # the row is committed: the sweep queues it again
        log.exception("could not queue the transcode of video asset %s", asset_id)


def queue_pending_transcodes(session: Session) -> None:
    for asset_id in sorted(set(session.info.pop(services.PENDING_TRANSCODES, None) or ())):
        queue_transcode(asset_id)
