"""The ways taking a quiz or handing in a skill task can be refused, each with its own code."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.errors import Conflict, Gone, Invalid, NotFound, TooLarge
from lms.learning.errors import DeadlinePassed  # noqa: F401 (assessments refuse it too)


class InvalidAnswers(Invalid):
    code = "invalid_answers"
    default_message = _l("These answers do not match the questions of this attempt. "
                         "Reload the page and answer again.")


class AttemptExpired(Gone):
    code = "attempt_expired"
    default_message = _l("The time for this attempt ran out before it was submitted, so it was "
                         "not graded. It counts as one of your attempts.")


class AlreadySubmitted(Conflict):
    code = "already_submitted"
    default_message = _l("This attempt has already been submitted. It counts once.")


class NoAttemptsLeft(Conflict):
    code = "no_attempts_left"
    default_message = _l("You have used every attempt allowed for this quiz.")


class AlreadyCompleted(Conflict):
    code = "already_completed"
    default_message = _l("You have already completed this quiz.")




class NotReady(Conflict):
    code = "assessment_not_ready"
    default_message = _l("The provider has not finished setting up this assessment yet. "
                         "Check back soon.")


class AttemptNotFound(NotFound):
    code = "attempt_not_found"
    default_message = _l("No such attempt.")


class SubmissionNotFound(NotFound):
    code = "submission_not_found"
    default_message = _l("No such submission.")


class UnsupportedFile(Invalid):
    code = "unsupported_type"
    default_message = _l("This kind of file is not accepted for this task.")


class FileTooLarge(TooLarge):
    default_message = _l("The file is too large.")


class SubmissionPending(Conflict):
    code = "submission_pending"
    default_message = _l("Your last submission is waiting for the provider's feedback. You can "
                         "submit again if they ask for a revision.")


class AlreadyGraded(Conflict):
    code = "already_graded"
    default_message = _l("This submission has already been graded.")


class NotAQuiz(Invalid):
    code = "not_a_quiz"
    default_message = _l("Extra attempts can only be granted for a quiz, pre-test or post-test.")


class QuizAlreadyPassed(Conflict):
    code = "already_passed"
    default_message = _l("This learner has already passed this quiz, so no extra attempt is "
                         "needed.")


class AttemptsRemaining(Conflict):
    code = "attempts_remaining"
    default_message = _l("This learner still has attempts left for this quiz, so there is "
                         "nothing to grant yet.")


class AnswersAlreadyShown(Conflict):
    code = "answers_already_shown"
    default_message = _l("This quiz showed the learner the correct answers after the last "
                         "attempt, so another attempt would not test anything.")
