"""The HLS ladder, checked from the outside with ffprobe on what ffmpeg really wrote.

What learners depend on: a quality that fits a weak link (down to 240p),
seamless switching (aligned keyframed segments), playlists their phone's
player accepts (correct CODECS/RESOLUTION), and what the pacing rules depend
on: segment n covers the same media seconds in every rendition.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path

import ffmpeg
import pytest

from lms.media.probe import VideoInfo, probe_video
from lms.media.transcode import (
    HlsResult,
    TranscodeFailed,
    build_ffmpeg_args,
    plan_ladder,
    transcode_to_hls,
)

HEIGHTS = [720, 480, 360, 240]


def _info(width: int, height: int, fps: float = 25.0) -> VideoInfo:
    return VideoInfo(duration=10.0, width=width, height=height, fps=fps, has_audio=True,
                     video_codec="h264")


def _segments(playlist: Path) -> list[tuple[Path, float]]:
    entries, duration = [], None
    for line in playlist.read_text().splitlines():
        if line.startswith("#EXTINF:"):
            duration = float(line[8:].split(",")[0])
        elif line and not line.startswith("#"):
            entries.append((playlist.parent / line, duration))
    return entries


@functools.lru_cache(maxsize=None)
def _first_video_packet(segment: Path) -> dict:
    data = ffmpeg.probe(str(segment), select_streams="v:0", show_packets=None, read_intervals="%+#1")
    return data["packets"][0]


def _master_variants(master: Path) -> list[tuple[dict[str, str], str]]:
    lines = master.read_text().splitlines()
    variants = []
    for index, line in enumerate(lines):
        if line.startswith("#EXT-X-STREAM-INF:"):
            attributes = dict(re.findall(r'([A-Z-]+)=("[^"]*"|[^,]*)', line.partition(":")[2]))
            variants.append(({k: v.strip('"') for k, v in attributes.items()}, lines[index + 1]))
    return variants


# --- the ladder plan (pure) -------------------------------------------------

def test_a_1080p_source_gets_four_rungs_with_16_9_even_widths() -> None:
    ladder = plan_ladder(_info(1920, 1080))
    assert [(r.name, r.width, r.height) for r in ladder] == [
        ("720p", 1280, 720), ("480p", 854, 480), ("360p", 640, 360), ("240p", 426, 240)]
    assert all(a.video_kbps > b.video_kbps for a, b in zip(ladder, ladder[1:]))


def test_a_480p_source_is_never_upscaled_to_720p() -> None:
    assert [r.height for r in plan_ladder(_info(854, 480))] == [480, 360, 240]
    assert [r.width for r in plan_ladder(_info(640, 480))] == [640, 480, 320]  # 4:3 keeps 4:3


def test_a_portrait_phone_clip_keeps_its_orientation() -> None:
    ladder = plan_ladder(_info(1080, 1920))
    assert [(r.width, r.height) for r in ladder] == [(720, 1280), (480, 854), (360, 640), (240, 426)]


def test_a_source_below_240p_gets_one_rendition_at_its_own_even_size() -> None:
    assert [(r.width, r.height) for r in plan_ladder(_info(160, 120))] == [(160, 120)]
    assert [(r.width, r.height) for r in plan_ladder(_info(175, 99))] == [(174, 98)]


@pytest.mark.parametrize("width, height", [(1920, 1080), (1280, 720), (1279, 719), (720, 576),
                                           (640, 360), (426, 240), (300, 200), (1080, 1920)])
def test_no_rendition_is_ever_larger_than_the_source_or_odd(width: int, height: int) -> None:
    for rendition in plan_ladder(_info(width, height)):
        assert rendition.width % 2 == 0 and rendition.height % 2 == 0
        assert min(rendition.width, rendition.height) <= min(width, height)


def test_the_bare_command_is_one_ffmpeg_run_with_aligned_keyframes(tmp_path: Path) -> None:
    args = build_ffmpeg_args("in.mp4", tmp_path, _info(1920, 1080))
    assert args[0] == "ffmpeg" and args.count("-i") == 1
    # four renditions plus the poster frame, all from one decode of the source
    assert args.count("-filter_complex") == 1 and "split=5" in args[args.index("-filter_complex") + 1]
    assert args.count("expr:gte(t,n_forced*6)") == 4
    assert args.count("hls") == 4
    assert args[-1] == str(tmp_path / "poster.jpg")


# --- a real 1080p transcode -------------------------------------------------

@pytest.fixture(scope="module")
def ladder_run(make_clip: Callable[..., Path],
               tmp_path_factory: pytest.TempPathFactory) -> tuple[HlsResult, Path, list[float]]:
    # 10 fps keeps a 14 s 1080p encode to seconds on two cores; segment
    # timing and alignment do not depend on the frame rate.
    source = make_clip(width=1920, height=1080, duration=14.0, fps=10, audio=True)
    out = tmp_path_factory.mktemp("ladder") / "hls"
    progress: list[float] = []
    result = transcode_to_hls(source, out, probe_video(source), progress.append)
    return result, out, progress


def test_four_renditions_at_720_480_360_240(ladder_run: tuple[HlsResult, Path, list[float]]) -> None:
    result, out, _ = ladder_run
    assert [v.rendition.height for v in result.renditions] == HEIGHTS
    for variant in result.renditions:
        first = _segments(out / variant.playlist)[0][0]
        streams = ffmpeg.probe(str(first))["streams"]
        video = next(s for s in streams if s["codec_type"] == "video")
        audio = next(s for s in streams if s["codec_type"] == "audio")
        assert (video["width"], video["height"]) == (variant.rendition.width, variant.rendition.height)
        assert video["codec_name"] == "h264" and video["pix_fmt"] == "yuv420p"
        assert audio["codec_name"] == "aac"


def test_master_playlist_advertises_real_codecs_and_resolutions(
        ladder_run: tuple[HlsResult, Path, list[float]]) -> None:
    result, out, _ = ladder_run
    variants = _master_variants(out / result.master_playlist)
    assert sorted(int(a["RESOLUTION"].split("x")[1]) for a, _ in variants) == sorted(HEIGHTS)
    # Weak links first: players start with the first variant listed.
    assert variants[0][0]["RESOLUTION"] == "640x360"
    for attributes, uri in variants:
        assert (out / uri).is_file()
        assert int(attributes["BANDWIDTH"]) >= int(attributes["AVERAGE-BANDWIDTH"]) > 0
        video = ffmpeg.probe(str(_segments(out / uri)[0][0]), select_streams="v:0")["streams"][0]
        assert attributes["RESOLUTION"] == f"{video['width']}x{video['height']}"
        avc, aac = attributes["CODECS"].split(",")
        assert avc == f"avc1.64{avc[7:9]}{video['level']:02x}" and video["profile"] == "High"
        assert aac == "mp4a.40.2"
    low = next(a for a, _ in variants if a["RESOLUTION"] == "426x240")
    assert int(low["BANDWIDTH"]) < 400_000  # 240p must fit a weak 3G link


def test_segments_are_six_seconds_and_start_on_a_keyframe(
        ladder_run: tuple[HlsResult, Path, list[float]]) -> None:
    result, out, _ = ladder_run
    for variant in result.renditions:
        segments = _segments(out / variant.playlist)
        assert len(segments) == 3
        starts = []
        for path, extinf in segments:
            packet = _first_video_packet(path)
            assert "K" in packet["flags"], f"{path} does not start with a keyframe"
            starts.append(float(packet["pts_time"]))
        measured = [b - a for a, b in zip(starts, starts[1:])]
        for seconds in measured + [extinf for _, extinf in segments[:-1]]:
            assert seconds == pytest.approx(6.0, abs=0.5)
        assert sum(extinf for _, extinf in segments) == pytest.approx(14.0, abs=0.5)


def test_segment_boundaries_line_up_across_renditions(
        ladder_run: tuple[HlsResult, Path, list[float]]) -> None:
    result, out, _ = ladder_run
    timelines = []
    for variant in result.renditions:
        timelines.append([float(_first_video_packet(path)["pts_time"])
                          for path, _ in _segments(out / variant.playlist)])
    for timeline in timelines[1:]:
        assert timeline == pytest.approx(timelines[0], abs=0.05)
    assert len({v.segment_durations for v in result.renditions}) == 1


def test_progress_only_moves_forward_and_finishes(ladder_run: tuple[HlsResult, Path, list[float]]) -> None:
    _, _, progress = ladder_run
    assert len(progress) >= 3
    assert all(0.0 <= p <= 1.0 for p in progress)
    assert progress == sorted(progress)
    assert progress[-1] >= 0.99


def test_poster_is_a_jpeg_at_the_top_rendition_size(ladder_run: tuple[HlsResult, Path, list[float]]) -> None:
    result, out, _ = ladder_run
    poster = out / result.poster
    assert poster.read_bytes()[:3] == b"\xff\xd8\xff"
    stream = ffmpeg.probe(str(poster))["streams"][0]
    assert (stream["width"], stream["height"]) == (1280, 720)


# --- other sources and failures --------------------------------------------

def test_a_silent_480p_source_gets_no_720p_and_audio_everywhere(
        make_clip: Callable[..., Path], tmp_path: Path) -> None:
    source = make_clip(width=854, height=480, duration=4.0, fps=10, audio=False)
    result = transcode_to_hls(source, tmp_path / "hls", probe_video(source))
    assert [v.rendition.height for v in result.renditions] == [480, 360, 240]
    assert not (tmp_path / "hls" / "720p").exists()
    assert "720" not in (tmp_path / "hls" / "master.m3u8").read_text()
    for variant in result.renditions:
        first = _segments(tmp_path / "hls" / variant.playlist)[0][0]
        kinds = {s["codec_type"] for s in ffmpeg.probe(str(first))["streams"]}
        assert kinds == {"video", "audio"}  # players stall when switching to a variant without audio


def test_a_failed_transcode_says_why_and_leaves_nothing(tmp_path: Path) -> None:
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"this is not a video at all" * 100)
    out = tmp_path / "hls"
    with pytest.raises(TranscodeFailed) as caught:
        transcode_to_hls(broken, out, _info(640, 360))
    assert "Invalid data" in caught.value.message
    assert not out.exists()


def test_a_cancelled_transcode_stops_and_cleans_up(make_clip: Callable[..., Path], tmp_path: Path) -> None:
    source = make_clip(width=854, height=480, duration=4.0, fps=10, audio=False)
    out = tmp_path / "hls"
    out.mkdir()

    class Cancelled(Exception):
        pass

    def cancel(_: float) -> None:
        raise Cancelled

    with pytest.raises(Cancelled):
        transcode_to_hls(source, out, probe_video(source), cancel)
    assert list(out.iterdir()) == []
