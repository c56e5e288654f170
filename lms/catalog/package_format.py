"""The `alur-course/1` package format: a zip with `course.json` at its root and the media files
it names. Reading one is pure: every problem is collected (never only the first), as
[{path, message}], before anything is created."""
from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

FORMAT = "alur-course/1"
MAX_ENTRIES = 5000
MAX_RATIO = 200  # uncompressed / compressed: beyond this an entry is treated as a zip bomb
COURSE_KEYS = {"format", "title", "description", "language", "training_type",
               "finish_within_days", "programme_course_code", "modules"}
MODULE_KEYS = {"video": {"kind", "title", "required", "video", "captions"},
               "reading": {"kind", "title", "required", "body_html", "min_seconds"},
               "quiz": {"kind", "title", "required", "quiz"},
               "assignment": {"kind", "title", "required", "task"}}
QUIZ_KEYS = {"role", "pass_percent", "attempts", "time_limit_seconds", "questions"}
QUESTION_KEYS = {"kind", "text", "options"}
OPTION_KEYS = {"text", "correct"}
TASK_KEYS = {"instructions", "allow_link", "kinds", "max_mb"}
VIDEO_EXTENSIONS = (".mp4", ".mov", ".mkv", ".webm", ".m4v")
# A reading's image travels as `images/<sha256>.<ext>`, named so in its body_html's src.
# A stored reading image's name: its SHA-256 and the extension of its format.
IMAGE_NAME = r"[0-9a-f]{64}\.(?:png|jpg|webp|gif)"
IMAGE_SRC = re.compile(rf'src="(images/{IMAGE_NAME})"')


@dataclass
class Problems:
    items: list[dict[str, str]] = field(default_factory=list)

    def add(self, path: str, message: str) -> None:
        self.items.append({"path": path, "message": message})

    def __bool__(self) -> bool:
        return bool(self.items)


def safe_name(name: str) -> bool:
    """A member name that stays inside the package when extracted."""
    if not name or name.startswith("/") or "\\" in name or "\x00" in name:
        return False
    normal = posixpath.normpath(name)
    return not (normal.startswith("..") or normal.startswith("/") or ":" in name.split("/")[0])


def check_archive(archive: zipfile.ZipFile, max_bytes: int, problems: Problems) -> dict[str, zipfile.ZipInfo]:
    """The archive's files by name; names that escape it, bombs and oversize totals are
    problems."""
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        problems.add("", f"The package has more than {MAX_ENTRIES} files.")
    total = 0
    members: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        if info.is_dir():
            continue
        if not safe_name(info.filename):
            problems.add(info.filename, "This file name leaves the package (path traversal).")
            continue
        total += info.file_size
        if info.file_size > MAX_RATIO * max(info.compress_size, 1) and info.file_size > 1 << 20:
            problems.add(info.filename, "This file expands far beyond its packed size "
                                        "(a zip bomb).")
            continue
        members[posixpath.normpath(info.filename)] = info
    if total > max_bytes:
        problems.add("", "The unpacked package is larger than the limit.")
    return members


def _unknown(keys: set[str], allowed: set[str], path: str, problems: Problems) -> None:
    for key in sorted(keys - allowed):
        problems.add(f"{path}.{key}", "Unknown field.")


def _text(value: Any, path: str, problems: Problems, limit: int, required: bool = True) -> None:
    if value is None and not required:
        return
    if not isinstance(value, str) or (required and not value.strip()) or len(value) > limit:
        problems.add(path, f"Text of at most {limit} characters is required.")


def _int(value: Any, path: str, problems: Problems, low: int, high: int,
         nullable: bool = True) -> None:
    if value is None and nullable:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        problems.add(path, f"A whole number from {low} to {high} is required.")


def _file(name: Any, path: str, members: dict, problems: Problems,
          extensions: tuple[str, ...] | None = None) -> None:
    if not isinstance(name, str) or not safe_name(name):
        problems.add(path, "A file name inside the package is required.")
        return
    if posixpath.normpath(name) not in members:
        problems.add(path, f"The package has no file “{name}”.")
    elif extensions and not name.lower().endswith(extensions):
        problems.add(path, f"“{name}” is not a video file.")


def check_course(doc: Any, members: dict, problems: Problems) -> None:
    """Every problem of a parsed course.json against the files present."""
    if not isinstance(doc, dict):
        problems.add("course.json", "course.json must hold a JSON object.")
        return
    _unknown(set(doc), COURSE_KEYS, "course.json", problems)
    if doc.get("format") != FORMAT:
        problems.add("course.json.format", f"The format must be “{FORMAT}”.")
    _text(doc.get("title"), "course.json.title", problems, 200)
    _text(doc.get("description", ""), "course.json.description", problems, 10_000,
          required=False)
    if doc.get("language", "id") not in ("id", "en"):
        problems.add("course.json.language", "The language is “id” or “en”.")
    if doc.get("training_type", "self_paced") not in ("self_paced", "general"):
        problems.add("course.json.training_type", "The training type is “self_paced” or "
                                                  "“general”.")
    _int(doc.get("finish_within_days"), "course.json.finish_within_days", problems, 1, 365)
    _text(doc.get("programme_course_code"), "course.json.programme_course_code", problems, 64,
          required=False)
    modules = doc.get("modules")
    if not isinstance(modules, list) or not modules:
        problems.add("course.json.modules", "A list of modules is required.")
        return
    for index, module in enumerate(modules):
        _check_module(module, f"modules[{index}]", members, problems)


def _check_module(module: Any, path: str, members: dict, problems: Problems) -> None:
    if not isinstance(module, dict) or module.get("kind") not in MODULE_KEYS:
        problems.add(f"{path}.kind", "The kind is video, reading, quiz or assignment.")
        return
    kind = module["kind"]
    _unknown(set(module), MODULE_KEYS[kind], path, problems)
    _text(module.get("title"), f"{path}.title", problems, 200)
    if not isinstance(module.get("required", True), bool):
        problems.add(f"{path}.required", "true or false.")
    if kind == "video":
        if "video" in module:
            _file(module["video"], f"{path}.video", members, problems, VIDEO_EXTENSIONS)
        captions = module.get("captions", {})
        if not isinstance(captions, dict):
            problems.add(f"{path}.captions", "An object of language → caption file.")
        else:
            for language, name in captions.items():
                if language not in ("id", "en"):
                    problems.add(f"{path}.captions.{language}", "Captions are “id” or “en”.")
                _file(name, f"{path}.captions.{language}", members, problems, (".vtt",))
    elif kind == "reading":
        _text(module.get("body_html"), f"{path}.body_html", problems, 200_000)
        if isinstance(module.get("body_html"), str):
            for name in IMAGE_SRC.findall(module["body_html"]):
                _file(name, f"{path}.body_html", members, problems)
        _int(module.get("min_seconds"), f"{path}.min_seconds", problems, 10, 4 * 3600)
    elif kind == "quiz":
        _check_quiz(module.get("quiz"), f"{path}.quiz", problems)
    else:
        task = module.get("task")
        if not isinstance(task, dict):
            problems.add(f"{path}.task", "The skill task's settings are required.")
            return
        _unknown(set(task), TASK_KEYS, f"{path}.task", problems)
        _text(task.get("instructions"), f"{path}.task.instructions", problems, 20_000)
        if not isinstance(task.get("kinds", []), list):
            problems.add(f"{path}.task.kinds", "A list of file kinds.")
        _int(task.get("max_mb"), f"{path}.task.max_mb", problems, 1, 2048)


def _check_quiz(quiz: Any, path: str, problems: Problems) -> None:
    if not isinstance(quiz, dict):
        problems.add(path, "The quiz settings are required.")
        return
    _unknown(set(quiz), QUIZ_KEYS, path, problems)
    if quiz.get("role") not in ("pretest", "quiz", "posttest"):
        problems.add(f"{path}.role", "The role is pretest, quiz or posttest.")
    _int(quiz.get("pass_percent"), f"{path}.pass_percent", problems, 1, 100)
    _int(quiz.get("attempts", 1), f"{path}.attempts", problems, 1, 100, nullable=False)
    _int(quiz.get("time_limit_seconds"), f"{path}.time_limit_seconds", problems, 60, 86_400)
    questions = quiz.get("questions")
    if not isinstance(questions, list) or not questions:
        problems.add(f"{path}.questions", "At least one question is required.")
        return
    for index, question in enumerate(questions):
        qpath = f"{path}.questions[{index}]"
        if not isinstance(question, dict):
            problems.add(qpath, "A question object is required.")
            continue
        _unknown(set(question), QUESTION_KEYS, qpath, problems)
        if question.get("kind") not in ("single", "multiple", "true_false"):
            problems.add(f"{qpath}.kind", "The kind is single, multiple or true_false.")
        _text(question.get("text"), f"{qpath}.text", problems, 5000)
        options = question.get("options")
        if not isinstance(options, list) or len(options) < 2 or not all(
                isinstance(o, dict) and set(o) <= OPTION_KEYS and isinstance(o.get("text"), str)
                and isinstance(o.get("correct"), bool) for o in options):
            problems.add(f"{qpath}.options", "At least two options, each {text, correct}.")
