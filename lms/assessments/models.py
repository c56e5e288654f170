"""Question banks, quiz settings and attempts, skill tasks and their submissions."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.catalog.models import Course, Module
from lms.clock import utcnow
from lms.db_types import UTCDateTime
from lms.extensions import db
from lms.learning.models import Enrollment


class QuizRole:
    PRETEST = "pretest"  # before the first content module; score recorded, no pass mark
    QUIZ = "quiz"  # between modules, with its own pass mark
    POSTTEST = "posttest"  # at the end; passing it is part of course completion
    ALL = (PRETEST, QUIZ, POSTTEST)


class QuestionKind:
    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "true_false"
    ALL = (SINGLE, MULTIPLE, TRUE_FALSE)


class SubmissionStatus:
    PENDING = "pending"
    PASSED = "passed"
    REVISE = "revise"
    ALL = (PENDING, PASSED, REVISE)


class QuestionBank(db.Model):
    """A course's pool of questions; several quizzes (typically pre- and post-test) may draw
    from one bank, so the two scores compare like with like."""

    __tablename__ = "question_banks"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    course: Mapped[Course] = relationship()
    questions: Mapped[list["Question"]] = relationship(
        back_populates="bank", order_by="Question.position")


class Question(db.Model):
    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(
        ForeignKey("question_banks.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column()
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    # Shown with the correct answers, when the quiz reveals them after the last attempt.
    explanation: Mapped[str] = mapped_column(Text, default="")
    # Retired questions stay for the attempts that already used them but are never drawn again.
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    bank: Mapped[QuestionBank] = relationship(back_populates="questions")
    options: Mapped[list["QuestionOption"]] = relationship(
        back_populates="question", order_by="QuestionOption.position")


class QuestionOption(db.Model):
    __tablename__ = "question_options"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column()
    text: Mapped[str] = mapped_column(Text)
    is_correct: Mapped[bool] = mapped_column(default=False)

    question: Mapped[Question] = relationship(back_populates="options")


class QuizSettings(db.Model):
    """What makes a `quiz` module a pre-test, a quiz or the post-test, and how it is taken."""

    __tablename__ = "quiz_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(
        ForeignKey("modules.id", ondelete="CASCADE"), unique=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("question_banks.id"), index=True)
    role: Mapped[str] = mapped_column(String(20), default=QuizRole.QUIZ)
    pass_percent: Mapped[int | None] = mapped_column()  # None for a pre-test
    attempts_allowed: Mapped[int] = mapped_column(default=3)
    time_limit_seconds: Mapped[int | None] = mapped_column()  # None: untimed
    questions_per_attempt: Mapped[int | None] = mapped_column()  # None: every active question
    show_answers_after_last: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    module: Mapped[Module] = relationship()
    bank: Mapped[QuestionBank] = relationship()


class QuizAttempt(db.Model):
    """One sitting of a quiz. `layout` freezes the questions and option order drawn for it, so
    a reload shows the same paper and grading accepts only what was on it."""

    __tablename__ = "quiz_attempts"
    __table_args__ = (UniqueConstraint("enrollment_id", "module_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(
        ForeignKey("enrollments.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"), index=True)
    number: Mapped[int] = mapped_column()
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # [{"q": question_id, "o": [option_id, ...]}, ...] in the order shown.
    layout: Mapped[list] = mapped_column(JSON)
    # {"<question_id>": [option_id, ...]} as graded.
    answers: Mapped[dict | None] = mapped_column(JSON)
    question_count: Mapped[int] = mapped_column()
    correct_count: Mapped[int | None] = mapped_column()
    score: Mapped[float | None] = mapped_column()  # percent, 0-100
    passed: Mapped[bool | None] = mapped_column()

    enrollment: Mapped[Enrollment] = relationship()
    module: Mapped[Module] = relationship()

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class SkillTask(db.Model):
    """The provider's instructions for an `assignment` module and what it accepts."""

    __tablename__ = "skill_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(
        ForeignKey("modules.id", ondelete="CASCADE"), unique=True)
    instructions: Mapped[str] = mapped_column(Text, default="")  # sanitised HTML
    # Comma-separated file kinds from lms.assessments.files.FILE_KINDS; empty: links only.
    accepted_kinds: Mapped[str] = mapped_column(String(100), default="pdf,jpg,png,mp4,docx,zip")
    max_mb: Mapped[int | None] = mapped_column()  # None: the SKILL_TASK_MAX_MB setting
    allow_link: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    module: Mapped[Module] = relationship()

    @property
    def kinds(self) -> list[str]:
        return [k for k in self.accepted_kinds.split(",") if k]


class SkillSubmission(db.Model):
    """One hand-in of the skill task and the provider's answer to it. Rows are never
    overwritten by a resubmission: the whole history stays."""

    __tablename__ = "skill_submissions"
    __table_args__ = (UniqueConstraint("enrollment_id", "module_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(
        ForeignKey("enrollments.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"), index=True)
    number: Mapped[int] = mapped_column()
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    url: Mapped[str | None] = mapped_column(String(2000))
    file_key: Mapped[str | None] = mapped_column(String(300))
    file_name: Mapped[str | None] = mapped_column(String(255))
    file_kind: Mapped[str | None] = mapped_column(String(10))
    file_size: Mapped[int | None] = mapped_column()
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=SubmissionStatus.PENDING, index=True)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    feedback: Mapped[str] = mapped_column(Text, default="")

    enrollment: Mapped[Enrollment] = relationship()
    module: Mapped[Module] = relationship()
    reviewer: Mapped[User | None] = relationship()


class AttemptGrant(db.Model):
    """One extra attempt at a quiz, given by provider staff or an admin to a learner who used
    every allowed attempt without passing. Each row adds one to the attempts allowed for
    that enrollment and module; rows are never deleted, so the grants stay accountable."""

    __tablename__ = "attempt_grants"
    __table_args__ = (CheckConstraint("reason <> ''", name="reason_not_empty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(
        ForeignKey("enrollments.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"), index=True)
    granted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reason: Mapped[str] = mapped_column(String(500))

    enrollment: Mapped[Enrollment] = relationship()
    module: Mapped[Module] = relationship()
    granted_by: Mapped[User] = relationship()


class TimeAccommodation(db.Model):
    """Extra time on every timed quiz of one enrollment (e.g. 150 = 1.5× the time limit), given
    by provider staff or an admin with a reason (a disability, a slow device). The latest row
    is the one in force; earlier rows stay, so every change is accountable."""

    __tablename__ = "time_accommodations"
    __table_args__ = (CheckConstraint("reason <> ''", name="reason_not_empty"),
                      CheckConstraint("percent BETWEEN 100 AND 300", name="percent_in_range"))

    id: Mapped[int] = mapped_column(primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(
        ForeignKey("enrollments.id", ondelete="CASCADE"), index=True)
    percent: Mapped[int] = mapped_column()  # of the quiz's time limit; 100 withdraws it
    granted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reason: Mapped[str] = mapped_column(String(500))

    enrollment: Mapped[Enrollment] = relationship()
    granted_by: Mapped[User] = relationship()
