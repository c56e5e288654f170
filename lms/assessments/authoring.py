"""Authoring assessments: question banks, quiz settings and skill-task instructions.

Every change is a provider decision, so each writes an audit entry. `actor=None` is the
operator at the command line (or the demo seed).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import nh3
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from lms import permissions
from lms.accounts.models import User
from lms.admin import audit
from lms.assessments import files, rules
from lms.assessments.models import (Question, QuestionBank, QuestionOption, QuizRole,
                                    QuizSettings, SkillTask)
from lms.catalog.models import Course, Module, ModuleKind
from lms.errors import Invalid
from lms.extensions import db

MAX_TEXT = 5000
CONTENT_KINDS = (ModuleKind.VIDEO, ModuleKind.READING)


def _ensure_manages(actor: User | None, course: Course) -> None:
    if actor is not None:
        permissions.ensure_may_manage_course(actor, course)


def create_bank(actor: User | None, course: Course, title: str) -> QuestionBank:
    """A new, empty question bank of the course. Raises NotFound for staff of another
    provider, Invalid for an empty title."""
    _ensure_manages(actor, course)
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise Invalid(_l("Give the bank a title of at most 200 characters."),
                      code="invalid_title")
    bank = QuestionBank(course=course, title=title)
    db.session.add(bank)
    db.session.flush()
    audit.record(actor, "question_bank.created", "question_bank", bank.id, course=course.slug)
    return bank


@dataclass(frozen=True)
class NewQuestion:
    kind: str
    text: str
    options: Sequence[tuple[str, bool]]  # (text, is_correct)
    explanation: str = ""


def _checked(question: NewQuestion) -> NewQuestion:
    """The question with its texts trimmed. Raises Invalid when the options do not fit the
    kind (see rules.check_question) or a text is empty or too long."""
    text = (question.text or "").strip()
    explanation = question.explanation or ""
    if not text or len(text) > MAX_TEXT or len(explanation) > MAX_TEXT \
            or any(len(t) > MAX_TEXT for t, _ in question.options):
        raise Invalid(_l("Write the question (at most %(n)d characters).", n=MAX_TEXT),
                      code="invalid_text")
    rules.check_question(question.kind, question.options)
    return NewQuestion(question.kind, text, question.options, explanation.strip())


def _append(bank: QuestionBank, questions: Sequence[NewQuestion]) -> list[Question]:
    position = db.session.scalar(select(func.max(Question.position))
                                 .where(Question.bank_id == bank.id)) or 0
    added = []
    for offset, q in enumerate(questions, start=1):
        question = Question(bank=bank, position=position + offset, kind=q.kind, text=q.text,
                            explanation=q.explanation)
        question.options = [QuestionOption(position=i, text=t.strip(), is_correct=bool(correct))
                            for i, (t, correct) in enumerate(q.options, start=1)]
        added.append(question)
    db.session.add_all(added)
    db.session.flush()
    return added


def add_question(actor: User | None, bank: QuestionBank, kind: str, text: str,
                 options: Sequence[tuple[str, bool]], explanation: str = "") -> Question:
    """Append a question with its options (text, is_correct). Raises NotFound for staff of
    another provider and Invalid when the options do not fit the kind (see
    rules.check_question) or a text is empty or too long."""
    _ensure_manages(actor, bank.course)
    question, = _append(bank, [_checked(NewQuestion(kind, text, options, explanation))])
    audit.record(actor, "question.added", "question", question.id, bank=bank.id, kind=kind)
    return question


def add_questions(actor: User | None, bank: QuestionBank,
                  questions: Sequence[NewQuestion]) -> list[Question]:
    """Append many questions at once (a course package's bank): the same checks as
    add_question, all or none, written in one flush and recorded as one audit entry (one
    decision: the bank's questions as the package brings them). Raises as add_question."""
    _ensure_manages(actor, bank.course)
    added = _append(bank, [_checked(q) for q in questions])
    if added:
        audit.record(actor, "questions.added", "question_bank", bank.id, count=len(added),
                     first=added[0].id, last=added[-1].id)
    return added


def retire_question(actor: User | None, question: Question) -> None:
    """Stop drawing the question in new attempts; attempts that used it keep it."""
    _ensure_manages(actor, question.bank.course)
    question.active = False
    audit.record(actor, "question.retired", "question", question.id)


def configure_quiz(actor: User | None, module: Module, bank: QuestionBank, *, role: str,
                   pass_percent: int | None, attempts_allowed: int = 3,
                   time_limit_seconds: int | None = None,
                   questions_per_attempt: int | None = None,
                   show_answers_after_last: bool = False) -> QuizSettings:
    """Create or update a quiz module's settings.

    Raises NotFound for staff of another provider, Invalid for a module that is not a quiz,
    a bank of another course, settings out of range (rules.check_quiz_settings) or a pre-test
    after content / post-test before content (rules.check_role_position).
    """
    course = module.version.course
    _ensure_manages(actor, course)
    if module.kind != ModuleKind.QUIZ:
        raise Invalid(_l("Only quiz modules have quiz settings."), code="not_a_quiz")
    if bank.course_id != course.id:
        raise Invalid(_l("Use a question bank of this course."), code="invalid_bank")
    rules.check_quiz_settings(role, pass_percent, attempts_allowed, time_limit_seconds,
                              questions_per_attempt)
    rules.check_role_position(role, module.position, [
        m.position for m in module.version.modules if m.kind in CONTENT_KINDS])
    _ensure_no_leak(module, bank, role, show_answers_after_last)
    settings = db.session.scalar(select(QuizSettings).where(QuizSettings.module_id == module.id))
    if settings is None:
        settings = QuizSettings(module=module)
        db.session.add(settings)
    settings.bank = bank
    settings.role = role
    settings.pass_percent = pass_percent
    settings.attempts_allowed = attempts_allowed
    settings.time_limit_seconds = time_limit_seconds
    settings.questions_per_attempt = questions_per_attempt
    settings.show_answers_after_last = show_answers_after_last
    db.session.flush()
    audit.record(actor, "quiz.configured", "module", module.id, role=role,
                 pass_percent=pass_percent, attempts=attempts_allowed,
                 time_limit=time_limit_seconds, bank=bank.id)
    return settings


def _ensure_no_leak(module: Module, bank: QuestionBank, role: str, reveals: bool) -> None:
    """Raises Invalid when a quiz would show the answers of a bank the post-test draws from
    (pre- and post-test often share one): the post-test would then be answered in advance."""
    others = [s for s in db.session.scalars(select(QuizSettings).join(Module).where(
        Module.version_id == module.version_id, QuizSettings.bank_id == bank.id,
        QuizSettings.module_id != module.id))]
    leaks = (reveals and role != QuizRole.POSTTEST
             and any(o.role == QuizRole.POSTTEST for o in others)) or (
        role == QuizRole.POSTTEST
        and any(o.show_answers_after_last and o.role != QuizRole.POSTTEST for o in others))
    if leaks:
        raise Invalid(_l("A quiz that shows its answers cannot share its question bank with "
                         "the post-test."), code="answers_would_leak")


def configure_skill_task(actor: User | None, module: Module, instructions: str, *,
                         accepted_kinds: Sequence[str] = tuple(files.FILE_KINDS),
                         max_mb: int | None = None, allow_link: bool = True) -> SkillTask:
    """Create or update an assignment module's skill task. Instructions are sanitised HTML.

    Raises NotFound for staff of another provider, Invalid for a module that is not an
    assignment, empty instructions, unknown file kinds, a size out of 1-2048 MB, or a task
    that accepts neither files nor links.
    """
    course = module.version.course
    _ensure_manages(actor, course)
    if module.kind != ModuleKind.ASSIGNMENT:
        raise Invalid(_l("Only assignment modules have a skill task."), code="not_a_skill_task")
    if not (instructions or "").strip() or len(instructions) > 20_000:
        raise Invalid(_l("Write the instructions (at most 20,000 characters)."),
                      code="invalid_instructions")
    kinds = list(dict.fromkeys(accepted_kinds))
    if any(k not in files.FILE_KINDS for k in kinds):
        raise Invalid(_l("Unknown file kind."), code="invalid_kinds")
    if not kinds and not allow_link:
        raise Invalid(_l("Accept files, links or both."), code="invalid_kinds")
    if max_mb is not None and not 1 <= max_mb <= 2048:
        raise Invalid(_l("The size limit is between 1 and 2048 MB."), code="invalid_max_mb")
    task = db.session.scalar(select(SkillTask).where(SkillTask.module_id == module.id))
    if task is None:
        task = SkillTask(module=module)
        db.session.add(task)
    task.instructions = nh3.clean(instructions)
    task.accepted_kinds = ",".join(kinds)
    task.max_mb = max_mb
    task.allow_link = allow_link
    db.session.flush()
    audit.record(actor, "skill_task.configured", "module", module.id, kinds=kinds,
                 max_mb=max_mb, allow_link=allow_link)
    return task
