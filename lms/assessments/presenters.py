"""Read-only views of assessments for pages and the API: the paper of an attempt (never with
answers), its result, the module panels and the dashboard's pre-test/post-test scores."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from lms.accounts.models import User
from lms.assessments import accommodations, files, quizzes, rules, skills
from lms.assessments.models import (QuizAttempt, QuizRole, QuizSettings, SkillSubmission,
                                    SkillTask, SubmissionStatus)
from lms.catalog.models import Module
from lms.clock import utcnow
from lms.extensions import db
from lms.learning import progression
from lms.learning.models import Enrollment


@dataclass(frozen=True)
class PaperOption:
    option_id: str
    text: str


@dataclass(frozen=True)
class PaperQuestion:
    question_id: int
    kind: str
    text: str
    options: list[PaperOption]


def paper(attempt: QuizAttempt) -> list[PaperQuestion]:
    """The questions as drawn for this attempt, options under their per-attempt tokens. Holds
    nothing about which option is right."""
    questions = quizzes.questions_of(attempt)
    result = []
    for entry in attempt.layout:
        question = questions.get(int(entry["q"]))
        if question is None:
            continue
        texts = {o.id: o.text for o in question.options}
        result.append(PaperQuestion(question.id, question.kind, question.text, [
            PaperOption(token, texts.get(option_id, "")) for token, option_id in entry["o"]]))
    return result


def correct_tokens(attempt: QuizAttempt) -> dict[str, list[str]]:
    """The right options of each question under this attempt's tokens (for clients, once the
    quiz may reveal them)."""
    questions = quizzes.questions_of(attempt)
    result = {}
    for entry in attempt.layout:
        question = questions.get(int(entry["q"]))
        if question is not None:
            right = {o.id for o in question.options if o.is_correct}
            result[str(question.id)] = [token for token, oid in entry["o"] if oid in right]
    return result


@dataclass(frozen=True)
class ReviewOption:
    text: str
    chosen: bool
    correct: bool


@dataclass(frozen=True)
class ReviewQuestion:
    text: str
    kind: str
    right: bool
    explanation: str
    options: list[ReviewOption]


def review(attempt: QuizAttempt) -> list[ReviewQuestion]:
    """The graded paper with the correct answers: only for pages that may reveal them."""
    questions = quizzes.questions_of(attempt)
    answers = {int(k): set(v) for k, v in (attempt.answers or {}).items()}
    result = []
    for entry in attempt.layout:
        question = questions.get(int(entry["q"]))
        if question is None:
            continue
        by_id = {o.id: o for o in question.options}
        chosen = answers.get(question.id, set())
        options = [ReviewOption(by_id[oid].text, oid in chosen, by_id[oid].is_correct)
                   for _, oid in entry["o"] if oid in by_id]
        right = {o.id for o in question.options if o.is_correct} == chosen
        result.append(ReviewQuestion(question.text, question.kind, right, question.explanation,
                                     options))
    return result


@dataclass
class QuizPanel:
    settings: QuizSettings | None
    attempts: list[QuizAttempt] = field(default_factory=list)
    running: QuizAttempt | None = None
    seconds_left: int | None = None
    available: int = 0
    done: bool = False
    expired: set[int] = field(default_factory=set)
    allowed: int = 0  # the quiz's attempts plus any granted to this learner
    extra_time_percent: int = accommodations.NO_EXTRA_TIME

    @property
    def time_limit_seconds(self) -> int | None:
        """The time limit this learner gets, extra time included."""
        limit = self.settings.time_limit_seconds if self.settings else None
        return accommodations.accommodated_limit(limit, self.extra_time_percent)


def quiz_panel(enrollment: Enrollment, module: Module) -> QuizPanel:
    settings = quizzes.settings_for(module)
    if settings is None:
        return QuizPanel(None)
    now = utcnow()
    attempts = quizzes.attempts_of(enrollment, module)
    facts = quizzes.facts(attempts, now)
    allowed = quizzes.allowed_attempts(settings, enrollment)
    running = next((a for a, f in zip(attempts, facts) if not f.submitted and not f.expired),
                   None)
    return QuizPanel(
        settings, attempts, running,
        rules.seconds_left(running.deadline_at, now) if running else None,
        rules.attempts_available(settings.role, allowed, facts),
        rules.is_done(settings.role, facts),
        {a.id for a, f in zip(attempts, facts) if f.expired}, allowed,
        accommodations.extra_time_percent(enrollment))


@dataclass
class AttemptView:
    attempt: QuizAttempt
    settings: QuizSettings
    running: bool
    expired: bool
    seconds_left: int | None
    available: int
    reveal: bool
    questions: list[PaperQuestion]
    reviewed: list[ReviewQuestion]
    next_module: Module | None
    allowed: int = 0  # the quiz's attempts plus any granted to this learner
    extra_time_percent: int = accommodations.NO_EXTRA_TIME


def attempt_view(user: User, attempt_id: int) -> AttemptView:
    """An attempt as its learner may see it now: the paper while it runs, the result (with
    the answers only when the quiz reveals them after the last attempt) once it is over.
    Raises AttemptNotFound for someone else's attempt."""
    attempt = quizzes.get_attempt_for(user, attempt_id)
    settings = quizzes.settings_for(attempt.module)
    now = utcnow()
    attempts = quizzes.attempts_of(attempt.enrollment, attempt.module)
    facts = quizzes.facts(attempts, now)
    allowed = quizzes.allowed_attempts(settings, attempt.enrollment)
    expired = not attempt.is_submitted and rules.is_expired(attempt.deadline_at, now)
    running = not attempt.is_submitted and not expired
    reveal = attempt.is_submitted and rules.may_reveal_answers(
        settings.show_answers_after_last, settings.role, allowed, facts)
    return AttemptView(
        attempt, settings, running, expired,
        rules.seconds_left(attempt.deadline_at, now) if running else None,
        rules.attempts_available(settings.role, allowed, facts),
        reveal, paper(attempt) if running else [], review(attempt) if reveal else [],
        progression.next_module(attempt.enrollment, attempt.module), allowed,
        accommodations.extra_time_percent(attempt.enrollment))


@dataclass
class SkillPanel:
    task: SkillTask | None
    history: list[SkillSubmission] = field(default_factory=list)
    may_submit: bool = False
    max_mb: int = 0
    accept: str = ""


def skill_panel(enrollment: Enrollment, module: Module) -> SkillPanel:
    task = skills.task_for(module)
    if task is None:
        return SkillPanel(None)
    history = skills.history(enrollment, module)
    latest = history[0] if history else None
    accept = ",".join(ext for kind in task.kinds for ext in files.FILE_KINDS[kind][0])
    return SkillPanel(task, history,
                      latest is None or latest.status == SubmissionStatus.REVISE,
                      skills.max_bytes(task) // (1024 * 1024), accept)


@dataclass(frozen=True)
class Scores:
    pretest: float | None
    posttest: float | None

    @property
    def gain(self) -> float | None:
        if self.pretest is None or self.posttest is None:
            return None
        return round(self.posttest - self.pretest, 2)


def assessment_scores(enrollment: Enrollment) -> Scores:
    """The pre-test score (its first graded attempt: what the learner knew before) against
    the best post-test score."""
    rows = db.session.execute(
        select(QuizSettings.role, QuizAttempt.score)
        .join(QuizAttempt, QuizAttempt.module_id == QuizSettings.module_id)
        .where(QuizAttempt.enrollment_id == enrollment.id, QuizAttempt.submitted_at.is_not(None),
               QuizSettings.role.in_((QuizRole.PRETEST, QuizRole.POSTTEST)))
        .order_by(QuizAttempt.submitted_at, QuizAttempt.id)).all()
    pre = [score for role, score in rows if role == QuizRole.PRETEST]
    post = [score for role, score in rows if role == QuizRole.POSTTEST]
    return Scores(pre[0] if pre else None, max(post) if post else None)
