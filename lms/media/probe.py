"""Check that an uploaded file is a complete, playable video before we accept it.

Providers upload from office PCs and phones over flaky links; the usual
failures are an upload cut short, the wrong file picked (a slide deck, a
thumbnail), or an audio-only export. Each gets its own code so the authoring UI
can say exactly what went wrong instead of a generic "processing failed" hours
later in the transcoding queue.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import ffmpeg


def N_(message: str) -> str:
    """Mark a message for translation without translating it yet.

    The media layer runs outside any request, so it cannot know the reader's
    language; views translate `InvalidMedia.message` when showing it.
    Extract with ``pybabel extract -k N_``.
    """
    return message


MSG_EMPTY_FILE = N_("The file is empty (0 bytes). Please choose the video again and re-upload it.")
MSG_NOT_MEDIA = N_(
    "This file is not a video we can read. Please upload an MP4, MOV, MKV or WebM video file."
)
MSG_IMAGE_NOT_VIDEO = N_(
    "This file is a picture, not a video. Please upload the video file itself."
)
MSG_TRUNCATED = N_(
    "This video is incomplete: the file seems to have been cut off during copying or "
    "uploading. Please check that it plays to the end on your computer, then upload it again."
)
MSG_NO_VIDEO_STREAM = N_(
    "This file contains sound only, with no picture. Please upload a video file."
)
MSG_NO_DURATION = N_(
    "We could not tell how long this video is. Please export it again as an MP4 file and re-upload it."
)

MESSAGES = {
    "empty_file": MSG_EMPTY_FILE,
    "not_media": MSG_NOT_MEDIA,
    "image_not_video": MSG_IMAGE_NOT_VIDEO,
    "truncated": MSG_TRUNCATED,
    "no_video_stream": MSG_NO_VIDEO_STREAM,
    "no_duration": MSG_NO_DURATION,
}

# Demuxers ffprobe uses for still pictures, whatever the file's extension.
IMAGE_FORMATS = frozenset(
    {"image2", "png_pipe", "jpeg_pipe", "webp_pipe", "bmp_pipe", "tiff_pipe", "gif_pipe",
     "svg_pipe", "qdraw_pipe", "pcx_pipe", "ppm_pipe", "pgm_pipe", "dpx_pipe", "j2k_pipe",
     "jpegls_pipe", "psd_pipe", "xpm_pipe", "sgi_pipe", "pam_pipe", "exr_pipe"}
)
# ffprobe will happily "decode" a text file as ANSI art; that is never a course video.
TEXT_FORMATS = frozenset({"tty"})
MP4_FIRST_BOXES = frozenset({b"ftyp", b"moov", b"mdat", b"free", b"skip", b"wide", b"pnot"})
IMAGE_CODECS = frozenset({"png", "bmp", "webp", "tiff", "gif", "jpegls", "svg"})
# Enough to pass a keyframe or two at the end without slowing uploads down.
TAIL_CHECK_SECONDS = 3.0


class InvalidMedia(Exception):
    """The upload cannot become a course video; `code` is stable, `message` is for people."""

    def __init__(self, code: str, message: str | None = None) -> None:
        self.code = code
        self.message = message or MESSAGES.get(code, MSG_NOT_MEDIA)
        super().__init__(self.message)


@dataclass(frozen=True)
class VideoInfo:
    """What the transcoder and the pacing rules need to know about a source.

    `width` and `height` are the *display* size: phone clips are stored
    landscape with a rotation flag and some cameras use non-square pixels, and
    the ladder must follow what the viewer sees.
    """

    duration: float
    width: int
    height: int
    fps: float
    has_audio: bool
    video_codec: str


def _ratio(text: str | None) -> float:
    """Parse ffprobe's "30000/1001" style ratios; 0.0 when unknown."""
    if not text or "/" not in text:
        try:
            return float(text) if text else 0.0
        except ValueError:
            return 0.0
    num, _, den = text.partition("/")
    try:
        return float(num) / float(den) if float(den) else 0.0
    except ValueError:
        return 0.0


def _rotation(stream: dict[str, Any]) -> int:
    """Rotation in degrees from the display matrix (or the older `rotate` tag)."""
    for side in stream.get("side_data_list", []) or []:
        if "rotation" in side:
            return int(float(side["rotation"]))
    tag = (stream.get("tags") or {}).get("rotate")
    return int(float(tag)) if tag else 0


def _display_size(stream: dict[str, Any]) -> tuple[int, int]:
    width, height = int(stream.get("width") or 0), int(stream.get("height") or 0)
    sar = _ratio(stream.get("sample_aspect_ratio"))
    if sar and abs(sar - 1.0) > 1e-3:
        width = int(round(width * sar))
    if abs(_rotation(stream)) % 180 == 90:
        width, height = height, width
    return width, height


def _float(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def _starts_like_mp4(path: str) -> bool:
    """Whether the file opens with an ISO-BMFF box (MP4, MOV, 3GP, M4A).

    ffprobe picks the MP4 demuxer from a ".mp4" name alone, so "moov atom not
    found" is also what a renamed text file produces; only a real MP4 header
    makes a missing index mean "cut off".
    """
    with open(path, "rb") as handle:
        head = handle.read(12)
    return len(head) >= 8 and head[4:8] in MP4_FIRST_BOXES


def _run_ffprobe(path: str) -> dict[str, Any]:
    """ffprobe's JSON, or InvalidMedia when it cannot open the file at all."""
    try:
        return ffmpeg.probe(path)
    except ffmpeg.Error as error:
        stderr = (error.stderr or b"").decode("utf-8", "replace")
        # An MP4 written front to back keeps its index (moov) at the end, so a
        # cut-off upload loses it: the most common damaged upload by far.
        if "moov atom not found" in stderr and _starts_like_mp4(path):
            raise InvalidMedia("truncated") from None
        raise InvalidMedia("not_media") from None


def _tail_decodes(path: str, video_duration: float) -> bool:
    """Read and decode the last seconds of the first video stream; False if it fails.

    A file cut short whose index survived (MP4 "faststart", MKV, WebM) probes
    fine and only shows its damage when the missing samples are read, so we
    read them. Seeking makes this cost the same for a 2-hour lecture as for a
    2-minute one, and decoding only keyframes keeps it to a tenth of a second:
    the demuxer and parser still read every packet, which is where a missing
    tail shows.
    """
    start = max(0.0, video_duration - TAIL_CHECK_SECONDS)
    stream = (
        # noaccurate_seek: output starts at the keyframe before `start`, so a
        # healthy file always yields at least that frame.
        ffmpeg.input(path, ss=f"{start:.3f}", skip_frame="nokey", noaccurate_seek=None)
        .output("-", format="null", map="0:v:0")
        .global_args("-nostdin", "-v", "error", "-xerror", "-nostats", "-progress", "pipe:1")
    )
    try:
        stdout, stderr = stream.run(capture_stdout=True, capture_stderr=True, quiet=True)
    except ffmpeg.Error:
        return False
    frames = 0
    for line in stdout.decode("ascii", "replace").splitlines():
        if line.startswith("frame="):
            frames = int(_float(line.partition("=")[2]))
    # At "-v error" a healthy file prints nothing. A cut-off MP4 makes the
    # demuxer report "partial file" without failing the run, and zero frames
    # means the data ended before the duration promised by the header.
    return frames > 0 and not stderr.strip()


def probe_video(path: str | os.PathLike[str]) -> VideoInfo:
    """Describe a video file, or raise InvalidMedia saying why it is unusable.

    FileNotFoundError is left alone: a missing file is our bug, not the
    provider's upload.
    """
    path = os.fspath(path)
    if os.path.getsize(path) == 0:
        raise InvalidMedia("empty_file")
    data = _run_ffprobe(path)
    fmt = data.get("format", {})
    format_names = set(str(fmt.get("format_name", "")).split(","))
    streams = data.get("streams", [])
    if format_names & TEXT_FORMATS or not streams:
        raise InvalidMedia("not_media")
    if format_names & IMAGE_FORMATS:
        raise InvalidMedia("image_not_video")
    # Cover art in an audio file shows up as a one-picture "video" stream.
    videos = [
        s for s in streams
        if s.get("codec_type") == "video" and not (s.get("disposition") or {}).get("attached_pic")
    ]
    has_audio = any(s.get("codec_type") == "audio" for s in streams)
    if not videos:
        raise InvalidMedia("no_video_stream" if has_audio else "not_media")
    video = videos[0]
    if video.get("codec_name") in IMAGE_CODECS and not _float(fmt.get("duration")):
        raise InvalidMedia("image_not_video")

    duration = _float(fmt.get("duration")) or _float(video.get("duration"))
    if duration <= 0:
        raise InvalidMedia("no_duration")
    width, height = _display_size(video)
    if width <= 0 or height <= 0:
        raise InvalidMedia("not_media")
    if not _tail_decodes(path, _float(video.get("duration")) or duration):
        raise InvalidMedia("truncated")
    fps = _ratio(video.get("avg_frame_rate")) or _ratio(video.get("r_frame_rate"))
    return VideoInfo(
        duration=duration,
        width=width,
        height=height,
        fps=round(fps, 3),
        has_audio=has_audio,
        video_codec=str(video.get("codec_name", "")),
    )
