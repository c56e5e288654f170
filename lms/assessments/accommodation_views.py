"""The staff page of extra time on timed quizzes: who has it, and the form that gives it."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from lms import permissions
from lms.accounts.models import Role
from lms.assessments import accommodations
from lms.errors import Invalid, NotFound
from lms.http import page_arg
from lms.transactions import discard_changes

bp = Blueprint("accommodations", __name__, url_prefix="/grading/extra-time")


class ExtraTimeForm(FlaskForm):
    email = StringField(_l("Learner's e-mail address"), validators=[DataRequired(), Length(max=254)])
    course = SelectField(_l("Course"), coerce=int, validate_choice=False)
    percent = SelectField(_l("Time on every timed quiz"), coerce=int, validate_choice=False,
                          choices=[(p, _l("%(factor)s× the time limit", factor=f"{p / 100:g}"))
                                   for p in accommodations.PERCENT_CHOICES], default=150)
    reason = TextAreaField(_l("Reason (kept in the audit log)"),
                           validators=[DataRequired(), Length(max=accommodations.MAX_REASON)])


@bp.before_request
@login_required
def require_staff():
    permissions.ensure_role(current_user, Role.PROVIDER, Role.ADMIN)


def _page(form: ExtraTimeForm, status: int = 200):
    return render_template("assessments/accommodations.html", form=form,
                           page=accommodations.history(current_user, page_arg())), status


def _form() -> ExtraTimeForm:
    form = ExtraTimeForm()
    form.course.choices = [(c.id, c.title) for c in accommodations.courses_for(current_user)]
    return form


@bp.get("/")
def overview():
    return _page(_form())


@bp.post("/")
def give():
    form = _form()
    if not form.validate_on_submit():
        return _page(form, 422)
    try:
        enrollment = accommodations.find_enrollment(current_user, form.email.data,
                                                    form.course.data)
        accommodations.give_extra_time(current_user, enrollment, form.percent.data,
                                       form.reason.data)
    except (Invalid, NotFound) as error:
        discard_changes()
        field = error.extra.get("field")
        target = form.reason if field == "reason" else (form.percent if field == "percent" else form.email)
        target.errors = [*target.errors, error.message]
        return _page(form, error.status)
    flash(_("%(name)s now has %(factor)s× the time limit on timed quizzes of “%(course)s”.",
            name=enrollment.user.name, factor=f"{form.percent.data / 100:g}",
            course=enrollment.course.title), "success")
    return redirect(url_for("accommodations.overview"))
