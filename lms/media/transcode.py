"""Turn a provider's source video into an adaptive HLS ladder for weak mobile links.

Learners watch on phones over rural 2G/3G/4G, so the ladder reaches down to
240p at about a quarter of a megabit, and every rendition cuts its segments at
the same instants: the player can switch quality at any segment boundary, and
the pacing rules can map "segment n" to the same media seconds whatever the
rendition (docs/pacing-rules.md, proof of delivery).

One ffmpeg process decodes the source once and feeds every encoder; decoding
a 1080p source once per rendition would nearly double the cost on the small
worker machines providers' uploads queue on.
"""

from __future__ import annotations

import collections
import os
import shutil
import subprocess
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import ffmpeg

from lms.media.probe import VideoInfo

SEGMENT_SECONDS = 6
MASTER_NAME = "master.m3u8"
PLAYLIST_NAME = "index.m3u8"
SEGMENT_PATTERN = "seg_%05d.ts"
POSTER_NAME = "poster.jpg"
POSTER_AT = 0.10  # a frame 10% in is past title cards and fade-ins
MAX_FPS = 30.5  # 50/60 fps phone clips are halved: motion is not worth the bits here
AUDIO_RATE = 48000
# The variant players start on; 360p plays on a weak 3G link without stalling
# and the player climbs from there once it has measured the bandwidth.
START_RUNG = 360

# (short side, video kbit/s, audio kbit/s). Lectures and screen recordings
# compress well, so these sit below typical entertainment ladders.
LADDER: tuple[tuple[int, int, int], ...] = (
    (720, 1600, 128),
    (480, 800, 96),
    (360, 450, 64),
    (240, 220, 48),
)

ProgressCallback = Callable[[float], None]


class TranscodeFailed(Exception):
    """ffmpeg could not produce the ladder; `message` carries its last error lines."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Rendition:
    """One rung of the ladder; `height`/`width` are the exact output size."""

    name: str
    height: int
    width: int
    video_kbps: int
    audio_kbps: int


@dataclass(frozen=True)
class HlsVariant:
    """A rendition as written, with what the master playlist advertises."""

    rendition: Rendition
    playlist: str  # relative to out_dir, e.g. "720p/index.m3u8"
    bandwidth: int  # peak segment bit rate, bit/s, as HLS defines BANDWIDTH
    average_bandwidth: int
    codecs: str
    segment_durations: tuple[float, ...]


@dataclass(frozen=True)
class HlsResult:
    """Names are relative to out_dir, so `prefix + name` is the storage key."""

    master_playlist: str
    renditions: list[HlsVariant]
    duration: float
    poster: str
    segment_seconds: int = SEGMENT_SECONDS


def _even(value: float) -> int:
    """Nearest even integer, at least 2: H.264 with 4:2:0 needs even sizes."""
    return max(2, int(round(value / 2.0)) * 2)


def _scale_bitrate(kbps: int, pixels: int, reference_pixels: int, floor: int) -> int:
    return max(floor, int(round(kbps * pixels / reference_pixels)))


def plan_ladder(info: VideoInfo) -> list[Rendition]:
    """Renditions for a source, largest first, never larger than the source.

    The rung number is the *short* side, so a portrait phone clip gets a
    720x1280 "720p" rather than a postage stamp 405x720.
    """
    landscape = info.width >= info.height
    short, long = (info.height, info.width) if landscape else (info.width, info.height)
    if short <= 0 or long <= 0:
        raise ValueError(f"source has no picture size: {info.width}x{info.height}")

    def sized(name: str, short_out: int, long_out: int, video: int, audio: int) -> Rendition:
        width, height = (long_out, short_out) if landscape else (short_out, long_out)
        return Rendition(name, height, width, video, audio)

    renditions = [
        sized(f"{rung}p", rung, _even(rung * long / short), video, audio)
        for rung, video, audio in LADDER
        if rung <= short
    ]
    if renditions:
        return renditions
    # Smaller than the lowest rung: keep the source size (rounded *down* to
    # even, so not even one pixel is invented) at a proportionally lower rate.
    rung, video, audio = LADDER[-1]
    short_out, long_out = max(2, short - short % 2), max(2, long - long % 2)
    reference = rung * _even(rung * 16 / 9)
    video_out = _scale_bitrate(video, short_out * long_out, reference, floor=60)
    return [sized(f"{short_out}p", short_out, long_out, video_out, audio)]


def output_fps(info: VideoInfo) -> float | None:
    """Frame rate to encode at, or None to keep the source's."""
    fps = info.fps
    if fps <= MAX_FPS:
        return None
    while fps > MAX_FPS:
        fps /= 2.0
    return round(fps, 3)


def poster_frame(info: VideoInfo) -> int:
    """Index (in output frames) of the poster frame, about 10% into the video."""
    return int(info.duration * POSTER_AT * (output_fps(info) or info.fps or 25.0))


def _filter_graph(info: VideoInfo, renditions: Sequence[Rendition]) -> str:
    head = "[0:v:0]"
    fps = output_fps(info)
    if fps:
        head += f"fps={fps},"
    # One branch per rendition plus one for the poster, which thus costs a
    # single scaled frame instead of a second decode of the source.
    head += f"split={len(renditions) + 1}" + "".join(f"[s{i}]" for i in range(len(renditions)))
    head += "[sp]"
    # setsar=1 because the target size already carries the display aspect:
    # non-square source pixels are resolved here, once.
    branches = [
        f"[s{i}]scale={r.width}:{r.height},setsar=1,format=yuv420p[v{i}]"
        for i, r in enumerate(renditions)
    ]
    top = renditions[0]
    frame = poster_frame(info)
    # end_frame bounds the branch: frames after the poster are dropped here
    # rather than queued for an output that has already closed.
    branches.append(f"[sp]trim=start_frame={frame}:end_frame={frame + 1},"
                    f"scale={top.width}:{top.height},setsar=1[poster]")
    return ";".join([head, *branches])


def build_ffmpeg_args(
    source_path: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    info: VideoInfo,
    renditions: Sequence[Rendition] | None = None,
) -> list[str]:
    """The complete ffmpeg command line (argv[0] included) for the ladder.

    It writes every rendition and the poster. The pipeline runs exactly this
    list, so the benchmark can time the same work without the Python around it. Rendition folders must exist first
    (`prepare_output_dirs`): ffmpeg's HLS muxer does not create them.
    """
    renditions = list(renditions or plan_ladder(info))
    out = Path(out_dir)
    args = ["ffmpeg", "-hide_banner", "-nostdin", "-y", "-v", "error", "-nostats",
            "-progress", "pipe:1", "-i", os.fspath(source_path)]
    if info.has_audio:
        audio_map = "0:a:0"
    else:
        # Every rendition carries audio so players never switch between
        # variants with and without an audio track (several Android players
        # stall on that), hence silence when the source has none.
        args += ["-f", "lavfi", "-t", f"{info.duration:.3f}",
                 "-i", f"anullsrc=channel_layout=stereo:sample_rate={AUDIO_RATE}"]
        audio_map = "1:a:0"
    args += ["-filter_complex", _filter_graph(info, renditions)]
    for index, rendition in enumerate(renditions):
        folder = out / rendition.name
        args += [
            "-map", f"[v{index}]", "-map", audio_map,
            "-map_metadata", "-1",  # phone clips carry GPS tags; learners need none of it
            "-c:v", "libx264", "-preset", "veryfast", "-profile:v", "high", "-pix_fmt", "yuv420p",
            "-b:v", f"{rendition.video_kbps}k",
            "-maxrate", f"{int(rendition.video_kbps * 1.25)}k",
            "-bufsize", f"{rendition.video_kbps * 2}k",
            # Same forced keyframe instants in every rendition and no extra
            # scene-cut keyframes: segments line up across the ladder.
            "-force_key_frames", f"expr:gte(t,n_forced*{SEGMENT_SECONDS})",
            "-sc_threshold", "0",
            "-c:a", "aac", "-b:a", f"{rendition.audio_kbps}k", "-ac", "2", "-ar", str(AUDIO_RATE),
            "-max_muxing_queue_size", "4096",
            "-f", "hls", "-hls_time", str(SEGMENT_SECONDS), "-hls_playlist_type", "vod",
            "-hls_flags", "independent_segments", "-hls_segment_type", "mpegts",
            "-hls_segment_filename", os.fspath(folder / SEGMENT_PATTERN),
            os.fspath(folder / PLAYLIST_NAME),
        ]
    args += ["-map", "[poster]", "-frames:v", "1", "-q:v", "3", "-update", "1",
             os.fspath(out / POSTER_NAME)]
    return args


def prepare_output_dirs(out_dir: str | os.PathLike[str], renditions: Sequence[Rendition]) -> None:
    """Create out_dir/<name>/ for every rendition."""
    for rendition in renditions:
        (Path(out_dir) / rendition.name).mkdir(parents=True, exist_ok=True)


def _drain(stream: IO[bytes], sink: collections.deque[str]) -> None:
    """Keep reading stderr so ffmpeg never blocks on a full pipe."""
    for raw in iter(stream.readline, b""):
        sink.append(raw.decode("utf-8", "replace").rstrip())


def _run_with_progress(args: list[str], duration: float, on_progress: ProgressCallback | None) -> None:
    errors: collections.deque[str] = collections.deque(maxlen=20)
    process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    reader = threading.Thread(target=_drain, args=(process.stderr, errors), daemon=True)
    reader.start()
    reported = 0.0
    try:
        assert process.stdout is not None
        for raw in process.stdout:
            key, _, value = raw.decode("ascii", "replace").strip().partition("=")
            if key != "out_time_us" or not on_progress or duration <= 0:
                continue
            try:
                done = min(1.0, max(0.0, int(value) / (duration * 1_000_000)))
            except ValueError:  # "N/A" before the first packet is muxed
                continue
            # Streams are muxed slightly out of step, so the reported time can
            # dip; callers (progress bars) want it never to go backwards.
            if done > reported:
                reported = done
                on_progress(done)
        returncode = process.wait()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        reader.join(timeout=5)
    if returncode != 0:
        detail = "\n".join(errors) or f"exit status {returncode}"
        raise TranscodeFailed(f"ffmpeg failed: {detail}")


def _read_playlist(path: Path) -> list[tuple[str, float]]:
    """(segment file, duration) pairs from a media playlist."""
    entries: list[tuple[str, float]] = []
    duration: float | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("#EXTINF:"):
            duration = float(line[len("#EXTINF:"):].split(",")[0])
        elif line and not line.startswith("#") and duration is not None:
            entries.append((line, duration))
            duration = None
    return entries


# RFC 6381 needs profile_idc and the constraint-flags byte; ffprobe reports
# the profile by name, and these are the bytes x264 writes for each name.
AVC_PROFILES = {
    "Constrained Baseline": (0x42, 0xC0),
    "Baseline": (0x42, 0x00),
    "Main": (0x4D, 0x40),
    "Extended": (0x58, 0x00),
    "High": (0x64, 0x00),
}
AAC_OBJECT_TYPES = {"LC": 2, "HE-AAC": 5, "HE-AACv2": 29, "Main": 1, "LTP": 4}


def segment_codecs(segment: Path) -> str:
    """The CODECS attribute ("avc1.64001f,mp4a.40.2") of a segment as written.

    Read back from the segment rather than derived from our options because
    x264 picks the level itself, and a wrong CODECS string makes Safari and
    some smart TVs refuse the variant.
    """
    streams = ffmpeg.probe(os.fspath(segment))["streams"]
    video = next((s for s in streams if s.get("codec_type") == "video"), None)
    audio = next((s for s in streams if s.get("codec_type") == "audio"), None)
    if video is None or video.get("codec_name") != "h264" or video.get("profile") not in AVC_PROFILES:
        raise TranscodeFailed(f"unexpected video stream in {segment.name}: {video}")
    profile_idc, constraints = AVC_PROFILES[video["profile"]]
    codecs = f"avc1.{profile_idc:02x}{constraints:02x}{int(video['level']):02x}"
    if audio is not None:
        codecs += f",mp4a.40.{AAC_OBJECT_TYPES.get(audio.get('profile', 'LC'), 2)}"
    return codecs


def _describe_variant(out_dir: Path, rendition: Rendition) -> HlsVariant:
    playlist = out_dir / rendition.name / PLAYLIST_NAME
    entries = _read_playlist(playlist)
    if not entries:
        raise TranscodeFailed(f"{rendition.name}: ffmpeg wrote no segments")
    sizes = [(playlist.parent / name).stat().st_size for name, _ in entries]
    durations = [seconds for _, seconds in entries]
    # HLS BANDWIDTH is the peak per-segment bit rate including container
    # overhead, so it is measured from the files, not taken from -b:v.
    peak = max(size * 8 / seconds for size, seconds in zip(sizes, durations) if seconds > 0)
    average = sum(sizes) * 8 / sum(durations)
    first = playlist.parent / entries[0][0]
    codecs = segment_codecs(first)
    return HlsVariant(
        rendition=rendition,
        playlist=f"{rendition.name}/{PLAYLIST_NAME}",
        bandwidth=int(round(peak)),
        average_bandwidth=int(round(average)),
        codecs=codecs,
        segment_durations=tuple(durations),
    )


def master_order(variants: Sequence[HlsVariant]) -> list[HlsVariant]:
    """Start variant first (players begin with the first listed), then by size."""
    ordered = sorted(variants, key=lambda v: v.bandwidth, reverse=True)
    candidates = [v for v in ordered if min(v.rendition.width, v.rendition.height) >= START_RUNG]
    start = candidates[-1] if candidates else ordered[0]
    return [start] + [v for v in ordered if v is not start]


def write_master_playlist(out_dir: str | os.PathLike[str], variants: Sequence[HlsVariant], fps: float) -> str:
    """Write master.m3u8 and return its name relative to out_dir."""
    lines = ["#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-INDEPENDENT-SEGMENTS"]
    for variant in master_order(variants):
        r = variant.rendition
        attributes = [
            f"BANDWIDTH={variant.bandwidth}",
            f"AVERAGE-BANDWIDTH={variant.average_bandwidth}",
            f"RESOLUTION={r.width}x{r.height}",
            f'CODECS="{variant.codecs}"',
        ]
        if fps > 0:
            attributes.append(f"FRAME-RATE={fps:.3f}")
        lines += ["#EXT-X-STREAM-INF:" + ",".join(attributes), variant.playlist]
    path = Path(out_dir) / MASTER_NAME
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.replace(tmp, path)  # a half-written master would point players at nothing
    return MASTER_NAME


def _clean(out_dir: Path, created_dir: bool, renditions: Sequence[Rendition]) -> None:
    if created_dir:
        shutil.rmtree(out_dir, ignore_errors=True)
        return
    for rendition in renditions:
        shutil.rmtree(out_dir / rendition.name, ignore_errors=True)
    for name in (MASTER_NAME, POSTER_NAME, MASTER_NAME.replace(".m3u8", ".tmp")):
        (out_dir / name).unlink(missing_ok=True)


def transcode_to_hls(
    source_path: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    info: VideoInfo,
    on_progress: ProgressCallback | None = None,
) -> HlsResult:
    """Write the HLS ladder, master playlist and poster for a probed source.

    Everything video comes from one ffmpeg run (`build_ffmpeg_args`); Python
    only parses its progress, reads back what it wrote and writes the master.

    `out_dir` must be empty or absent; on any failure (including an exception
    raised by `on_progress`, which is how a worker cancels a job) everything
    written is removed, so a retry starts clean. `on_progress` receives a
    fraction in [0, 1] that never decreases and ends at 1.0.
    """
    out = Path(out_dir)
    created_dir = not out.exists()
    if not created_dir and any(out.iterdir()):
        raise ValueError(f"output folder is not empty: {out}")
    renditions = plan_ladder(info)
    try:
        prepare_output_dirs(out, renditions)
        _run_with_progress(build_ffmpeg_args(source_path, out, info, renditions), info.duration, on_progress)
        if not (out / POSTER_NAME).is_file():
            raise TranscodeFailed("ffmpeg wrote no poster frame")
        # One small ffprobe per rendition; overlapping them keeps the
        # pipeline's overhead over bare ffmpeg to a fraction of a second.
        with ThreadPoolExecutor(max_workers=len(renditions)) as pool:
            variants = list(pool.map(lambda rendition: _describe_variant(out, rendition), renditions))
        master = write_master_playlist(out, variants, output_fps(info) or info.fps)
        if on_progress:
            on_progress(1.0)
    except ffmpeg.Error as error:
        _clean(out, created_dir, renditions)
        tail = (error.stderr or b"").decode("utf-8", "replace").strip().splitlines()[-5:]
        raise TranscodeFailed("could not inspect the output: " + "\n".join(tail)) from None
    except BaseException:
        _clean(out, created_dir, renditions)
        raise
    return HlsResult(
        master_playlist=master,
        renditions=variants,
        duration=info.duration,
        poster=POSTER_NAME,
    )
