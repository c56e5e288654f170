"""Loading a course's assessments from a JSON document (until the course editor has pages for
them): question banks, quiz settings and skill tasks, addressed by module position.

    {"banks": {"core": {"title": "...", "questions": [
        {"kind": "single", "text": "...", "options": [["...", true], ["...", false]],
         "explanation": "..."}]}},
     "quizzes": [{"position": 1, "bank": "core", "role": "pretest", "pass_percent": null,
                  "attempts_allowed": 1, "time_limit_seconds": 600,
                  "questions_per_attempt": null, "show_answers_after_last": false}],
     "skill_tasks": [{"position": 8, "instructions": "<p>...</p>",
                      "accepted_kinds": ["pdf", "docx"], "max_mb": 20, "allow_link": true}]}

A bank whose title the course already has is reused as it is (so loading twice does not
duplicate questions); settings are created or replaced.
"""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms.accounts.models import User
from lms.assessments import authoring, files
from lms.assessments.models import QuestionBank
from lms.catalog.models import Course, Module
from lms.errors import Invalid
from lms.extensions import db

QUIZ_KEYS = {"position", "bank", "role", "pass_percent", "attempts_allowed",
             "time_limit_seconds", "questions_per_attempt", "show_answers_after_last"}
TASK_KEYS = {"position", "instructions", "accepted_kinds", "max_mb", "allow_link"}


def _bad(where: str) -> Invalid:
    return Invalid(_l("The assessment file is not valid at %(where)s.", where=where),
                   code="invalid_spec", where=where)


def _dict(value: Any, where: str, keys: set[str] | None = None) -> dict:
    if not isinstance(value, dict) or (keys is not None and not set(value) <= keys):
        raise _bad(where)
    return value


def _list(value: Any, where: str) -> list:
    if not isinstance(value, list):
        raise _bad(where)
    return value


def _int(value: Any, where: str, optional: bool = True) -> int | None:
    if value is None and optional:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise _bad(where)
    return value


def _module(course: Course, position: Any, where: str) -> Module:
    modules = {m.position: m for m in course.versions[-1].modules}
    module = modules.get(_int(position, where, optional=False))
    if module is None:
        raise _bad(where)
    return module


def _options(raw: Any, where: str) -> list[tuple[str, bool]]:
    options = []
    for i, pair in enumerate(_list(raw, where)):
        if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)
                and isinstance(pair[1], bool)):
            raise _bad(f"{where}[{i}]")
        options.append((pair[0], pair[1]))
    return options


def _banks(actor: User | None, course: Course, raw: Any) -> dict[str, QuestionBank]:
    banks = {}
    for key, spec in _dict(raw, "banks").items():
        spec = _dict(spec, f"banks.{key}", {"title", "questions"})
        title = spec.get("title")
        if not isinstance(title, str):
            raise _bad(f"banks.{key}.title")
        bank = db.session.scalar(select(QuestionBank).where(QuestionBank.course_id == course.id,
                                                            QuestionBank.title == title.strip()))
        if bank is None:
            bank = authoring.create_bank(actor, course, title)
            for i, question in enumerate(_list(spec.get("questions"), f"banks.{key}.questions")):
                where = f"banks.{key}.questions[{i}]"
                question = _dict(question, where, {"kind", "text", "options", "explanation"})
                explanation = question.get("explanation", "")
                if not all(isinstance(question.get(k), str) for k in ("kind", "text")) \
                        or not isinstance(explanation, str):
                    raise _bad(where)
                authoring.add_question(actor, bank, question["kind"], question["text"],
                                       _options(question.get("options"), f"{where}.options"),
                                       explanation)
        banks[key] = bank
    return banks


def load_spec(actor: User | None, course: Course, spec: Any) -> dict[str, int]:
    """Apply the document to the course's newest version; returns how many banks, quizzes and
    skill tasks it set. Raises Invalid (invalid_spec, naming where) for a malformed document,
    or the authoring services' errors (NotFound for staff of another provider, Invalid for
    settings out of range). Nothing is kept when it fails: the caller rolls back."""
    spec = _dict(spec, "the top level", {"banks", "quizzes", "skill_tasks"})
    banks = _banks(actor, course, spec.get("banks", {}))
    quizzes = _list(spec.get("quizzes", []), "quizzes")
    for i, quiz in enumerate(quizzes):
        where = f"quizzes[{i}]"
        quiz = _dict(quiz, where, QUIZ_KEYS)
        if quiz.get("bank") not in banks or not isinstance(quiz.get("role"), str) \
                or not isinstance(quiz.get("show_answers_after_last", False), bool):
            raise _bad(where)
        authoring.configure_quiz(
            actor, _module(course, quiz.get("position"), f"{where}.position"),
            banks[quiz["bank"]], role=quiz["role"],
            pass_percent=_int(quiz.get("pass_percent"), f"{where}.pass_percent"),
            attempts_allowed=_int(quiz.get("attempts_allowed", 3), f"{where}.attempts_allowed",
                                  optional=False),
            time_limit_seconds=_int(quiz.get("time_limit_seconds"), f"{where}.time_limit_seconds"),
            questions_per_attempt=_int(quiz.get("questions_per_attempt"),
                                       f"{where}.questions_per_attempt"),
            show_answers_after_last=quiz.get("show_answers_after_last", False))
    tasks = _list(spec.get("skill_tasks", []), "skill_tasks")
    for i, task in enumerate(tasks):
        where = f"skill_tasks[{i}]"
        task = _dict(task, where, TASK_KEYS)
        kinds = _list(task.get("accepted_kinds", list(files.FILE_KINDS)),
                      f"{where}.accepted_kinds")
        if not isinstance(task.get("instructions"), str) \
                or not all(isinstance(k, str) for k in kinds) \
                or not isinstance(task.get("allow_link", True), bool):
            raise _bad(where)
        authoring.configure_skill_task(
            actor, _module(course, task.get("position"), f"{where}.position"),
            task["instructions"], accepted_kinds=kinds,
            max_mb=_int(task.get("max_mb"), f"{where}.max_mb"),
            allow_link=task.get("allow_link", True))
    return {"banks": len(banks), "quizzes": len(quizzes), "skill_tasks": len(tasks)}
