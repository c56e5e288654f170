"""Upload validation with real ffprobe: each way an upload goes wrong has its own answer.

The provider sees the message right after uploading, so a wrong code means
wrong advice ("upload a video" to someone whose video was merely cut off).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from lms.media import probe
from lms.media.probe import InvalidMedia, VideoInfo, probe_video


def _halve(source: Path, target: Path) -> Path:
    data = source.read_bytes()
    target.write_bytes(data[: len(data) // 2])
    return target


def _ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", *args], check=True,
                   capture_output=True, timeout=60)


def _invalid_code(path: Path) -> str:
    with pytest.raises(InvalidMedia) as caught:
        probe_video(path)
    return caught.value.code


def test_an_empty_file_is_reported_as_empty(tmp_path: Path) -> None:
    empty = tmp_path / "lesson.mp4"
    empty.write_bytes(b"")
    assert _invalid_code(empty) == "empty_file"


@pytest.mark.parametrize("name", ["lesson.mp4", "notes.txt"])
def test_a_text_file_is_not_media_whatever_its_name(tmp_path: Path, name: str) -> None:
    text = tmp_path / name
    text.write_text("Modul 1: Pengantar\nSilakan tonton video berikut.\n" * 20)
    assert _invalid_code(text) == "not_media"


@pytest.mark.parametrize("encoder_suffix", [".png", ".jpg"])
def test_a_picture_renamed_to_mp4_is_recognised_as_a_picture(tmp_path: Path, encoder_suffix: str) -> None:
    picture = tmp_path / f"thumb{encoder_suffix}"
    _ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x240", "-frames:v", "1", str(picture))
    renamed = tmp_path / "lesson.mp4"
    shutil.copy(picture, renamed)
    assert _invalid_code(picture) == "image_not_video"
    assert _invalid_code(renamed) == "image_not_video"


@pytest.mark.parametrize("faststart", [False, True], ids=["index-at-end", "index-at-start"])
def test_an_mp4_cut_in_half_is_truncated(make_clip: Callable[..., Path], tmp_path: Path,
                                         faststart: bool) -> None:
    # With the index at the end it is simply lost; with "faststart" the
    # header survives and only decoding the missing tail reveals the damage.
    clip = make_clip(width=320, height=240, duration=6.0, faststart=faststart)
    assert _invalid_code(_halve(clip, tmp_path / "cut.mp4")) == "truncated"


def test_an_mkv_cut_in_half_is_truncated(make_clip: Callable[..., Path], tmp_path: Path) -> None:
    mkv = tmp_path / "whole.mkv"
    _ffmpeg("-i", str(make_clip(duration=6.0)), "-c", "copy", str(mkv))
    assert _invalid_code(_halve(mkv, tmp_path / "cut.mkv")) == "truncated"


def test_audio_only_has_no_video_stream(tmp_path: Path) -> None:
    audio = tmp_path / "narration.m4a"
    _ffmpeg("-f", "lavfi", "-i", "sine=frequency=300:duration=3", "-c:a", "aac", str(audio))
    assert _invalid_code(audio) == "no_video_stream"


def test_audio_with_cover_art_still_has_no_video_stream(tmp_path: Path) -> None:
    cover = tmp_path / "cover.png"
    _ffmpeg("-f", "lavfi", "-i", "testsrc2=size=200x200", "-frames:v", "1", str(cover))
    audio = tmp_path / "podcast.m4a"
    _ffmpeg("-f", "lavfi", "-i", "sine=duration=3", "-i", str(cover), "-map", "0:a", "-map", "1:v",
            "-c:a", "aac", "-c:v", "png", "-disposition:v", "attached_pic", str(audio))
    assert _invalid_code(audio) == "no_video_stream"


def test_every_code_has_its_own_plain_english_message() -> None:
    codes = ["empty_file", "not_media", "image_not_video", "truncated", "no_video_stream"]
    messages = [InvalidMedia(code).message for code in codes]
    assert len(set(messages)) == len(codes)
    assert InvalidMedia("truncated").message == probe.MSG_TRUNCATED
    assert all(message.endswith(".") and len(message) > 30 for message in messages)


def test_a_valid_clip_reports_its_duration_size_and_streams(make_clip: Callable[..., Path]) -> None:
    info = probe_video(make_clip(width=320, height=240, duration=3.0, fps=25, audio=True))
    assert isinstance(info, VideoInfo)
    assert info.duration == pytest.approx(3.0, abs=0.1)
    assert (info.width, info.height) == (320, 240)
    assert info.fps == pytest.approx(25.0)
    assert info.has_audio is True
    assert info.video_codec == "h264"


def test_a_silent_clip_is_valid_and_says_it_has_no_audio(make_clip: Callable[..., Path]) -> None:
    info = probe_video(make_clip(width=640, height=360, duration=2.0, audio=False))
    assert (info.width, info.height, info.has_audio) == (640, 360, False)


def test_a_phone_clip_flagged_as_rotated_reports_its_upright_size(
        make_clip: Callable[..., Path], tmp_path: Path) -> None:
    rotated = tmp_path / "portrait.mp4"
    _ffmpeg("-i", str(make_clip(width=320, height=240, duration=2.0)), "-c", "copy",
            "-metadata:s:v:0", "rotate=90", str(rotated))
    info = probe_video(rotated)
    assert (info.width, info.height) == (240, 320)
