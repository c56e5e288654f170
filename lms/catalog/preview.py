"""What the studio shows of each module: its set-up state in the module list, and the
learner's-eye preview (read only: a preview opens no session and records no progress)."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from lms.assessments.models import Question, QuizSettings, SkillTask
from lms.catalog.models import CourseVersion, Module, ModuleKind
from lms.extensions import db
from lms.media.models import VideoAsset
from lms.media.services import playable_asset

PREVIEW_QUESTIONS = 50


@dataclass(frozen=True)
class ModuleRow:
    module: Module
    ready: bool  # set up: a playable video, quiz settings, a skill task, reading text
    video: VideoAsset | None = None
    latest_upload: VideoAsset | None = None  # the newest upload, while it is not ready yet
    inherited: bool = False  # the video comes from the version this draft was copied from
    quiz: QuizSettings | None = None


def module_rows(version: CourseVersion) -> list[ModuleRow]:
    ids = [m.id for m in version.modules]
    settings = {s.module_id: s for s in db.session.scalars(
        select(QuizSettings).where(QuizSettings.module_id.in_(ids)))} if ids else {}
    tasks = set(db.session.scalars(select(SkillTask.module_id).where(
        SkillTask.module_id.in_(ids)))) if ids else set()
    newest = dict(db.session.execute(
        select(VideoAsset.module_id, func.max(VideoAsset.id))
        .where(VideoAsset.module_id.in_(ids)).group_by(VideoAsset.module_id)).all()) \
        if ids else {}
    rows = []
    for m in version.modules:
        if m.kind == ModuleKind.VIDEO:
            asset = playable_asset(m)
            latest = db.session.get(VideoAsset, newest[m.id]) if m.id in newest else None
            rows.append(ModuleRow(m, asset is not None, asset,
                                  latest if latest is not None and not latest.is_ready else None,
                                  inherited=asset is not None and asset.module_id != m.id))
        elif m.kind == ModuleKind.QUIZ:
            rows.append(ModuleRow(m, m.id in settings, quiz=settings.get(m.id)))
        elif m.kind == ModuleKind.ASSIGNMENT:
            rows.append(ModuleRow(m, m.id in tasks))
        else:
            rows.append(ModuleRow(m, bool((m.body or "").strip())))
    return rows


@dataclass(frozen=True)
class Preview:
    kind: str
    video: VideoAsset | None = None
    quiz: QuizSettings | None = None
    questions: list[Question] = field(default_factory=list)
    task: SkillTask | None = None


def module_preview(module: Module) -> Preview:
    """The module as a learner would see it, without the correct answers of a quiz."""
    if module.kind == ModuleKind.VIDEO:
        return Preview(module.kind, video=playable_asset(module))
    if module.kind == ModuleKind.QUIZ:
        settings = db.session.scalar(select(QuizSettings).where(
            QuizSettings.module_id == module.id))
        questions = list(db.session.scalars(
            select(Question).where(Question.bank_id == settings.bank_id, Question.active)
            .order_by(Question.position).limit(PREVIEW_QUESTIONS))) if settings else []
        return Preview(module.kind, quiz=settings, questions=questions)
    if module.kind == ModuleKind.ASSIGNMENT:
        return Preview(module.kind, task=db.session.scalar(
            select(SkillTask).where(SkillTask.module_id == module.id)))
    return Preview(module.kind)
