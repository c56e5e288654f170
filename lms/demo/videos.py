"""Real, watchable demo clips made by ffmpeg: a test pattern with a title and a tone."""
from __future__ import annotations

from pathlib import Path

import ffmpeg


def make_clip(path: Path, seconds: int, label: str, size: str = "1280x720",
              frequency: int = 440) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    video = ffmpeg.input(f"testsrc2=size={size}:rate=25:duration={seconds}", f="lavfi")
    audio = ffmpeg.input(f"sine=frequency={frequency}:sample_rate=44100:duration={seconds}",
                         f="lavfi")
    text = label.replace(":", r"\:").replace("'", "")
    video = video.drawtext(text=text, x="(w-text_w)/2", y="h-80", fontsize=40,
                           fontcolor="white", box=1, boxcolor="black@0.6")
    (
        ffmpeg.output(video, audio, str(path), vcodec="libx264", pix_fmt="yuv420p",
                      preset="veryfast", acodec="aac", shortest=None, movflags="+faststart")
        .overwrite_output()
        .run(quiet=True)
    )
    return path
