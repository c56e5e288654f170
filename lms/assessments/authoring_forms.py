"""The forms provider staff post to author assessments. They only read the input into types;
what makes a question, quiz or skill task valid is decided by the authoring services, whose
errors the views put back on these forms."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, FieldList, Form, FormField, HiddenField, IntegerField,
                     SelectField, SelectMultipleField, StringField, TextAreaField, widgets)
from wtforms.validators import AnyOf, InputRequired, Length, Optional

from lms.assessments import files
from lms.assessments.models import QuestionKind, QuizRole
from lms.assessments.rules import MAX_OPTIONS

#: Empty option rows the add-question form offers; rows left empty are ignored.
OPTION_ROWS = 6
NOT_A_NUMBER = _l("Enter a whole number.")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def printable(value: str | None) -> str | None:
    """Control characters never belong in a question and PostgreSQL refuses NUL in text."""
    return _CONTROL.sub("", value) if isinstance(value, str) else value


TEXT = [printable]


def question_kind_choices() -> list[tuple[str, str]]:
    return [(QuestionKind.SINGLE, _l("Single choice: one correct option")),
            (QuestionKind.MULTIPLE, _l("Multiple choice: one or more correct options")),
            (QuestionKind.TRUE_FALSE, _l("True or false: two options, one correct"))]


class BankForm(FlaskForm):
    title = StringField(_l("Title of the new bank"), filters=TEXT, validators=[
        InputRequired(_l("Give the bank a title of at most 200 characters.")),
        Length(max=200, message=_l("Give the bank a title of at most 200 characters."))])


class OptionForm(Form):
    """One row of the options: a sub-form, so it carries no CSRF token of its own."""

    text = StringField(_l("Option"), filters=TEXT)
    correct = BooleanField(_l("Correct"))


class QuestionForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=question_kind_choices(),
                       default=QuestionKind.SINGLE)
    text = TextAreaField(_l("Question"), filters=TEXT)
    options = FieldList(FormField(OptionForm), min_entries=OPTION_ROWS, max_entries=MAX_OPTIONS)
    explanation = TextAreaField(_l("Explanation (optional)"), filters=TEXT,
                                description=_l("Shown with the correct answers, if the quiz "
                                               "reveals them after the last attempt."))

    def option_pairs(self) -> list[tuple[str, bool]]:
        """The filled-in rows as (text, is_correct); a ticked row without text is kept so the
        service can say that every option needs a text. A true/false question whose rows
        have no text gets the two usual ones, ticked as the first two rows are."""
        rows = [(row.form.text.data or "", bool(row.form.correct.data)) for row in self.options]
        if self.kind.data == QuestionKind.TRUE_FALSE and not any(t.strip() for t, _ in rows):
            ticks = [correct for _, correct in rows] + [False, False]
            return [(str(_l("True")), ticks[0]), (str(_l("False")), ticks[1])]
        return [(text, correct) for text, correct in rows if text.strip() or correct]


class ConfirmForm(FlaskForm):
    """The confirmation page's button: a post without it changes nothing."""

    confirm = HiddenField(validators=[AnyOf(["yes"])])


class QuizSettingsForm(FlaskForm):
    role = SelectField(_l("Role"), choices=[
        (QuizRole.PRETEST, _l("Pre-test: before the first video or reading, no pass mark")),
        (QuizRole.QUIZ, _l("Quiz: between modules, with its own pass mark")),
        (QuizRole.POSTTEST, _l("Post-test: after the last video or reading")),
    ], default=QuizRole.QUIZ)
    bank_id = SelectField(_l("Question bank"), coerce=int, choices=[])
    pass_percent = IntegerField(_l("Pass mark (percent)"), validators=[Optional()],
                                description=_l("Leave empty for a pre-test."))
    attempts_allowed = IntegerField(_l("Attempts allowed"), default=3,
                                    validators=[InputRequired(NOT_A_NUMBER)])
    time_limit_minutes = IntegerField(_l("Time limit (minutes)"), validators=[Optional()],
                                      description=_l("Leave empty for no time limit."))
    questions_per_attempt = IntegerField(
        _l("Questions per attempt"), validators=[Optional()],
        description=_l("Leave empty to ask every active question of the bank."))
    show_answers_after_last = BooleanField(_l("Show the correct answers after the last attempt"))


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class SkillTaskForm(FlaskForm):
    instructions = TextAreaField(
        _l("Instructions for the learner"), filters=TEXT, description=_l(
            "Simple HTML is kept (paragraphs, lists, bold, links); anything else is removed."))
    accepted_kinds = MultiCheckboxField(
        _l("File kinds accepted"), choices=[(k, k.upper()) for k in files.FILE_KINDS])
    max_mb = IntegerField(_l("Largest file (MB)"), validators=[Optional()],
                          description=_l("Leave empty for the standard limit."))
    allow_link = BooleanField(_l("Accept a link instead of a file (e.g. Google Drive)"))
