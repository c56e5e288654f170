"""The programme's checks before a course is reviewed: pure rules over facts about a version.

A `self_paced` course needs at least SPL_MIN_VIDEO_HOURS of ready video, a pre-test first, and
a post-test and a skill task after its last content module. Every course needs modules, every
video transcoded, every quiz and skill task set up. Captions are recommended, not required.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from lms.catalog.models import ModuleKind, TrainingType

CONTENT_KINDS = (ModuleKind.VIDEO, ModuleKind.READING)


@dataclass(frozen=True)
class ModuleFacts:
    kind: str
    title: str
    video_ready: bool = False  # videos: a transcoded video plays
    video_seconds: float = 0.0
    has_captions: bool = False
    quiz_role: str | None = None  # quizzes: None until its settings are saved
    task_ready: bool = False  # skill tasks: instructions saved


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    blocking: bool = True

    def as_dict(self) -> dict:
        return {"code": self.code, "message": str(self.message)}


def _hours(seconds: float) -> str:
    return f"{seconds / 3600:.2f}".rstrip("0").rstrip(".")


def ready_video_seconds(modules: list[ModuleFacts]) -> float:
    return sum(m.video_seconds for m in modules if m.kind == ModuleKind.VIDEO and m.video_ready)


def check(modules: list[ModuleFacts], training_type: str, min_video_hours: float) -> list[Problem]:
    """Every problem found, blocking ones first in module order, then the warnings."""
    problems: list[Problem] = []
    if not modules:
        return [Problem("no_modules", _l("Add the course's modules."))]
    for m in modules:
        if m.kind == ModuleKind.VIDEO and not m.video_ready:
            problems.append(Problem("media_not_ready", _l(
                "“%(title)s” has no transcoded video yet: upload it and wait until it is "
                "ready.", title=m.title)))
        if m.kind == ModuleKind.QUIZ and m.quiz_role is None:
            problems.append(Problem("quiz_not_configured", _l(
                "“%(title)s” has no question bank and settings yet.", title=m.title)))
        if m.kind == ModuleKind.ASSIGNMENT and not m.task_ready:
            problems.append(Problem("skill_task_not_configured", _l(
                "“%(title)s” has no instructions yet.", title=m.title)))
    if training_type == TrainingType.SELF_PACED:
        problems += _programme_rules(modules, min_video_hours)
    problems += [Problem("captions_missing", _l(
        "“%(title)s” has no captions. Captions are recommended: many learners watch "
        "without sound.", title=m.title), blocking=False)
        for m in modules if m.kind == ModuleKind.VIDEO and m.video_ready and not m.has_captions]
    return problems


def _programme_rules(modules: list[ModuleFacts], min_video_hours: float) -> list[Problem]:
    problems = []
    seconds = ready_video_seconds(modules)
    if seconds < min_video_hours * 3600:
        problems.append(Problem("video_hours_below_minimum", _l(
            "A self-paced course needs at least %(min)s hours of ready video; this one has "
            "%(has)s.", min=_hours(min_video_hours * 3600), has=_hours(seconds))))
    first = modules[0]
    if not (first.kind == ModuleKind.QUIZ and first.quiz_role == "pretest"):
        problems.append(Problem("no_pretest", _l(
            "The first module must be the pre-test (a quiz set up as a pre-test).")))
    content = [i for i, m in enumerate(modules) if m.kind in CONTENT_KINDS]
    after = modules[(content[-1] + 1) if content else 0:]
    if not any(m.kind == ModuleKind.QUIZ and m.quiz_role == "posttest" for m in after):
        problems.append(Problem("no_posttest", _l(
            "Add a post-test after the last video or reading.")))
    if not any(m.kind == ModuleKind.ASSIGNMENT for m in after):
        problems.append(Problem("no_skill_task", _l(
            "Add the skill task (unjuk keterampilan) after the last video or reading.")))
    return problems


def blocking(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.blocking]


def warnings(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if not p.blocking]
