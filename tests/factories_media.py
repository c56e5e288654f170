"""Playable videos for tests: a READY `VideoAsset` with real HLS made by the real pipeline.

    from tests import factories_media
    asset = factories_media.ready_video(module, seconds=12)

The first call for a given (seconds, size) makes a clip with ffmpeg (a moving test pattern and
a tone) and runs `lms.media.transcode.transcode_to_hls` on it into a temporary folder that is
kept for the rest of the test session; every call then copies that folder into the current
app's storage under `hls/<asset id>/` (the layout of `VideoAsset`'s docstring) and creates the
`VideoAsset` (status ready), `Rendition` and `Caption` rows. It sets `Module.duration_seconds`
to the media duration and commits, so a live server sees it too.

Keep clips short and small (the default 320x180 gives a single "180p" rendition and transcodes
in about a second); a 60 s clip is fine for API tests, browser tests want 8-12 s.
"""
from __future__ import annotations

import atexit
import shutil
import tempfile
from io import BytesIO
from pathlib import Path

from flask import current_app

from lms.catalog.models import Module
from lms.clock import utcnow
from lms.extensions import db
from lms.media.clips import make_clip
from lms.media.models import AssetStatus, Caption, Rendition, VideoAsset
from lms.media.probe import probe_video
from lms.media.storage import make_storage
from lms.media.transcode import HlsResult, transcode_to_hls

_CACHE: dict[tuple[int, str], tuple[Path, HlsResult]] = {}
_ROOT: Path | None = None

CAPTION_TEXT = {
    "en": "This is the demo lesson.",
    "id": "Ini adalah pelajaran demo.",
}


def _cache_root() -> Path:
    global _ROOT
    if _ROOT is None:
        _ROOT = Path(tempfile.mkdtemp(prefix="alur-test-hls-"))
        atexit.register(shutil.rmtree, _ROOT, True)
    return _ROOT


def make_source(path: Path, seconds: int, size: str = "320x180", fps: int = 5) -> Path:
    """An H.264/AAC MP4 clip: ffmpeg's moving test pattern (few frames per second: cheap to
    transcode, still a real video) with a 440 Hz tone."""
    width, height = (int(n) for n in size.split("x"))
    return make_clip(path, seconds, width=width, height=height, fps=fps)


def transcoded(seconds: int, size: str = "320x180") -> tuple[Path, HlsResult]:
    """The HLS folder and its description for a clip, made once per test session."""
    key = (seconds, size)
    if key not in _CACHE:
        folder = _cache_root() / f"{seconds}s-{size}"
        folder.mkdir(parents=True, exist_ok=True)
        source = make_source(folder / "source.mp4", seconds, size)
        out = folder / "hls"
        result = transcode_to_hls(source, out, probe_video(source))
        _CACHE[key] = (out, result)
    return _CACHE[key]


def vtt(language: str, seconds: float) -> bytes:
    text = CAPTION_TEXT.get(language, "Caption.")
    end = max(1.0, min(seconds, 4.0))
    return f"WEBVTT\n\n00:00.000 --> 00:0{end:.3f}\n{text}\n".encode()


def ready_video(module: Module, seconds: int = 12, size: str = "320x180",
                captions: tuple[str, ...] = ("en", "id"), app=None) -> VideoAsset:
    """Give `module` a playable video of about `seconds` seconds (see the module docstring).

    `app` defaults to the current app; pass the live server's app in browser tests.
    """
    app = app or current_app
    folder, result = transcoded(seconds, size)
    storage = make_storage(app.config)
    asset = VideoAsset(module_id=module.id, status=AssetStatus.UPLOADED,
                       original_filename="lesson.mp4", source_key="sources/pending/lesson.mp4")
    db.session.add(asset)
    db.session.flush()
    prefix = f"hls/{asset.id}"
    storage.upload_dir(folder, prefix)
    top = result.renditions[0].rendition
    asset.source_key = f"sources/{asset.id}/lesson.mp4"
    asset.status = AssetStatus.READY
    asset.progress_percent = 100
    asset.hls_prefix = prefix
    asset.poster_key = f"{prefix}/{result.poster}"
    asset.duration_seconds = result.duration
    asset.width, asset.height = top.width, top.height
    asset.segment_seconds = result.segment_seconds
    asset.ready_at = utcnow()
    for variant in result.renditions:
        r = variant.rendition
        db.session.add(Rendition(asset=asset, name=r.name, width=r.width, height=r.height,
                                 bandwidth=variant.bandwidth, codecs=variant.codecs,
                                 segment_count=len(variant.segment_durations)))
    for language in captions:
        key = f"{prefix}/captions/{language}.vtt"
        storage.save(key, BytesIO(vtt(language, result.duration)), "text/vtt")
        db.session.add(Caption(asset=asset, language=language, storage_key=key))
    module.duration_seconds = result.duration
    db.session.commit()
    return asset
