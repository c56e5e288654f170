"""Importing and exporting course packages (`alur-course/1`, see package_format).

An import is checked whole before anything is created (every problem listed); the course is
then built through the same services as the studio pages, so the same rules hold, and its
videos are queued for transcoding. An export writes the draft or a published version in the
same format; importing it elsewhere gives the same course.
"""
from __future__ import annotations

import hashlib
import io
import json
import posixpath
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, BinaryIO

from flask import current_app
from sqlalchemy import select

from lms.accounts.models import User
from lms.admin import audit
from lms.assessments import authoring
from lms.assessments.models import Question, QuizSettings, SkillTask
from lms.catalog import reading_images, services
from lms.catalog.errors import InvalidPackage, PackageTooLarge
from lms.catalog.models import Course, CourseVersion, Module, ModuleKind
from lms.catalog.package_format import (FORMAT, IMAGE_SRC, Problems, check_archive,
                                        check_course)
from lms.errors import AlurError, Invalid, NotFound
from lms.extensions import db
from lms.media.storage import current_storage
from lms.media import caption_tracks, services as media
from lms.media.probe import InvalidMedia, VideoInfo, probe_video
from lms.permissions import catalog as rules


PROBE_WORKERS = 4


def max_bytes() -> int:
    return int(current_app.config.get("PACKAGE_MAX_MB", 4096)) * 1024 * 1024


def _refuse(problems: Problems) -> InvalidPackage:
    return InvalidPackage(problems=problems.items)


def import_package(actor: User, stream: BinaryIO | None) -> Course:
    """A new draft course of the actor's provider from a package. Raises Forbidden for
    learners, Invalid (no_provider), PackageTooLarge (413) and InvalidPackage (422) with
    every problem; on any refusal nothing is created."""
    rules.ensure_staff(actor)
    if actor.provider is None:
        raise Invalid("Only staff of a training provider import courses.", code="no_provider")
    if stream is None:
        raise _refuse(_one("package", "Attach the package as the field “package”."))
    with media.work_dir() as folder:
        archive_path = folder / "package.zip"
        _save_limited(stream, archive_path, max_bytes())
        problems = Problems()
        try:
            archive = zipfile.ZipFile(archive_path)
        except (zipfile.BadZipFile, OSError):
            raise _refuse(_one("package", "The package is not a zip file.")) from None
        with archive:
            members = check_archive(archive, max_bytes(), problems)
            doc = _course_json(archive, members, problems)
            if doc is not None:
                check_course(doc, members, problems)
            if problems:
                raise _refuse(problems)
            videos = _extract_videos(archive, members, doc, folder, problems)
            if problems:
                raise _refuse(problems)
            course = _build(actor, doc, archive, members, videos, problems)
    if problems:
        raise _refuse(problems)
    audit.record(actor, "course.imported", "course", course.id, modules=len(doc["modules"]),
                 questions=sum(len(m["quiz"]["questions"]) for m in doc["modules"]
                               if m["kind"] == "quiz"))
    return course


def _one(path: str, message: str) -> Problems:
    problems = Problems()
    problems.add(path, message)
    return problems


def _save_limited(stream: BinaryIO, target: Path, limit: int) -> None:
    written = 0
    with target.open("wb") as out:
        while chunk := stream.read(1 << 20):
            written += len(chunk)
            if written > limit:
                raise PackageTooLarge()
            out.write(chunk)


def _course_json(archive: zipfile.ZipFile, members: dict, problems: Problems) -> Any:
    if "course.json" not in members:
        problems.add("course.json", "The package has no course.json at its root.")
        return None
    try:
        return json.loads(archive.read(members["course.json"]).decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        problems.add("course.json", "course.json is not valid JSON.")
        return None


def _extract_videos(archive: zipfile.ZipFile, members: dict, doc: dict, folder: Path,
                    problems: Problems) -> dict[int, tuple[Path, VideoInfo]]:
    """Each video module's file, extracted and probed: a file that is not a video is a
    problem. Files with the same bytes are probed once (packages often repeat an intro or a
    stand-in clip, and each ffprobe is a process start), distinct ones several at a time."""
    targets: dict[int, Path] = {}
    same_bytes: dict[str, list[int]] = {}
    for index, module in enumerate(doc["modules"]):
        if module["kind"] != "video" or "video" not in module:
            continue
        name = posixpath.normpath(module["video"])
        target = folder / f"video-{index}{posixpath.splitext(name)[1].lower()}"
        digest = hashlib.sha256()
        with archive.open(members[name]) as source, target.open("wb") as out:
            while chunk := source.read(1 << 20):
                digest.update(chunk)
                out.write(chunk)
        targets[index] = target
        # The extension is part of the key: ffprobe may use it to pick the demuxer.
        same_bytes.setdefault(f"{digest.hexdigest()}{target.suffix}", []).append(index)
    firsts = [indexes[0] for indexes in same_bytes.values()]
    with ThreadPoolExecutor(max_workers=PROBE_WORKERS) as pool:
        probed = dict(zip(firsts, pool.map(_probe_quietly, [targets[i] for i in firsts])))
    results = {index: probed[indexes[0]]
               for indexes in same_bytes.values() for index in indexes}
    videos = {}
    for index in sorted(results):
        result = results[index]
        if isinstance(result, InvalidMedia):
            problems.add(f"modules[{index}].video", f"“{doc['modules'][index]['video']}” is "
                                                     f"not a usable video: {result.message}")
        else:
            videos[index] = (targets[index], result)
    return videos


def _probe_quietly(path: Path) -> VideoInfo | InvalidMedia:
    try:
        return probe_video(path)
    except InvalidMedia as error:
        return error


def _build(actor: User, doc: dict, archive: zipfile.ZipFile, members: dict,
           videos: dict[int, tuple[Path, VideoInfo]], problems: Problems) -> Course:
    course = services.create_course(
        actor, actor.provider, None, doc["title"], doc.get("description", ""),
        doc.get("training_type", "self_paced"), language=doc.get("language", "id"),
        finish_within_days=doc.get("finish_within_days"),
        programme_course_code=doc.get("programme_course_code"))
    images = _store_images(doc, archive, members, problems)
    created = []
    for spec in doc["modules"]:
        body = reading_images.from_package(spec.get("body_html", ""), course.id, images)
        created.append(services.add_module(
            actor, course, spec["kind"], spec["title"], required=spec.get("required", True),
            body=body, min_dwell_seconds=spec.get("min_seconds")))
    for index, (spec, module) in enumerate(zip(doc["modules"], created)):
        try:
            _fill(actor, course, spec, module, archive, members, videos.get(index))
        except AlurError as error:
            problems.add(f"modules[{index}]", str(error.message))
    return course


def _store_images(doc: dict, archive: zipfile.ZipFile, members: dict,
                  problems: Problems) -> dict[str, str]:
    """Store every image the readings name; package file → name in storage."""
    stored: dict[str, str] = {}
    for index, spec in enumerate(doc["modules"]):
        for name in IMAGE_SRC.findall(spec.get("body_html", "") if spec["kind"] == "reading"
                                      else ""):
            if name in stored:
                continue
            try:
                stored[name] = reading_images.store(
                    archive.read(members[posixpath.normpath(name)]))
            except AlurError as error:
                problems.add(f"modules[{index}].body_html", f"{name}: {error.message}")
    return stored


def _fill(actor: User, course: Course, spec: dict, module: Module, archive: zipfile.ZipFile,
          members: dict, video: tuple[Path, VideoInfo] | None) -> None:
    if spec["kind"] == "quiz":
        quiz = spec["quiz"]
        bank = authoring.create_bank(actor, course, spec["title"])
        authoring.add_questions(actor, bank, [
            authoring.NewQuestion(question["kind"], question["text"],
                                  [(o["text"], o["correct"]) for o in question["options"]])
            for question in quiz["questions"]])
        authoring.configure_quiz(actor, module, bank, role=quiz["role"],
                                 pass_percent=quiz.get("pass_percent"),
                                 attempts_allowed=quiz.get("attempts", 1),
                                 time_limit_seconds=quiz.get("time_limit_seconds"))
    elif spec["kind"] == "assignment":
        task = spec["task"]
        authoring.configure_skill_task(actor, module, task["instructions"],
                                       accepted_kinds=task.get("kinds", []),
                                       max_mb=task.get("max_mb"),
                                       allow_link=task.get("allow_link", True))
    elif spec["kind"] == "video" and video is not None:
        path, info = video
        with path.open("rb") as handle:
            asset = media.receive_upload(actor, module, posixpath.basename(spec["video"]),
                                         handle, probed=info)
        for language, name in sorted(spec.get("captions", {}).items()):
            data = archive.read(members[posixpath.normpath(name)])
            caption_tracks.store_captions(actor, asset, language, io.BytesIO(data))


# --- export ---------------------------------------------------------------------------------

def version_for(course: Course, number: int | None) -> CourseVersion:
    """The draft (latest version) or the published version `number`. Raises NotFound."""
    if number is None:
        return course.versions[-1]
    version = next((v for v in course.versions if v.number == number and v.published_at), None)
    if version is None:
        raise NotFound("No such published version.", code="version_not_found")
    return version


def course_document(course: Course, version: CourseVersion) -> tuple[dict, dict[str, str]]:
    """course.json for the version, and the storage key of every media file it names."""
    files: dict[str, str] = {}
    ids = [m.id for m in version.modules]
    settings = {s.module_id: s for s in db.session.scalars(
        select(QuizSettings).where(QuizSettings.module_id.in_(ids)))} if ids else {}
    tasks = {t.module_id: t for t in db.session.scalars(
        select(SkillTask).where(SkillTask.module_id.in_(ids)))} if ids else {}
    modules = []
    for m in version.modules:
        entry: dict[str, Any] = {"kind": m.kind, "title": m.title}
        if not m.required:
            entry["required"] = False
        if m.kind == ModuleKind.VIDEO:
            _video_entry(m, entry, files)
        elif m.kind == ModuleKind.READING:
            entry["body_html"], images = reading_images.to_package(m.body)
            files.update(images)
            entry["min_seconds"] = m.min_dwell_seconds
        elif m.kind == ModuleKind.QUIZ and m.id in settings:
            entry["quiz"] = _quiz_entry(settings[m.id])
        elif m.kind == ModuleKind.ASSIGNMENT and m.id in tasks:
            t = tasks[m.id]
            entry["task"] = {"instructions": t.instructions, "allow_link": t.allow_link,
                             "kinds": t.kinds, "max_mb": t.max_mb}
        modules.append(entry)
    doc = {"format": FORMAT, "title": course.title, "description": course.description,
           "language": course.language, "training_type": course.training_type,
           "finish_within_days": course.finish_within_days,
           "programme_course_code": course.programme_course_code, "modules": modules}
    return doc, files


def _video_entry(module: Module, entry: dict, files: dict[str, str]) -> None:
    asset = media.playable_asset(module) or next(iter(media.module_assets(module)), None)
    if asset is None or not asset.source_key:
        return
    extension = posixpath.splitext(asset.source_key)[1].lower() or ".mp4"
    name = f"media/module-{module.position:03d}{extension}"
    entry["video"] = name
    files[name] = asset.source_key
    if asset.captions:
        entry["captions"] = {}
        for caption in asset.captions:
            caption_name = f"media/module-{module.position:03d}.{caption.language}.vtt"
            entry["captions"][caption.language] = caption_name
            files[caption_name] = caption.storage_key


def _quiz_entry(settings: QuizSettings) -> dict:
    questions = db.session.scalars(select(Question).where(
        Question.bank_id == settings.bank_id, Question.active).order_by(Question.position))
    return {"role": settings.role, "pass_percent": settings.pass_percent,
            "attempts": settings.attempts_allowed,
            "time_limit_seconds": settings.time_limit_seconds,
            "questions": [{"kind": q.kind, "text": q.text,
                           "options": [{"text": o.text, "correct": o.is_correct}
                                       for o in q.options]} for q in questions]}


def export_package(actor: User, course: Course, number: int | None = None) -> bytes:
    """The package of the draft or published version `number`. Raises Forbidden /
    CourseNotFound and NotFound (version_not_found)."""
    rules.ensure_may_author(actor, course)
    doc, files = course_document(course, version_for(course, number))
    out = io.BytesIO()
    store = current_storage()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("course.json", json.dumps(doc, ensure_ascii=False, indent=1))
        for name, key in sorted(files.items()):
            source = store.open(key)
            try:
                with archive.open(name, "w") as target:
                    while chunk := source.read(1 << 20):
                        target.write(chunk)
            finally:
                source.close()
    return out.getvalue()
