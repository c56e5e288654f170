"""Provider pages for authoring a course's assessments: its question banks and their
questions, each quiz module's settings and each assignment module's skill task.

The authoring services decide what is valid and write the audit entries; these views read
the forms, show the services' refusals on the form that caused them, and commit.
"""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import Field

from lms import permissions
from lms.accounts.models import Role
from lms.assessments import authoring, files
from lms.assessments import authoring_queries as queries
from lms.assessments.authoring_forms import (BankForm, ConfirmForm, QuestionForm,
                                             QuizSettingsForm, SkillTaskForm)
from lms.assessments.models import QuestionBank
from lms.catalog.models import Course, Module, ModuleKind
from lms.errors import Invalid
from lms.http import page_arg
from lms.transactions import discard_changes

bp = Blueprint("authoring", __name__, url_prefix="/provider")

# Which field a service refusal belongs to, by its code; others are shown above the form.
QUESTION_FIELDS = {"invalid_kind": "kind", "invalid_text": "text"}
QUIZ_FIELDS = {"invalid_role": "role", "invalid_position": "role", "invalid_bank": "bank_id",
               "invalid_pass_percent": "pass_percent", "invalid_attempts": "attempts_allowed",
               "invalid_time_limit": "time_limit_minutes",
               "invalid_question_count": "questions_per_attempt",
               "answers_would_leak": "show_answers_after_last"}
TASK_FIELDS = {"invalid_instructions": "instructions", "invalid_kinds": "accepted_kinds",
               "invalid_max_mb": "max_mb"}


@bp.before_request
@login_required
def require_authors():
    # Learners are told plainly that these pages are not theirs; staff of another provider
    # get NotFound from the loaders, so another provider's courses do not leak.
    permissions.ensure_role(current_user, Role.PROVIDER, Role.ADMIN)


def _refused(form, error: Invalid, fields: dict[str, str]) -> int:
    """Put the service's refusal on the field it concerns; the status to answer with."""
    discard_changes()
    field: Field | None = getattr(form, fields.get(error.code, ""), None)
    (field.errors if field is not None else form.form_errors).append(str(error.message))
    return error.status


def _overview(course: Course, bank_form: BankForm | None = None, status: int = 200):
    return render_template("assessments/authoring/course.html", course=course,
                           overview=queries.overview(course),
                           bank_form=bank_form or BankForm(formdata=None)), status


@bp.get("/courses/<int:course_id>/assessments")
def course(course_id: int):
    return _overview(queries.course_for(current_user, course_id))


@bp.post("/courses/<int:course_id>/assessments/banks")
def create_bank(course_id: int):
    course_obj = queries.course_for(current_user, course_id)
    form = BankForm()
    if not form.validate_on_submit():
        return _overview(course_obj, form, 422)
    try:
        bank = authoring.create_bank(current_user, course_obj, form.title.data)
    except Invalid as error:
        return _overview(course_obj, form, _refused(form, error, {"invalid_title": "title"}))
    flash(_("The question bank “%(title)s” was created. Add its questions now.",
            title=bank.title), "success")
    return redirect(url_for(".bank", bank_id=bank.id))


def _bank_page(bank: QuestionBank, form: QuestionForm | None = None, status: int = 200):
    return render_template("assessments/authoring/bank.html", bank=bank, course=bank.course,
                           page=queries.questions_page(bank, page_arg()),
                           form=form or QuestionForm(formdata=None)), status


@bp.get("/question-banks/<int:bank_id>")
def bank(bank_id: int):
    return _bank_page(queries.bank_for(current_user, bank_id))


@bp.post("/question-banks/<int:bank_id>/questions")
def add_question(bank_id: int):
    bank_obj = queries.bank_for(current_user, bank_id)
    form = QuestionForm()
    if not form.validate_on_submit():
        return _bank_page(bank_obj, form, 422)
    try:
        question = authoring.add_question(current_user, bank_obj, form.kind.data,
                                          form.text.data, form.option_pairs(),
                                          form.explanation.data or "")
    except Invalid as error:
        return _bank_page(bank_obj, form, _refused(form, error, QUESTION_FIELDS))
    flash(_("The question was added."), "success")
    return redirect(url_for(".bank", bank_id=bank_obj.id, page=queries.page_of(question),
                            _anchor=f"question-{question.id}"))


@bp.route("/questions/<int:question_id>/retire", methods=["GET", "POST"])
def retire_question(question_id: int):
    question = queries.question_for(current_user, question_id)
    form = ConfirmForm()
    if question.active and form.validate_on_submit():
        authoring.retire_question(current_user, question)
        flash(_("The question was retired: new attempts no longer draw it."), "success")
        return redirect(url_for(".bank", bank_id=question.bank_id,
                                page=queries.page_of(question)))
    return render_template("assessments/authoring/retire.html", question=question,
                           bank=question.bank, form=form), \
        422 if form.is_submitted() and question.active else 200


def _quiz_form(module: Module) -> QuizSettingsForm:
    # A post is read from its own fields only: an empty post must not re-save the current
    # settings as if they had been submitted.
    settings = queries.quiz_settings(module) if request.method == "GET" else None
    data = {}
    if settings is not None:
        limit = settings.time_limit_seconds
        data = {"role": settings.role, "bank_id": settings.bank_id,
                "pass_percent": settings.pass_percent,
                "attempts_allowed": settings.attempts_allowed,
                # Minutes on the form; a limit set in seconds elsewhere is shown rounded up.
                "time_limit_minutes": None if limit is None else -(-limit // 60),
                "questions_per_attempt": settings.questions_per_attempt,
                "show_answers_after_last": settings.show_answers_after_last}
    form = QuizSettingsForm(data=data)
    form.bank_id.choices = [(b.id, b.title) for b in queries.banks_of(module.course)]
    return form


@bp.route("/modules/<int:module_id>/quiz", methods=["GET", "POST"])
def quiz(module_id: int):
    module = queries.module_for(current_user, module_id, ModuleKind.QUIZ)
    form = _quiz_form(module)
    status = 200
    if form.validate_on_submit():
        banks = {b.id: b for b in queries.banks_of(module.course)}
        minutes = form.time_limit_minutes.data
        try:
            authoring.configure_quiz(
                current_user, module, banks[form.bank_id.data], role=form.role.data,
                pass_percent=form.pass_percent.data,
                attempts_allowed=form.attempts_allowed.data,
                time_limit_seconds=None if minutes is None else minutes * 60,
                questions_per_attempt=form.questions_per_attempt.data,
                show_answers_after_last=form.show_answers_after_last.data)
        except Invalid as error:
            status = _refused(form, error, QUIZ_FIELDS)
        else:
            flash(_("The settings of “%(title)s” were saved.", title=module.title), "success")
            return redirect(url_for(".course", course_id=module.course.id))
    elif form.is_submitted():
        status = 422
    return render_template("assessments/authoring/quiz.html", module=module,
                           course=module.course, form=form), status


def _task_form(module: Module) -> SkillTaskForm:
    if request.method != "GET":
        return SkillTaskForm()
    task = queries.skill_task(module)
    if task is None:
        return SkillTaskForm(data={"accepted_kinds": list(files.FILE_KINDS), "allow_link": True})
    return SkillTaskForm(data={"instructions": task.instructions, "accepted_kinds": task.kinds,
                               "max_mb": task.max_mb, "allow_link": task.allow_link})


@bp.route("/modules/<int:module_id>/skill-task", methods=["GET", "POST"])
def skill_task(module_id: int):
    module = queries.module_for(current_user, module_id, ModuleKind.ASSIGNMENT)
    form = _task_form(module)
    status = 200
    if form.validate_on_submit():
        try:
            authoring.configure_skill_task(
                current_user, module, form.instructions.data or "",
                accepted_kinds=form.accepted_kinds.data or [], max_mb=form.max_mb.data,
                allow_link=form.allow_link.data)
        except Invalid as error:
            status = _refused(form, error, TASK_FIELDS)
        else:
            flash(_("The skill task of “%(title)s” was saved.", title=module.title), "success")
            return redirect(url_for(".course", course_id=module.course.id))
    elif form.is_submitted():
        status = 422
    return render_template("assessments/authoring/skill_task.html", module=module,
                           course=module.course, form=form), status
