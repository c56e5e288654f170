"""Redeem codes of a published course, for its provider's staff and admins: generate a batch,
download every code as CSV, cancel a code or the purchase behind it."""
from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.catalog import services
from lms.catalog.forms import CodesForm, ConfirmForm
from lms.catalog.models import Course
from lms.errors import AlurError
from lms.http import page_arg
from lms.learning import services as learning
from lms.transactions import discard_changes
from lms.permissions import catalog as rules

bp = Blueprint("codes", __name__, url_prefix="/provider")


@bp.before_request
@login_required
def require_staff():
    rules.ensure_staff(current_user)


def _page(course: Course, form: CodesForm | None = None, status: int = 200,
          fresh: list[str] | None = None):
    return render_template("studio/codes.html", course=course,
                           page=learning.course_codes(current_user, course, page_arg()),
                           form=form or CodesForm(formdata=None), confirm=ConfirmForm(formdata=None),
                           code_state=learning.code_state, fresh=fresh or []), status


@bp.get("/courses/<int:course_id>/codes")
def codes(course_id: int):
    return _page(services.get_course(current_user, course_id))


@bp.post("/courses/<int:course_id>/codes")
def generate(course_id: int):
    course = services.get_course(current_user, course_id)
    form = CodesForm()
    if not form.validate_on_submit():
        return _page(course, form, 422)
    try:
        fresh = learning.generate_codes(current_user, course, form.count.data)
    except AlurError as error:
        discard_changes()
        form.count.errors.append(str(error.message))
        return _page(course, form, error.status)
    flash(_("%(n)d new codes were generated.", n=len(fresh)), "success")
    return _page(course, fresh=fresh)


@bp.get("/courses/<int:course_id>/codes.csv")
def download(course_id: int):
    course = services.get_course(current_user, course_id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["code", "course_slug", "state", "created_at", "used_at"])
    for code in learning.all_course_codes(current_user, course):
        writer.writerow([code.code, course.slug, learning.code_state(code),
                         code.created_at.isoformat(),
                         code.used_at.isoformat() if code.used_at else ""])
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{course.slug}-codes.csv"'})


@bp.route("/codes/<int:code_id>/cancel", methods=["GET", "POST"])
def cancel(code_id: int):
    return _confirm(code_id, "code")


@bp.route("/codes/<int:code_id>/cancel-transaction", methods=["GET", "POST"])
def cancel_transaction(code_id: int):
    return _confirm(code_id, "transaction")


def _confirm(code_id: int, what: str):
    code = learning.get_code(current_user, code_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        if what == "code":
            learning.cancel_code(current_user, code)
            flash(_("The code %(code)s was cancelled.", code=code.code), "success")
        else:
            learning.cancel_transaction(current_user, code)
            flash(_("The purchase behind %(code)s was marked cancelled.", code=code.code),
                  "success")
        return redirect(url_for(".codes", course_id=code.course_id))
    return render_template("studio/code_cancel.html", code=code, course=code.course, what=what,
                           form=form), 422 if form.is_submitted() else 200
