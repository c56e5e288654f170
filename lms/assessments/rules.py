"""The assessment rules: drawing a paper, reading answers strictly, grading, attempts, time
limits, revealing answers, and who may grade.

The quiz rules are pure functions of their arguments (no database, no clock) so the grading
can be tested exhaustively; `now` is always passed in.
"""
from __future__ import annotations

import math
import random
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l

from lms.assessments.errors import (AlreadyCompleted, InvalidAnswers,
                                    NoAttemptsLeft)
from lms.assessments.models import QuestionKind, QuizRole
from lms.errors import Invalid

#: A submission this late after the deadline still counts: the page auto-submits at zero and
#: the request needs a moment to travel over a mobile link. Beyond it, the attempt is expired.
SUBMIT_GRACE_SECONDS = 5

MAX_QUESTIONS_PER_ATTEMPT = 200
MAX_ATTEMPTS_ALLOWED = 20
MAX_TIME_LIMIT_SECONDS = 6 * 3600
MIN_TIME_LIMIT_SECONDS = 30
MAX_OPTIONS = 10

_ID = re.compile(r"^[0-9]{1,12}$")
_TOKEN = re.compile(r"^[0-9a-f]{8}$")


# --- Drawing a paper ------------------------------------------------------------------------

def draw_layout(bank: Sequence[tuple[int, Sequence[int]]], count: int | None,
                rng: random.Random | None = None) -> list[dict]:
    """The paper of one attempt: questions (a random subset of `count` if given) and each
    question's options, both in random order.

    Options are shown under per-attempt tokens, not their database ids: an id is the same for
    every learner, so "pick option 1234" could be passed around; a token means nothing outside
    this attempt. Layout: [{"q": question_id, "o": [[token, option_id], ...]}, ...].
    """
    rng = rng or random.SystemRandom()
    questions = list(bank)
    if count is not None and count < len(questions):
        questions = rng.sample(questions, count)
    else:
        rng.shuffle(questions)
    used: set[str] = set()
    layout = []
    for question_id, option_ids in questions:
        options = list(option_ids)
        rng.shuffle(options)
        pairs = []
        for option_id in options:
            token = secrets.token_hex(4)
            while token in used:
                token = secrets.token_hex(4)
            used.add(token)
            pairs.append([token, option_id])
        layout.append({"q": question_id, "o": pairs})
    return layout


# --- Reading answers ------------------------------------------------------------------------

def parse_answers(raw: object, layout: Sequence[Mapping], kinds: Mapping[int, str]
                  ) -> dict[int, frozenset[int]]:
    """The selected option ids per question, from `{"<question_id>": ["<token>", ...]}`.

    Unanswered questions may be left out (they score nothing). Raises InvalidAnswers for
    anything that was not on this attempt's paper: a question not drawn, an option token of
    another question or attempt, a repeated option, more than one choice where one is asked,
    or values that are not lists of tokens. Nothing is partially accepted.
    """
    if not isinstance(raw, Mapping):
        raise InvalidAnswers(_l("The answers must map each question to a list of options."))
    paper = {int(entry["q"]): {token: option_id for token, option_id in entry["o"]}
             for entry in layout}
    selected: dict[int, frozenset[int]] = {}
    for key, value in raw.items():
        if not isinstance(key, str) or not _ID.match(key) or int(key) not in paper:
            raise InvalidAnswers()
        question_id = int(key)
        if not isinstance(value, list) or len(value) > len(paper[question_id]):
            raise InvalidAnswers()
        tokens = paper[question_id]
        chosen = []
        for token in value:
            if not isinstance(token, str) or not _TOKEN.match(token) or token not in tokens:
                raise InvalidAnswers()
            chosen.append(tokens[token])
        if len(set(chosen)) != len(chosen):
            raise InvalidAnswers()
        if kinds.get(question_id) != QuestionKind.MULTIPLE and len(chosen) > 1:
            raise InvalidAnswers(_l("Choose only one answer for a single-choice or "
                                    "true/false question."))
        selected[question_id] = frozenset(chosen)
    return selected


def answers_from_form(items: Sequence[tuple[str, list[str]]]) -> dict[str, list[str]]:
    """The web form (`q<question_id>` fields, plus the CSRF token) in the API's shape. Any
    other field means a tampered form: InvalidAnswers."""
    answers: dict[str, list[str]] = {}
    for name, values in items:
        if name == "csrf_token":
            continue
        if not (name.startswith("q") and _ID.match(name[1:])):
            raise InvalidAnswers()
        answers[name[1:]] = [v for v in values if v != ""]
    return answers


# --- Grading --------------------------------------------------------------------------------

def count_correct(selected: Mapping[int, frozenset[int]],
                  correct: Mapping[int, frozenset[int]]) -> int:
    """Questions answered exactly right: every correct option chosen and no other (multiple
    choice is all or nothing, so ticking every box earns nothing)."""
    return sum(1 for question_id, right in correct.items()
               if right and selected.get(question_id, frozenset()) == right)


def score_percent(correct: int, total: int) -> float:
    if total <= 0:
        return 0.0
    return round(100.0 * correct / total, 2)


def is_pass(correct: int, total: int, pass_percent: int | None) -> bool:
    """A pre-test (no pass mark) is passed by being submitted. Otherwise the exact fraction is
    compared, so rounding the displayed score never turns a fail into a pass."""
    if pass_percent is None:
        return True
    return total > 0 and correct * 100 >= pass_percent * total


# --- Time and attempts ----------------------------------------------------------------------

def deadline_for(started_at: datetime, time_limit_seconds: int | None,
                 finish_by: datetime | None) -> datetime | None:
    """When the attempt must be in: its time limit, and never after the enrollment's
    finish-by date (after it, nothing is credited)."""
    candidates = [finish_by] if finish_by is not None else []
    if time_limit_seconds:
        candidates.append(started_at + timedelta(seconds=time_limit_seconds))
    return min(candidates) if candidates else None


def is_expired(deadline_at: datetime | None, now: datetime) -> bool:
    if deadline_at is None:
        return False
    return now > deadline_at + timedelta(seconds=SUBMIT_GRACE_SECONDS)


def seconds_left(deadline_at: datetime | None, now: datetime) -> int | None:
    if deadline_at is None:
        return None
    return max(0, math.floor((deadline_at - now).total_seconds()))


@dataclass(frozen=True)
class AttemptFacts:
    """What the attempt rules need to know of an earlier attempt."""

    submitted: bool
    passed: bool | None
    expired: bool


def is_done(role: str, attempts: Sequence[AttemptFacts]) -> bool:
    """The quiz needs no more attempts: a pre-test once submitted, any other once passed."""
    if role == QuizRole.PRETEST:
        return any(a.submitted for a in attempts)
    return any(a.submitted and a.passed for a in attempts)


def attempts_left(allowed: int, attempts: Sequence[AttemptFacts]) -> int:
    """Allowed attempts not yet started (expired ones count as started)."""
    return max(0, allowed - len(attempts))


def attempts_available(role: str, allowed: int, attempts: Sequence[AttemptFacts]) -> int:
    """Attempts the learner may still start: none once the quiz is done."""
    return 0 if is_done(role, attempts) else attempts_left(allowed, attempts)


def ensure_may_start(role: str, allowed: int, attempts: Sequence[AttemptFacts]) -> None:
    """Raises AlreadyCompleted once the quiz is done and NoAttemptsLeft once every allowed
    attempt has been started (an expired, never-submitted attempt counts)."""
    if is_done(role, attempts):
        raise AlreadyCompleted(_l("You have already taken the pre-test.")
                               if role == QuizRole.PRETEST else None)
    if attempts_left(allowed, attempts) <= 0:
        raise NoAttemptsLeft(_l("You have used all %(n)d attempts allowed for this quiz.",
                                n=allowed))


def may_reveal_answers(show_after_last: bool, role: str, allowed: int,
                       attempts: Sequence[AttemptFacts]) -> bool:
    """Correct answers are shown only when the quiz allows it and no attempt can follow: the
    last allowed attempt is in (or expired), or the quiz is done."""
    if not show_after_last:
        return False
    if any(not a.submitted and not a.expired for a in attempts):
        return False
    return is_done(role, attempts) or attempts_left(allowed, attempts) == 0


# --- Authoring ------------------------------------------------------------------------------

def check_question(kind: str, options: Sequence[tuple[str, bool]]) -> None:
    """Raises Invalid unless the options fit the kind: single choice has one right answer
    among 2+, multiple choice at least one among 2+, true/false exactly two with one right."""
    if kind not in QuestionKind.ALL:
        raise Invalid(_l("Unknown question kind."), code="invalid_kind")
    if any(not text.strip() for text, _ in options):
        raise Invalid(_l("Every option needs a text."), code="invalid_options")
    right = sum(1 for _, correct in options if correct)
    if kind == QuestionKind.TRUE_FALSE and len(options) != 2:
        raise Invalid(_l("A true/false question has exactly two options."), code="invalid_options")
    if not 2 <= len(options) <= MAX_OPTIONS:
        raise Invalid(_l("A question has between 2 and %(n)d options.", n=MAX_OPTIONS),
                      code="invalid_options")
    if kind == QuestionKind.MULTIPLE and right < 1:
        raise Invalid(_l("Mark at least one option as correct."), code="invalid_options")
    if kind != QuestionKind.MULTIPLE and right != 1:
        raise Invalid(_l("Mark exactly one option as correct."), code="invalid_options")


def check_quiz_settings(role: str, pass_percent: int | None, attempts_allowed: int,
                        time_limit_seconds: int | None, questions_per_attempt: int | None) -> None:
    """Raises Invalid for settings out of range; a pre-test has no pass mark, others need one."""
    if role not in QuizRole.ALL:
        raise Invalid(_l("Unknown quiz role."), code="invalid_role")
    if role == QuizRole.PRETEST and pass_percent is not None:
        raise Invalid(_l("A pre-test has no pass mark."), code="invalid_pass_percent")
    if role != QuizRole.PRETEST and (pass_percent is None or not 1 <= pass_percent <= 100):
        raise Invalid(_l("Set a pass mark between 1 and 100 percent."), code="invalid_pass_percent")
    if not 1 <= attempts_allowed <= MAX_ATTEMPTS_ALLOWED:
        raise Invalid(_l("Allow between 1 and %(n)d attempts.", n=MAX_ATTEMPTS_ALLOWED),
                      code="invalid_attempts")
    if time_limit_seconds is not None and not (
            MIN_TIME_LIMIT_SECONDS <= time_limit_seconds <= MAX_TIME_LIMIT_SECONDS):
        raise Invalid(_l("The time limit is between 30 seconds and 6 hours."),
                      code="invalid_time_limit")
    if questions_per_attempt is not None and not (
            1 <= questions_per_attempt <= MAX_QUESTIONS_PER_ATTEMPT):
        raise Invalid(_l("Draw between 1 and %(n)d questions per attempt.",
                         n=MAX_QUESTIONS_PER_ATTEMPT), code="invalid_question_count")


def check_role_position(role: str, position: int, content_positions: Sequence[int]) -> None:
    """Raises Invalid when a pre-test comes after content or a post-test before some: the
    pre-test measures what the learner knew before studying, the post-test what they learnt."""
    if role == QuizRole.PRETEST and any(p < position for p in content_positions):
        raise Invalid(_l("The pre-test must come before the first video or reading."),
                      code="invalid_position")
    if role == QuizRole.POSTTEST and any(p > position for p in content_positions):
        raise Invalid(_l("The post-test must come after the last video or reading."),
                      code="invalid_position")
