"""Real, playable videos for the demo course, made and transcoded synchronously: seed-demo
returns only when every video module plays (there may be no worker running yet)."""
from __future__ import annotations

from flask import current_app

from lms.catalog.models import Module
from lms.media import processing, services
from lms.media.clips import make_clip
from lms.media.models import VideoAsset


def prepare_demo_video(module: Module, seconds: int) -> VideoAsset:
    """Give the module a ready video of `seconds` (a test pattern titled with the module's
    title, with a tone) unless it already has one. Flushes; the command commits."""
    ready = services.playable_asset(module)
    if ready is not None:
        return ready
    with services.work_dir() as folder:
        width, height = (int(n) for n in current_app.config["DEMO_VIDEO_SIZE"].split("x"))
        clip = make_clip(folder / f"demo-module-{module.position}.mp4", seconds,
                         width=width, height=height, label=module.title,
                         frequency=330 + 110 * (module.position % 4), preset="veryfast",
                         faststart=True)
        with clip.open("rb") as handle:
            asset = services.receive_upload(None, module, clip.name, handle, queue=False)
    return processing.transcode_now(asset)
