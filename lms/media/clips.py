"""Real, playable clips made by ffmpeg — its moving test pattern and a tone — for the demo
course, the tests and the benchmarks: every video Alur handles outside production is one."""
from __future__ import annotations

from pathlib import Path

import ffmpeg


def make_clip(path: Path, seconds: float, *, width: int = 320, height: int = 240,
              fps: int = 25, audio: bool = True, label: str | None = None,
              frequency: int = 440, preset: str = "ultrafast", crf: int | None = None,
              faststart: bool = False) -> Path:
    """Write an H.264 (and AAC) clip to `path`; the container follows its suffix. A `label`
    is burnt in as a caption bar, so demo modules can be told apart on screen."""
    path.parent.mkdir(parents=True, exist_ok=True)
    video = ffmpeg.input(f"testsrc2=size={width}x{height}:rate={fps}:duration={seconds}",
                         f="lavfi")
    if label:
        text = label.replace(":", r"\:").replace("'", "")
        video = video.drawtext(text=text, x="(w-text_w)/2", y="h-80", fontsize=40,
                               fontcolor="white", box=1, boxcolor="black@0.6")
    streams = [video]
    options: dict[str, object] = {"vcodec": "libx264", "pix_fmt": "yuv420p", "preset": preset}
    if audio:
        streams.append(ffmpeg.input(
            f"sine=frequency={frequency}:sample_rate=48000:duration={seconds}", f="lavfi"))
        options["acodec"] = "aac"
    if crf is not None:
        options["crf"] = crf
    if faststart:
        options["movflags"] = "+faststart"
    ffmpeg.output(*streams, str(path), **options).overwrite_output().run(quiet=True)
    return path
