"""Factories for the upload side of media: source files (good and broken) made with ffmpeg,
and a provider's course with a video module and the people around it."""
from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from lms.accounts.models import Provider, User
from lms.catalog.models import Course, Module, ModuleKind
from lms.media.clips import make_clip
from tests import factories


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", *args], check=True,
                   capture_output=True, timeout=180)


def clip(path: Path, width: int = 320, height: int = 240, seconds: float = 2.0, fps: int = 25,
         audio: bool = True, preset: str = "ultrafast") -> Path:
    """A real H.264/AAC mp4: ffmpeg's moving test pattern and a tone."""
    return make_clip(path, seconds, width=width, height=height, fps=fps, audio=audio,
                     preset=preset)


def broken_files(folder: Path, good: Path) -> dict[str, Path]:
    """The five refusals of the issue, each as a file named like a video:
    {probe code: path}."""
    folder.mkdir(parents=True, exist_ok=True)
    empty = folder / "empty.mp4"
    empty.write_bytes(b"")
    text = folder / "notes.mp4"
    text.write_text("Modul 1: Pengantar pemasaran digital\nTonton video berikut.\n" * 40)
    picture = folder / "thumbnail.png"
    ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x240", "-frames:v", "1", str(picture))
    image = folder / "thumbnail.mp4"
    image.write_bytes(picture.read_bytes())
    truncated = folder / "cut-off.mp4"
    data = good.read_bytes()
    truncated.write_bytes(data[: len(data) // 2])
    audio = folder / "narration.m4a"
    ffmpeg("-f", "lavfi", "-i", "sine=frequency=300:duration=3", "-c:a", "aac", str(audio))
    return {"empty_file": empty, "not_media": text, "image_not_video": image,
            "truncated": truncated, "no_video_stream": audio}


@dataclass
class VideoWorld:
    provider: Provider
    staff: User
    other_staff: User
    admin: User
    learner: User
    course: Course
    module: Module          # a video module
    reading: Module         # not a video module


def video_world(kinds=(ModuleKind.VIDEO, ModuleKind.READING, ModuleKind.VIDEO)) -> VideoWorld:
    provider = factories.provider()
    course = factories.course(provider, kinds=kinds)
    modules = course.current_version.modules
    learner = factories.learner()
    factories.enrollment(learner, course)
    return VideoWorld(
        provider=provider, staff=factories.staff(provider),
        other_staff=factories.staff(factories.provider()), admin=factories.admin(),
        learner=learner, course=course,
        module=next(m for m in modules if m.kind == ModuleKind.VIDEO),
        reading=next(m for m in modules if m.kind != ModuleKind.VIDEO))
