"""Course versions: the draft being edited, copies of the published one, and publishing.

Learners study the version they enrolled in. Editing a published course therefore happens on
a new draft copied from it (modules, readings, quiz settings, skill tasks and the videos they
play), and publishing freezes that draft as the next version: every video module's asset is
pinned then, so a video replaced in a later draft never reaches an enrolled learner.
"""
from __future__ import annotations

from sqlalchemy import select

from lms.accounts.models import User
from lms.admin import audit
from lms.assessments.models import QuizSettings, SkillTask
from lms.catalog.errors import VersionLocked
from lms.catalog.models import Course, CourseStatus, CourseVersion, Module, ModuleKind
from lms.clock import utcnow
from lms.extensions import db
from lms.media.services import playable_asset


def latest_version(course: Course) -> CourseVersion:
    return course.versions[-1]


def draft_version(course: Course) -> CourseVersion:
    """The version being edited: the latest one while it is a draft (or returned by the
    review), else a new draft copied from the published one. Raises VersionLocked while the
    latest version waits for review."""
    latest = latest_version(course)
    if latest.is_editable:
        return latest
    if latest.status == CourseStatus.IN_REVIEW:
        raise VersionLocked()
    return copy_version(latest)


def copy_version(source: CourseVersion) -> CourseVersion:
    """A new draft with a copy of every module of `source` and their settings."""
    version = CourseVersion(course=source.course, number=source.number + 1)
    db.session.add(version)
    db.session.flush()
    settings = {s.module_id: s for s in db.session.scalars(
        select(QuizSettings).join(Module).where(Module.version_id == source.id))}
    tasks = {t.module_id: t for t in db.session.scalars(
        select(SkillTask).join(Module).where(Module.version_id == source.id))}
    for module in source.modules:
        copy = Module(version=version, position=module.position, kind=module.kind,
                      title=module.title, required=module.required,
                      duration_seconds=module.duration_seconds, body=module.body,
                      min_dwell_seconds=module.min_dwell_seconds,
                      video_asset_id=_video_reference(module))
        db.session.add(copy)
        db.session.flush()
        if module.id in settings:
            db.session.add(_copy_settings(settings[module.id], copy))
        if module.id in tasks:
            db.session.add(_copy_task(tasks[module.id], copy))
    db.session.flush()
    audit.record(None, "course.draft_opened", "course", source.course_id,
                 version=version.number, copied_from=source.number)
    return version


def _video_reference(module: Module) -> int | None:
    if module.kind != ModuleKind.VIDEO:
        return None
    asset = playable_asset(module)
    return asset.id if asset is not None else module.video_asset_id


def _copy_settings(source: QuizSettings, module: Module) -> QuizSettings:
    return QuizSettings(module=module, bank_id=source.bank_id, role=source.role,
                        pass_percent=source.pass_percent,
                        attempts_allowed=source.attempts_allowed,
                        time_limit_seconds=source.time_limit_seconds,
                        questions_per_attempt=source.questions_per_attempt,
                        show_answers_after_last=source.show_answers_after_last)


def _copy_task(source: SkillTask, module: Module) -> SkillTask:
    return SkillTask(module=module, instructions=source.instructions,
                     accepted_kinds=source.accepted_kinds, max_mb=source.max_mb,
                     allow_link=source.allow_link)


def publish_version(actor: User | None, version: CourseVersion) -> CourseVersion:
    """Freeze the version as published: pin each video module's playable asset, so later
    uploads to a draft never change what this version's learners watch."""
    if version.status == CourseStatus.PUBLISHED:
        return version
    for module in version.modules:
        if module.kind == ModuleKind.VIDEO:
            asset = playable_asset(module)
            if asset is not None:
                module.video_asset_id = asset.id
                module.duration_seconds = asset.duration_seconds or module.duration_seconds
    now = utcnow()
    course = version.course
    version.status = CourseStatus.PUBLISHED
    version.published_at = now
    version.review_notes = ""
    course.status = CourseStatus.PUBLISHED
    course.published_at = course.published_at or now
    db.session.flush()
    audit.record(actor, "course.published", "course", course.id, version=version.number)
    return version
