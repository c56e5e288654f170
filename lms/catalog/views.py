"""The provider area's list of courses, and the images of readings (seen by learners too)."""
from __future__ import annotations

from flask import Blueprint, render_template, send_file
from flask_login import current_user, login_required

from lms.catalog import listings, reading_images, review
from lms.http import page_arg

bp = Blueprint("catalog", __name__)


@bp.get("/provider/courses")
@login_required
def provider_courses():
    courses, videos = listings.provider_courses(current_user, page=page_arg())
    states = {c.id: review.course_state(c) for c in courses.items}
    return render_template("catalog/provider_courses.html", page=courses, videos=videos,
                           states=states)


@bp.get("/reading-images/<int:course_id>/<name>")
def reading_image(course_id: int, name: str):
    stream, mimetype = reading_images.open_image(current_user, course_id, name)
    response = send_file(stream, mimetype=mimetype, conditional=False)
    # The name is the content's hash, so the bytes behind it never change; private because
    # who may see it depends on the caller.
    response.headers["Cache-Control"] = "private, max-age=31536000, immutable"
    return response
