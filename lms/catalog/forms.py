"""The studio's forms. They read input into types; what is valid is decided by the catalog
services, whose refusals the views put back on the field they concern."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (BooleanField, HiddenField, IntegerField, SelectField, StringField,
                     TextAreaField)
from wtforms.validators import AnyOf, InputRequired, NumberRange, Optional

from lms.assessments.authoring_forms import NOT_A_NUMBER, TEXT
from lms.catalog.models import ModuleKind, TrainingType


def training_type_choices() -> list[tuple[str, str]]:
    return [(TrainingType.SELF_PACED, _l("Self-paced (the programme's checks apply)")),
            (TrainingType.GENERAL, _l("General (no programme checks)"))]


def language_choices() -> list[tuple[str, str]]:
    return [("id", "Bahasa Indonesia"), ("en", "English")]


def kind_choices() -> list[tuple[str, str]]:
    return [(ModuleKind.VIDEO, _l("Video")), (ModuleKind.READING, _l("Reading")),
            (ModuleKind.QUIZ, _l("Quiz, pre-test or post-test")),
            (ModuleKind.ASSIGNMENT, _l("Skill task"))]


class CourseForm(FlaskForm):
    title = StringField(_l("Title"), filters=TEXT, validators=[
        InputRequired(_l("Give the course a title of at most 200 characters."))])
    description = TextAreaField(_l("Description"), filters=TEXT)
    language = SelectField(_l("Language of the course"), choices=language_choices)
    training_type = SelectField(_l("Training type"), choices=training_type_choices)
    finish_within_days = IntegerField(
        _l("Finish within (days after redeeming; empty: no deadline)"),
        validators=[Optional(), NumberRange(1, 365, _l("Between 1 and 365 days."))])
    programme_course_code = StringField(_l("Programme's course code"), filters=TEXT)
    cover = FileField(_l("Cover image (JPEG, PNG or WebP, at most 5 MB)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.finish_within_days.gettext = NOT_A_NUMBER  # type: ignore[attr-defined]


class AddModuleForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=kind_choices)
    title = StringField(_l("Title"), filters=TEXT, validators=[
        InputRequired(_l("Give the module a title of at most 200 characters."))])
    required = BooleanField(_l("Required (later modules wait until it is done)"),
                            default=True)


class ModuleForm(FlaskForm):
    title = StringField(_l("Title"), filters=TEXT, validators=[
        InputRequired(_l("Give the module a title of at most 200 characters."))])
    required = BooleanField(_l("Required (later modules wait until it is done)"))
    body = TextAreaField(_l("Text (HTML: headings, paragraphs, lists, links and images)"))
    min_dwell_seconds = IntegerField(
        _l("Minimum reading time in seconds (empty: from the length of the text)"),
        validators=[Optional()])


class ConfirmForm(FlaskForm):
    confirm = HiddenField(validators=[AnyOf(["yes"])])


class MoveForm(FlaskForm):
    direction = HiddenField(validators=[AnyOf(["up", "down"])])


class CodesForm(FlaskForm):
    count = IntegerField(_l("How many codes"), default=10, validators=[
        InputRequired(NOT_A_NUMBER), NumberRange(1, 10_000, _l("Between 1 and 10,000."))])


class DecisionForm(FlaskForm):
    decision = SelectField(_l("Decision"), choices=[("approve", _l("Approve and publish")),
                                                    ("return", _l("Return to the provider"))])
    notes = TextAreaField(_l("Notes for the provider (required when returning)"),
                          filters=TEXT)
