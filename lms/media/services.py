"""Receiving provider videos and managing their lifecycle.

An upload is checked with ffprobe before anything is kept: a refused file leaves no row and no
stored bytes. An accepted one becomes a VideoAsset in `uploaded` state, and its transcode job
is queued only once the transaction commits (a worker must never look for a row that is not
visible yet, or transcode one that is then rolled back). Objects written to storage in a
transaction that rolls back are deleted again; objects of a deleted asset go only once the
deletion is committed.

The local backend receives the file through the app (Werkzeug spools it to disk); with S3 the
browser posts straight to the bucket with a presigned, size-limited form and then asks the app
to check and queue it (`start_direct_upload` / `complete_direct_upload`).
"""
from __future__ import annotations

import logging
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO, Iterable, Iterator

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.utils import secure_filename

from lms.accounts.models import User
from lms.admin import audit
from lms.catalog.models import CourseStatus, Module
from lms.clock import utcnow
from lms.errors import Conflict, refusing_when_full
from lms.extensions import db
from lms.media import rules
from lms.media.errors import InvalidVideo, MissingFile, UploadNotReceived, VideoTooLarge
from lms.media.models import AssetStatus, VideoAsset
from lms.media.probe import InvalidMedia, VideoInfo, probe_video
from lms.media.storage import CHUNK_SIZE, NotFound as StorageNotFound, UploadTooLarge, current_storage

from lms.permissions import media as media_permissions
log = logging.getLogger(__name__)

#: session.info keys: assets whose transcode is queued after commit, objects to delete after
#: a rollback (written in the failed transaction) or after a commit (of deleted assets).
PENDING_TRANSCODES = "alur.media.pending_transcodes"
WRITTEN_KEYS = "alur.media.written_keys"
DOOMED_OBJECTS = "alur.media.doomed_objects"

PRESIGNED_UPLOAD_SECONDS = 6 * 3600  # a 2 GB source over a slow rural uplink takes hours
MAX_FILENAME = 255


@dataclass(frozen=True)
class DirectUpload:
    """A browser-direct upload: the asset waiting for it and the form to post to the store."""

    asset: VideoAsset
    url: str
    fields: dict[str, str]
    max_bytes: int


# --- configuration ------------------------------------------------------------------------



def upload_limit_mb() -> int:
    return int(current_app.config["MAX_UPLOAD_MB"])


def upload_limit_bytes() -> int:
    return upload_limit_mb() * 1024 * 1024


def direct_uploads_supported() -> bool:
    """Whether the browser can post sources straight to the store (S3) instead of the app.
    Presigning is computed locally, so asking costs no round trip."""
    return current_storage().presigned_post("sources/capability-check", 1, expires=60) is not None


@contextmanager
def work_dir() -> Iterator[Path]:
    """A private scratch folder (MEDIA_TMP_DIR or the system's), removed afterwards."""
    root = current_app.config.get("MEDIA_TMP_DIR") or None
    if root:
        Path(root).mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix="alur-media-", dir=root))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


# --- keys -----------------------------------------------------------------------------------

def clean_filename(filename: str | None) -> str:
    """A storage-safe file name that keeps the extension (ffprobe and people both use it)."""
    name = secure_filename(filename or "") or "video"
    stem, dot, suffix = name.rpartition(".")
    if dot and stem and len(suffix) <= 10:
        return f"{stem[:80]}.{suffix.lower()}"
    return name[:90]


def source_key(asset_id: int, filename: str | None) -> str:
    return f"sources/{asset_id}/{clean_filename(filename)}"


def hls_prefix(asset_id: int) -> str:
    return f"hls/{asset_id}"


# --- transaction-bound side effects ---------------------------------------------------------

def _note(key: str, value: Any) -> None:
    db.session.info.setdefault(key, []).append(value)


def schedule_transcode(asset: VideoAsset) -> None:
    """Queue the asset's transcode once this transaction commits (lms.media.tasks does)."""
    schedule_transcode_id(asset.id)


def schedule_transcode_id(asset_id: int) -> None:
    _note(PENDING_TRANSCODES, asset_id)


def note_written(key: str) -> None:
    """Remember a new object written in this transaction: deleted again on rollback."""
    _note(WRITTEN_KEYS, key)


def delete_after_commit(name: str, folder: bool = True) -> None:
    """Delete an object (or a folder of them) once this transaction commits."""
    _note(DOOMED_OBJECTS, (name, folder))


def _store_file(key: str, path: Path) -> int:
    note_written(key)
    with path.open("rb") as handle:
        return current_storage().save(key, handle)


def settle_objects_after_commit(session: Session) -> None:
    """Objects doomed in the committed transaction go; the written ones stay."""
    session.info.pop(WRITTEN_KEYS, None)
    doomed = session.info.pop(DOOMED_OBJECTS, None) or ()
    if doomed:
        _delete_objects(doomed)


def settle_objects_after_rollback(session: Session) -> None:
    """Objects written in the rolled-back transaction go again; doomed ones stay."""
    session.info.pop(DOOMED_OBJECTS, None)
    session.info.pop(PENDING_TRANSCODES, None)
    written = session.info.pop(WRITTEN_KEYS, None) or ()
    if written:
        _delete_objects([(key, False) for key in written])


def _delete_objects(objects: Iterable[tuple[str, bool]]) -> None:
    try:
        store = current_storage()
    except RuntimeError:  # no app context: nothing was stored through this module
        return
    for name, folder in objects:
        try:
            store.delete_prefix(name) if folder else store.delete(name)
        except Exception:  # the database is already right; stray bytes only cost space
            log.exception("could not delete media object(s) %s", name)


# --- loading --------------------------------------------------------------------------------

def managed_video_module(actor: User | None, module_id: int | None) -> Module | None:
    """The module whose video page the actor manages, or None (for a refusal that must still
    answer, such as a body too large, without saying whether the module exists)."""
    module = db.session.get(Module, module_id) if module_id else None
    if module is None or not media_permissions.may_manage_module_video(actor, module):
        return None
    return module


def get_video_module(actor: User, module_id: int) -> Module:
    """Raises NotFound (module_not_found) and NotAVideoModule (see lms.media.rules)."""
    module = db.session.get(Module, module_id)
    return media_permissions.ensure_may_manage_module_video(actor, module)


def get_asset(actor: User, asset_id: int) -> VideoAsset:
    """Raises NotFound (video_not_found) unless the actor manages the asset's course."""
    return media_permissions.ensure_may_manage_asset(actor, db.session.get(VideoAsset, asset_id))


def module_assets(module: Module) -> list[VideoAsset]:
    """Every upload of the module, newest first."""
    return list(db.session.scalars(select(VideoAsset).where(VideoAsset.module_id == module.id)
                                   .order_by(VideoAsset.id.desc())))


def playable_asset(module: Module) -> VideoAsset | None:
    """The asset a video module plays (the one function the player, the pacing gate and the
    studio ask). A published version's module plays the asset pinned when it was published,
    whatever is uploaded later; a draft plays its newest ready upload, else the video it
    inherited from the version it was copied from."""
    pinned = db.session.get(VideoAsset, module.video_asset_id) \
        if module.video_asset_id is not None else None
    if pinned is not None and module.version.status == CourseStatus.PUBLISHED:
        return pinned
    newest = db.session.scalar(
        select(VideoAsset).where(VideoAsset.module_id == module.id,
                                 VideoAsset.status == AssetStatus.READY)
        .order_by(VideoAsset.id.desc()).limit(1))
    return newest or pinned


def caption_target(module: Module) -> VideoAsset | None:
    """The asset new captions attach to: the newest one that is not failed or still coming."""
    return next((a for a in module_assets(module)
                 if a.status in (AssetStatus.UPLOADED, AssetStatus.PROCESSING,
                                 AssetStatus.READY)), None)


# --- intake ---------------------------------------------------------------------------------

def _copy_limited(stream: BinaryIO, target: Path, max_bytes: int) -> int:
    written = 0
    with target.open("wb") as out:
        while True:
            chunk = stream.read(CHUNK_SIZE)
            if not chunk:
                return written
            written += len(chunk)
            if written > max_bytes:
                raise VideoTooLarge(upload_limit_mb())
            out.write(chunk)


def _probe(path: Path) -> VideoInfo:
    try:
        return probe_video(path)
    except InvalidMedia as error:
        raise InvalidVideo.from_probe(error) from None


def _new_asset(actor: User | None, module: Module, filename: str | None,
               status: str) -> VideoAsset:
    asset = VideoAsset(module=module, uploaded_by=actor, status=status,
                       original_filename=(filename or "video")[:MAX_FILENAME], source_key="")
    db.session.add(asset)
    db.session.flush()
    asset.source_key = source_key(asset.id, filename)
    return asset


def _accept(asset: VideoAsset, info: VideoInfo, size: int, queue: bool = True) -> None:
    asset.status = AssetStatus.UPLOADED
    asset.source_bytes = size
    asset.duration_seconds = info.duration
    asset.width, asset.height = info.width, info.height
    asset.progress_percent = 0
    db.session.flush()
    if queue:
        schedule_transcode(asset)


def receive_upload(actor: User | None, module: Module, filename: str | None,
                   stream: BinaryIO | None, queue: bool = True,
                   probed: VideoInfo | None = None) -> VideoAsset:
    """Check an uploaded source with ffprobe, store it and queue its transcode (unless
    `queue` is false: the caller transcodes it itself, see processing.transcode_now).

    `probed` is the probe of these very bytes when the caller has already made it (a course
    package checks every video before creating anything). `actor` None is the system (demo
    seed). Raises NotFound/NotAVideoModule (see rules),
    MissingFile (422), VideoTooLarge (413), InvalidVideo (422, with the probe's code) and
    InsufficientStorage (507, the disk is full). On any failure nothing is stored and no
    asset remains.
    """
    if actor is not None:
        media_permissions.ensure_may_manage_module_video(actor, module)
    if stream is None or not filename:
        raise MissingFile()
    # A full disk (the scratch folder or the store) is a refusal the page shows by the form.
    with refusing_when_full(), work_dir() as folder:
        local = folder / clean_filename(filename)
        size = _copy_limited(stream, local, upload_limit_bytes())
        info = probed or _probe(local)
        asset = _new_asset(actor, module, filename, AssetStatus.UPLOADED)
        _store_file(asset.source_key, local)
    _accept(asset, info, size, queue)
    audit.record(actor, "video.uploaded", "video_asset", asset.id, module=module.id,
                 bytes=size, filename=asset.original_filename)
    return asset


def start_direct_upload(actor: User, module: Module, filename: str, size: int,
                        content_type: str | None = None) -> DirectUpload | None:
    """Prepare a browser-direct upload to the bucket, or None when the store takes none (the
    local backend: the browser posts to the app instead).

    Raises NotFound/NotAVideoModule, InvalidVideo (empty_file) and VideoTooLarge before any
    byte is sent. The asset waits in `awaiting_upload` until `complete_direct_upload`.
    """
    media_permissions.ensure_may_manage_module_video(actor, module)
    if size <= 0:
        raise InvalidVideo.from_probe(InvalidMedia("empty_file"))
    if size > upload_limit_bytes():
        raise VideoTooLarge(upload_limit_mb())
    if not direct_uploads_supported():
        return None
    asset = _new_asset(actor, module, filename, AssetStatus.AWAITING_UPLOAD)
    post = current_storage().presigned_post(asset.source_key, upload_limit_bytes(),
                                    expires=PRESIGNED_UPLOAD_SECONDS,
                                    content_type=content_type or None)
    assert post is not None  # direct_uploads_supported() said so
    return DirectUpload(asset, post["url"], dict(post["fields"]), upload_limit_bytes())


def complete_direct_upload(actor: User, asset: VideoAsset) -> VideoAsset:
    """Check a source the browser posted to the bucket and queue its transcode.

    Idempotent: an asset past `awaiting_upload` is returned as it is. Raises
    UploadNotReceived (409) while the object is missing (the browser may post again), and
    VideoTooLarge (413) or InvalidVideo (422) after deleting the object and the asset: the
    refusal keeps that deletion.
    """
    media_permissions.ensure_may_manage_asset(actor, asset)
    if asset.status != AssetStatus.AWAITING_UPLOAD:
        return asset
    store = current_storage()
    try:
        size = store.verify_size(asset.source_key, upload_limit_bytes())
    except StorageNotFound:
        raise UploadNotReceived() from None
    except UploadTooLarge:
        _discard(asset)
        raise VideoTooLarge(upload_limit_mb()).keeping_changes() from None
    with work_dir() as folder:
        local = folder / clean_filename(asset.original_filename)
        store.download_to(asset.source_key, local)
        try:
            info = _probe(local)
        except InvalidVideo as refusal:
            _discard(asset)
            raise refusal.keeping_changes() from None
    _accept(asset, info, size)
    audit.record(actor, "video.uploaded", "video_asset", asset.id, module=asset.module_id,
                 bytes=size, filename=asset.original_filename, direct=True)
    return asset


def discard_abandoned_uploads(now: datetime | None = None) -> int:
    """Delete browser-direct uploads never completed within a day; returns how many."""
    cutoff = (now or utcnow()) - timedelta(days=1)
    abandoned = list(db.session.scalars(
        select(VideoAsset).where(VideoAsset.status == AssetStatus.AWAITING_UPLOAD,
                                 VideoAsset.created_at < cutoff)))
    for asset in abandoned:
        _discard(asset)
    return len(abandoned)


def _discard(asset: VideoAsset) -> None:
    """Forget a refused or deleted asset: its row now, its objects once that is committed."""
    delete_after_commit(f"sources/{asset.id}")
    delete_after_commit(hls_prefix(asset.id))
    db.session.delete(asset)
    db.session.flush()


# --- lifecycle ------------------------------------------------------------------------------

def retry_asset(actor: User, asset: VideoAsset) -> VideoAsset:
    """Queue a failed asset's transcode again. Raises NotFound, and Conflict (not_failed) for
    an asset that has not failed."""
    media_permissions.ensure_may_manage_asset(actor, asset)
    if not rules.may_retry_asset(asset):
        raise Conflict(_l("Only a video whose conversion failed can be tried again."),
                       code="not_failed")
    asset.status = AssetStatus.UPLOADED
    asset.progress_percent = 0
    asset.error_code = asset.error_message = None
    db.session.flush()
    schedule_transcode(asset)
    audit.record(actor, "video.retried", "video_asset", asset.id, module=asset.module_id)
    return asset


def delete_asset(actor: User, asset: VideoAsset) -> None:
    """Delete an upload that never became playable (a running transcode notices and stops),
    with its captions and stored objects. Raises NotFound, and AssetInUse (409) for a ready
    asset."""
    media_permissions.ensure_may_manage_asset(actor, asset)
    rules.ensure_may_delete_asset(asset)
    audit.record(actor, "video.deleted", "video_asset", asset.id, module=asset.module_id,
                 status=asset.status, filename=asset.original_filename)
    _discard(asset)
