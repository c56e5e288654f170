"""The forms staff and learners post (the quiz paper itself is read by rules.answers_from_form,
since its fields are the attempt's questions)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from lms.assessments.models import SubmissionStatus
from lms.assessments.skills import MAX_FEEDBACK, MAX_NOTE


class StartAttemptForm(FlaskForm):
    """Only the CSRF token: starting an attempt takes no input."""


class FileSubmissionForm(FlaskForm):
    file = FileField(_l("Your file"))
    note = TextAreaField(_l("Note for the provider (optional)"),
                         validators=[Length(max=MAX_NOTE)])


class LinkSubmissionForm(FlaskForm):
    url = StringField(_l("Link to your work"), validators=[Length(max=2000)])
    note = TextAreaField(_l("Note for the provider (optional)"),
                         validators=[Length(max=MAX_NOTE)])


class GradeForm(FlaskForm):
    decision = RadioField(_l("Decision"), choices=[
        (SubmissionStatus.PASSED, _l("Pass")),
        (SubmissionStatus.REVISE, _l("Revise: the learner must submit again")),
    ], validators=[DataRequired(_l("Choose pass or revise."))])
    feedback = TextAreaField(_l("Written feedback for the learner"), validators=[
        DataRequired(_l("Write feedback for the learner.")),
        Length(max=MAX_FEEDBACK, message=_l("Feedback has at most %(max)d characters."))])
