"""The transcode job's steps on the database and on storage (the task commits between them).

A job never holds a transaction while ffmpeg runs: on SQLite every transaction takes the write
lock, so a long one would stall every writer of the site. Hence small steps: claim the asset,
report progress now and then, and record the result; the files move in between.

Claiming makes the job safe to run twice: only an `uploaded` asset, or one whose `processing`
has not moved for TRANSCODE_STALL_MINUTES (its worker died), can be claimed, and each claim
bumps `attempts`, which every later step checks so a superseded run changes nothing.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, delete, or_, select, update

from lms.clock import utcnow
from lms.extensions import db
from lms.media import services
from lms.media.models import AssetStatus, Rendition, VideoAsset
from lms.media.probe import MESSAGES as PROBE_MESSAGES, VideoInfo, probe_video
from lms.media.storage import Storage, current_storage
from lms.media.transcode import LADDER, MASTER_NAME, POSTER_NAME, HlsResult, transcode_to_hls

#: Share of the progress bar the ffmpeg run fills; storing the ladder fills the rest.
TRANSCODE_SHARE = 0.9
MAX_DETAIL = 2000

FAILURE_MESSAGES = {
    "transcode_failed": _l("The video could not be converted. Export it again as an MP4 "
                           "(H.264) file and upload it again."),
    "source_missing": _l("The uploaded file is no longer in storage. Upload the video again."),
    "storage_failed": _l("The converted video could not be stored. Try again later."),
    "internal_error": _l("Something went wrong while converting the video. Try again."),
}


def failure_message(code: str | None) -> str:
    """The provider-facing sentence for an asset's error code, in the reader's language."""
    if not code:
        return ""
    if code in PROBE_MESSAGES:
        return str(_l(PROBE_MESSAGES[code]))
    return str(FAILURE_MESSAGES.get(code, FAILURE_MESSAGES["internal_error"]))


class Cancelled(Exception):
    """The asset was deleted or claimed by another run while this one worked."""


@dataclass(frozen=True)
class Claim:
    asset_id: int
    attempt: int
    source_key: str


def stall_cutoff(now: datetime) -> datetime:
    return now - timedelta(minutes=int(current_app.config["TRANSCODE_STALL_MINUTES"]))


def claim(asset_id: int, now: datetime | None = None) -> Claim | None:
    """Mark the asset `processing` for this run, or None if it is not waiting (ready, failed,
    deleted, or being processed by a live run)."""
    now = now or utcnow()
    claimed = db.session.execute(
        update(VideoAsset)
        .where(VideoAsset.id == asset_id,
               or_(VideoAsset.status == AssetStatus.UPLOADED,
                   and_(VideoAsset.status == AssetStatus.PROCESSING,
                        VideoAsset.updated_at < stall_cutoff(now))))
        .values(status=AssetStatus.PROCESSING, progress_percent=0, error_code=None,
                error_message=None, attempts=VideoAsset.attempts + 1, updated_at=now)
        .execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        return None
    attempt, key = db.session.execute(select(VideoAsset.attempts, VideoAsset.source_key)
                                      .where(VideoAsset.id == asset_id)).one()
    return Claim(asset_id, attempt, key)


def _mine(claimed: Claim):
    return and_(VideoAsset.id == claimed.asset_id, VideoAsset.attempts == claimed.attempt,
                VideoAsset.status == AssetStatus.PROCESSING)


def record_progress(claimed: Claim, percent: int) -> bool:
    """Store the progress; False when the run has been cancelled or superseded."""
    return db.session.execute(
        update(VideoAsset).where(_mine(claimed))
        .values(progress_percent=max(0, min(99, percent)), updated_at=utcnow())
        .execution_options(synchronize_session=False)).rowcount == 1


def finish(claimed: Claim, info: VideoInfo, result: HlsResult) -> VideoAsset | None:
    """Record the stored ladder: renditions, poster, duration (also the module's), `ready`.
    None when the run was cancelled or superseded meanwhile."""
    asset = db.session.scalar(select(VideoAsset).where(_mine(claimed))
                              .with_for_update().execution_options(populate_existing=True))
    if asset is None:
        return None
    prefix = f"hls/{asset.id}"
    # A re-run replaces what an earlier run may have recorded.
    db.session.execute(delete(Rendition).where(Rendition.asset_id == asset.id))
    db.session.expire(asset, ["renditions"])
    for variant in result.renditions:
        rung = variant.rendition
        db.session.add(Rendition(asset_id=asset.id, name=rung.name, width=rung.width,
                                 height=rung.height, bandwidth=variant.bandwidth,
                                 codecs=variant.codecs,
                                 segment_count=len(variant.segment_durations)))
    now = utcnow()
    asset.status = AssetStatus.READY
    asset.progress_percent = 100
    asset.hls_prefix = prefix
    asset.poster_key = f"{prefix}/{result.poster}"
    asset.duration_seconds = result.duration
    asset.width, asset.height = info.width, info.height
    asset.segment_seconds = result.segment_seconds
    asset.error_code = asset.error_message = None
    asset.ready_at = now
    asset.module.duration_seconds = result.duration
    db.session.flush()
    return asset


def fail(claimed: Claim, code: str, detail: str, final: bool) -> bool:
    """Record a failed run: `failed` with the reason after the last attempt, else back to
    `uploaded` (the error kept to show) for the retry. False if the run was superseded."""
    return db.session.execute(
        update(VideoAsset).where(_mine(claimed))
        .values(status=AssetStatus.FAILED if final else AssetStatus.UPLOADED,
                progress_percent=0, error_code=code, error_message=(detail or "")[:MAX_DETAIL],
                updated_at=utcnow())
        .execution_options(synchronize_session=False)).rowcount == 1


def transcode_now(asset: VideoAsset) -> VideoAsset:
    """Transcode an `uploaded` asset in this process and this transaction, recording what the
    job would (for the demo seed and test factories, which must return playable videos).
    Raises ValueError if the asset is not waiting, and the pipeline's errors."""
    claimed = claim(asset.id)
    if claimed is None:
        raise ValueError(f"video asset {asset.id} is not waiting to be transcoded")
    with services.work_dir() as scratch:
        info, result = produce_ladder(current_storage(), claimed, scratch, lambda done: None)
    finished = finish(claimed, info, result)
    assert finished is not None  # nothing else could have touched it in this transaction
    return finished


def requeue_stalled(now: datetime | None = None) -> list[int]:
    """Put back in the queue the assets a job should be working on but none is: waiting or
    `processing` without progress for TRANSCODE_STALL_MINUTES (a worker that died mid-job, a
    queue that was lost). A run still alive behind such an asset finds it superseded."""
    now = now or utcnow()
    cutoff = stall_cutoff(now)
    ids = list(db.session.scalars(
        select(VideoAsset.id)
        .where(VideoAsset.status.in_((AssetStatus.UPLOADED, AssetStatus.PROCESSING)),
               VideoAsset.updated_at < cutoff)
        .order_by(VideoAsset.id)))
    if ids:
        # Touched, so the next sweep leaves them alone while they wait in the queue.
        db.session.execute(update(VideoAsset).where(VideoAsset.id.in_(ids))
                           .values(status=AssetStatus.UPLOADED, progress_percent=0,
                                   updated_at=now)
                           .execution_options(synchronize_session=False))
        for asset_id in ids:
            services.schedule_transcode_id(asset_id)
    return ids


# --- files (no database) --------------------------------------------------------------------

def output_keys(asset_id: int) -> tuple[list[str], list[str]]:
    """(folders, objects) a run writes under hls/<id>/; captions there are not the run's."""
    prefix = f"hls/{asset_id}"
    folders = [f"{prefix}/{rung}p" for rung, _, _ in LADDER]
    return folders, [f"{prefix}/{MASTER_NAME}", f"{prefix}/{POSTER_NAME}"]


def remove_output(store: Storage, asset_id: int, extra_folders: tuple[str, ...] = ()) -> None:
    """Delete what a run stored (renditions, master playlist, poster), keeping captions."""
    folders, objects = output_keys(asset_id)
    for folder in (*folders, *(f"hls/{asset_id}/{name}" for name in extra_folders)):
        store.delete_prefix(folder)
    for key in objects:
        store.delete(key)


def produce_ladder(store: Storage, claimed: Claim, scratch: Path,
                   on_progress: Callable[[float], None]) -> tuple[VideoInfo, HlsResult]:
    """Download the source, transcode it into `scratch` and store the ladder under
    hls/<id>/. `on_progress` gets fractions of the whole job; raising in it cancels the run
    (the transcoder then removes its output)."""
    source = scratch / ("source" + (Path(claimed.source_key).suffix or ".mp4"))
    store.download_to(claimed.source_key, source)
    info = probe_video(source)
    out = scratch / "hls"
    result = transcode_to_hls(source, out, info,
                              on_progress=lambda done: on_progress(done * TRANSCODE_SHARE))
    os.unlink(source)  # the scratch disk need not hold the source and the ladder twice
    # Whatever an earlier, failed run left behind goes first, so no stale segment survives.
    remove_output(store, claimed.asset_id,
                  tuple(v.rendition.name for v in result.renditions))
    store.upload_dir(out, f"hls/{claimed.asset_id}")
    return info, result
