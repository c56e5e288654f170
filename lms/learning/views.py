"""The learner's pages: catalog, course page, dashboard, redeeming, outline and modules."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms import permissions
from lms.catalog import services as catalog_services
from lms.errors import AlurError
from lms.http import page_arg
from lms.learning import services
from lms.learning.forms import RedeemForm

bp = Blueprint("learning", __name__)


@bp.get("/")
def catalog():
    page = catalog_services.published_courses(page=page_arg())
    return render_template("learning/catalog.html", page=page)


@bp.get("/courses/<slug>")
def course(slug: str):
    course = catalog_services.get_course_by_slug(slug)
    permissions.ensure_may_view_course(current_user, course)
    enrollment = services.enrollment_in(current_user, course)
    form = RedeemForm(course_slug=course.slug)
    return render_template("learning/course.html", course=course, enrollment=enrollment,
                           form=form)


@bp.get("/dashboard")
@login_required
def dashboard():
    return _dashboard(RedeemForm())


def _dashboard(form: RedeemForm, status: int = 200):
    enrollments = services.learner_enrollments(current_user)
    rows = [(e, services.progress_percent(services.outline(e))) for e in enrollments]
    return render_template("learning/dashboard.html", rows=rows, form=form), status


@bp.post("/redeem")
@login_required
def redeem():
    form = RedeemForm()
    if form.validate_on_submit():
        try:
            enrollment = services.redeem_code(current_user, form.code.data,
                                              form.course_slug.data or None)
        except AlurError as error:
            form.code.errors.append(str(error.message))
        else:
            flash(_("You are enrolled. Start with the first module."), "success")
            return redirect(url_for("learning.outline", enrollment_id=enrollment.id))
    return _dashboard(form, 422)


@bp.get("/enrollments/<int:enrollment_id>")
@login_required
def outline(enrollment_id: int):
    enrollment = services.get_enrollment_for(current_user, enrollment_id)
    entries = services.outline(enrollment)
    return render_template("learning/outline.html", enrollment=enrollment, entries=entries,
                           percent=services.progress_percent(entries))


@bp.get("/enrollments/<int:enrollment_id>/modules/<int:module_id>")
@login_required
def module(enrollment_id: int, module_id: int):
    enrollment, module = services.get_module_for(current_user, enrollment_id, module_id)
    entries = services.outline(enrollment)
    return render_template("learning/module.html", enrollment=enrollment, module=module,
                           entries=entries)
