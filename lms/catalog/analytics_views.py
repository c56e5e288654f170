"""The provider's analytics page of a course and its CSV export."""
from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, render_template
from flask_login import current_user, login_required

from lms.catalog import analytics, services
from lms.permissions import catalog as rules

bp = Blueprint("studio_analytics", __name__, url_prefix="/provider")


@bp.before_request
@login_required
def require_staff():
    rules.ensure_staff(current_user)


@bp.get("/courses/<int:course_id>/analytics")
def analytics_page(course_id: int):
    course = services.get_course(current_user, course_id)
    return render_template("studio/analytics.html", course=course,
                           data=analytics.course_analytics(current_user, course))


@bp.get("/courses/<int:course_id>/analytics.csv")
def analytics_csv(course_id: int):
    course = services.get_course(current_user, course_id)
    out = io.StringIO()
    csv.writer(out).writerows(analytics.csv_rows(analytics.course_analytics(current_user, course)))
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{course.slug}-analytics.csv"'})
