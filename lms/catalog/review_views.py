"""The programme admins' review queue: the versions waiting, a preview of each with its
checklist, and the decision (approve: published; return: back to the provider with notes)."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.catalog import preview, review, services
from lms.catalog.forms import DecisionForm
from lms.catalog.models import Course
from lms.errors import AlurError
from lms.http import page_arg
from lms.transactions import discard_changes
from lms.permissions import catalog as rules

bp = Blueprint("course_review", __name__, url_prefix="/admin/reviews")


@bp.before_request
@login_required
def require_admin():
    rules.ensure_may_review(current_user)


@bp.get("")
def queue():
    return render_template("studio/review_queue.html", page=review.queue(current_user, page_arg()))


def _detail(course: Course, form: DecisionForm | None = None, status: int = 200):
    version = course.versions[-1]
    return render_template("studio/review_detail.html", course=course, version=version,
                           checklist=review.for_review(current_user, course),
                           rows=preview.module_rows(version), history=review.history(course),
                           state=review.course_state(course),
                           form=form or DecisionForm(formdata=None)), status


@bp.get("/<int:course_id>")
def detail(course_id: int):
    return _detail(services.get_course(current_user, course_id))


@bp.post("/<int:course_id>")
def decide(course_id: int):
    course = services.get_course(current_user, course_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        return _detail(course, form, 422)
    try:
        version = review.decide(current_user, course, form.decision.data, form.notes.data or "")
    except AlurError as error:
        discard_changes()
        target = form.notes if error.extra.get("field") == "notes" else None
        (target.errors if target is not None else form.form_errors).append(str(error.message))
        return _detail(course, form, error.status)
    flash(_("Version %(n)d of “%(title)s” was published.", n=version.number, title=course.title)
          if version.status == "published" else
          _("“%(title)s” was returned to the provider with your notes.", title=course.title),
          "success")
    return redirect(url_for(".queue"))
