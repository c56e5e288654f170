"""How an asset is shown: the JSON the upload page polls and the labels its template uses."""
from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l

from lms.media.models import AssetStatus, VideoAsset
from lms.media.processing import failure_message

STATUS_LABELS = {
    AssetStatus.AWAITING_UPLOAD: _l("Uploading"),
    AssetStatus.UPLOADED: _l("Uploaded, waiting for conversion"),
    AssetStatus.PROCESSING: _l("Converting"),
    AssetStatus.READY: _l("Ready"),
    AssetStatus.FAILED: _l("Failed"),
}


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def asset_status(asset: VideoAsset) -> dict[str, Any]:
    """The asset as the status endpoint answers it (`status`, `progress_percent`,
    `error_message`, `renditions` are what the upload page relies on)."""
    retrying = asset.status == AssetStatus.UPLOADED and bool(asset.error_code)
    return {
        "asset_id": asset.id,
        "module_id": asset.module_id,
        "status": asset.status,
        "status_label": status_label(asset.status),
        "progress_percent": asset.progress_percent,
        "error_code": asset.error_code,
        "error_message": failure_message(asset.error_code),
        "error_detail": asset.error_message,
        "retrying": retrying,
        "attempts": asset.attempts,
        "original_filename": asset.original_filename,
        "source_bytes": asset.source_bytes,
        "duration_seconds": asset.duration_seconds,
        "width": asset.width,
        "height": asset.height,
        "renditions": [{"name": r.name, "width": r.width, "height": r.height,
                        "bandwidth": r.bandwidth, "codecs": r.codecs,
                        "segment_count": r.segment_count} for r in asset.renditions],
        "captions": [c.language for c in asset.captions],
        "created_at": asset.created_at.isoformat() if asset.created_at else None,
        "ready_at": asset.ready_at.isoformat() if asset.ready_at else None,
        "status_url": url_for("api.videos.get_video_asset", asset_id=asset.id),
        "page_url": url_for("media.video", module_id=asset.module_id),
    }
