"""What the assessment authoring pages read: a course's banks, quizzes and skill tasks, a
bank's questions, and the objects a page is about, each loaded behind the same rule as the
authoring services (staff of the course's provider and admins; anyone else gets NotFound)."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TypeVar

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from lms import permissions
from lms.accounts.models import User
from lms.assessments.models import Question, QuestionBank, QuizSettings, SkillTask
from lms.catalog.models import Course, Module, ModuleKind
from lms.errors import NotFound
from lms.extensions import db

QUESTIONS_PER_PAGE = 20
# Ids are 32-bit integer columns: a larger id in a URL names nothing, and the database would
# refuse to even compare it (an error, not a miss).
MAX_ID = 2**31 - 1
T = TypeVar("T")


@dataclass(frozen=True)
class BankSummary:
    bank: QuestionBank
    active: int
    retired: int


@dataclass(frozen=True)
class Overview:
    """The newest version's quiz and assignment modules, with their settings (None: not set
    up yet), and every bank of the course."""

    banks: list[BankSummary]
    quizzes: list[tuple[Module, QuizSettings | None]]
    tasks: list[tuple[Module, SkillTask | None]]


def _get(model: type[T], id_: int) -> T | None:
    return db.session.get(model, id_) if 0 < id_ <= MAX_ID else None


def course_for(actor: User, course_id: int) -> Course:
    """Raises NotFound for a missing course or one the actor does not manage."""
    course = _get(Course, course_id)
    if course is None:
        raise NotFound(_l("No such course."), code="course_not_found")
    permissions.ensure_may_manage_course(actor, course)
    return course


def bank_for(actor: User, bank_id: int) -> QuestionBank:
    """Raises NotFound for a missing bank or one of a course the actor does not manage."""
    bank = _get(QuestionBank, bank_id)
    if bank is None:
        raise NotFound(_l("No such question bank."), code="bank_not_found")
    permissions.ensure_may_manage_course(actor, bank.course)
    return bank


def question_for(actor: User, question_id: int) -> Question:
    """Raises NotFound for a missing question or one of a course the actor does not manage."""
    question = _get(Question, question_id)
    if question is None:
        raise NotFound(_l("No such question."), code="question_not_found")
    permissions.ensure_may_manage_course(actor, question.bank.course)
    return question


def module_for(actor: User, module_id: int, kind: str) -> Module:
    """A module of the given kind. Raises NotFound for a missing module, one of another kind
    or one of a course the actor does not manage."""
    module = _get(Module, module_id)
    if module is None or module.kind != kind:
        raise NotFound(_l("No such module."), code="module_not_found")
    permissions.ensure_may_manage_course(actor, module.course)
    return module


def banks_of(course: Course) -> list[QuestionBank]:
    return list(db.session.scalars(select(QuestionBank).where(QuestionBank.course_id == course.id)
                                   .order_by(QuestionBank.title, QuestionBank.id)))


def overview(course: Course) -> Overview:
    banks = banks_of(course)
    counts = {(bank_id, active): n for bank_id, active, n in db.session.execute(
        select(Question.bank_id, Question.active, func.count())
        .where(Question.bank_id.in_([b.id for b in banks]))
        .group_by(Question.bank_id, Question.active))} if banks else {}
    # The loader and the course list work on the newest version too: it is the one being
    # prepared, and a published one keeps its module ids, so its settings stay live.
    modules = course.versions[-1].modules if course.versions else []
    ids = [m.id for m in modules]
    settings = {s.module_id: s for s in db.session.scalars(
        select(QuizSettings).where(QuizSettings.module_id.in_(ids))
        .options(selectinload(QuizSettings.bank)))} if ids else {}
    tasks = {t.module_id: t for t in db.session.scalars(
        select(SkillTask).where(SkillTask.module_id.in_(ids)))} if ids else {}
    return Overview(
        banks=[BankSummary(b, counts.get((b.id, True), 0), counts.get((b.id, False), 0))
               for b in banks],
        quizzes=[(m, settings.get(m.id)) for m in modules if m.kind == ModuleKind.QUIZ],
        tasks=[(m, tasks.get(m.id)) for m in modules if m.kind == ModuleKind.ASSIGNMENT])


def questions_page(bank: QuestionBank, page: int = 1):
    """A page of the bank's questions, retired ones included, in the order they were added."""
    statement = (select(Question).where(Question.bank_id == bank.id)
                 .order_by(Question.position, Question.id)
                 .options(selectinload(Question.options)))
    return db.paginate(statement, page=page, per_page=QUESTIONS_PER_PAGE, error_out=False)


def page_of(question: Question) -> int:
    """The page of its bank on which the question is listed."""
    before = db.session.scalar(select(func.count()).where(
        Question.bank_id == question.bank_id, Question.position <= question.position)) or 1
    return max(1, math.ceil(before / QUESTIONS_PER_PAGE))


def quiz_settings(module: Module) -> QuizSettings | None:
    return db.session.scalar(select(QuizSettings).where(QuizSettings.module_id == module.id))


def skill_task(module: Module) -> SkillTask | None:
    return db.session.scalar(select(SkillTask).where(SkillTask.module_id == module.id))
