"""Factories for assessments: courses with a pre-test, quizzes, a post-test and a skill task,
question banks, and helpers that answer an attempt right or wrong (reading the database, as
a test may; the learner's browser never can)."""
from __future__ import annotations

from lms.assessments import authoring
from lms.assessments.models import (Question, QuestionBank, QuestionKind, QuizAttempt,
                                    QuizRole, QuizSettings, SkillTask)
from lms.catalog import services as catalog
from lms.catalog.models import Course, Module, ModuleKind
from lms.clock import utcnow
from lms.extensions import db
from lms.learning import completion
from lms.learning.models import Enrollment
from tests import factories

Q, V, R, A = ModuleKind.QUIZ, ModuleKind.VIDEO, ModuleKind.READING, ModuleKind.ASSIGNMENT

#: pre-test, a video, a module quiz, a reading, the post-test, the skill task.
FULL_COURSE = (Q, V, Q, R, Q, A)


def bank(course: Course, questions: int = 3, title: str = "Bank",
         kinds: tuple[str, ...] = (QuestionKind.SINGLE,)) -> QuestionBank:
    """A bank of `questions` questions; kinds cycle through `kinds`. In every question the
    options are "right ..." (correct) and "wrong ..." (not)."""
    b = authoring.create_bank(None, course, title)
    for i in range(1, questions + 1):
        kind = kinds[(i - 1) % len(kinds)]
        if kind == QuestionKind.TRUE_FALSE:
            options = [(f"right {i}", True), (f"wrong {i}", False)]
        elif kind == QuestionKind.MULTIPLE:
            options = [(f"right {i}a", True), (f"right {i}b", True), (f"wrong {i}", False)]
        else:
            options = [(f"right {i}", True), (f"wrong {i}a", False), (f"wrong {i}b", False)]
        authoring.add_question(None, b, kind, f"Question {i}?", options, f"Because {i}.")
    db.session.commit()
    return b


def quiz(module: Module, bank_obj: QuestionBank, role: str = QuizRole.QUIZ,
         pass_percent: int | None = 60, attempts: int = 2, time_limit: int | None = 300,
         per_attempt: int | None = None, reveal: bool = False) -> QuizSettings:
    settings = authoring.configure_quiz(
        None, module, bank_obj, role=role,
        pass_percent=None if role == QuizRole.PRETEST else pass_percent,
        attempts_allowed=attempts, time_limit_seconds=time_limit,
        questions_per_attempt=per_attempt, show_answers_after_last=reveal)
    db.session.commit()
    return settings


def skill_task(module: Module, kinds: tuple[str, ...] = ("pdf", "jpg", "png", "mp4", "docx",
                                                           "zip"),
               max_mb: int | None = None, allow_link: bool = True) -> SkillTask:
    task = authoring.configure_skill_task(
        None, module, "<p>Make a <b>marketing plan</b>.</p><script>alert(1)</script>",
        accepted_kinds=kinds, max_mb=max_mb, allow_link=allow_link)
    db.session.commit()
    return task


def full_course(provider=None, kinds=FULL_COURSE, questions: int = 3, **quiz_options) -> Course:
    """A published course whose quiz modules are set up in order: the first is the pre-test,
    the last the post-test, any between are module quizzes; assignments get a skill task.
    Pre- and post-test share one bank."""
    course = factories.course(provider, kinds=kinds, published=False)
    modules = course.versions[-1].modules
    quizzes = [m for m in modules if m.kind == Q]
    core = bank(course, questions, "Core")
    for index, module in enumerate(quizzes):
        if index == 0 and len(quizzes) > 1:
            quiz(module, core, QuizRole.PRETEST, **quiz_options)
        elif index == len(quizzes) - 1:
            quiz(module, core, QuizRole.POSTTEST, **quiz_options)
        else:
            quiz(module, bank(course, questions, f"Quiz {index}"), QuizRole.QUIZ,
                 **quiz_options)
    for module in modules:
        if module.kind == A:
            skill_task(module)
    catalog.publish_course(None, course)
    db.session.commit()
    return course


def modules(course: Course) -> list[Module]:
    return list(course.current_version.modules)


def answers(attempt: QuizAttempt, right: bool = True) -> dict[str, list[str]]:
    """Answers in the API's shape: every question right, or every question wrong."""
    db.session.refresh(attempt)
    result = {}
    for entry in attempt.layout:
        question = db.session.get(Question, entry["q"])
        correct = {o.id for o in question.options if o.is_correct}
        tokens = [t for t, oid in entry["o"] if (oid in correct) == right]
        result[str(entry["q"])] = tokens if question.kind == QuestionKind.MULTIPLE or right \
            else tokens[:1]
    return result


def form_answers(attempt: QuizAttempt, right: bool = True) -> dict[str, list[str]]:
    """The same answers as the page's form posts them."""
    return {f"q{q}": tokens for q, tokens in answers(attempt, right).items()}


def complete_content(enrollment: Enrollment, up_to_position: int) -> None:
    """Complete every module before `up_to_position` that is video or reading (what pacing
    would do), through the completion service."""
    for module in enrollment.version.modules:
        if module.position < up_to_position and module.kind in (V, R):
            completion.mark_module_completed(enrollment, module, utcnow())
    db.session.commit()
