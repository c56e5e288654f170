"""The provider area: the courses a staff member authors, with a way into each video module's
upload page (the fuller course editor comes later)."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from lms.catalog import listings, review
from lms.http import page_arg

bp = Blueprint("catalog", __name__)


@bp.get("/provider/courses")
@login_required
def provider_courses():
    courses, videos = listings.provider_courses(current_user, page=page_arg())
    states = {c.id: review.course_state(c) for c in courses.items}
    return render_template("catalog/provider_courses.html", page=courses, videos=videos,
                           states=states)
