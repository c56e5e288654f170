from __future__ import annotations

from flask import Blueprint, jsonify
from flask_login import current_user, login_required

from lms.api.json_body import json_object, text_field
from lms.incentives.services import eligibility_status_of
from lms.learning import services
from lms.request_bodies import SMALL, body_limit
from lms.verification import services as verification

bp = Blueprint("enrollments", __name__)


@bp.post("/enrollments")
@body_limit(SMALL)
@login_required
def create_enrollment():
    body = json_object()
    code = text_field(body, "code", 64)
    course_slug = text_field(body, "course_slug", 120, required=False) or None
    enrollment = services.redeem_code(current_user, code, course_slug)
    return jsonify({"enrollment_id": enrollment.id, "course_slug": enrollment.course.slug}), 201


@bp.get("/enrollments/<int:enrollment_id>")
@login_required
def get_enrollment(enrollment_id: int):
    enrollment = services.get_enrollment_for(current_user, enrollment_id)
    entries = services.outline(enrollment)
    return jsonify({
        "enrollment_id": enrollment.id,
        "course_slug": enrollment.course.slug,
        "status": enrollment.status,
        "progress_percent": services.progress_percent(entries),
        "completion_status": verification.completion_status(enrollment),
        "eligibility_status": eligibility_status_of(enrollment),
        "modules": [{
            "module_id": e.module.id,
            "position": e.module.position,
            "kind": e.module.kind,
            "title": e.module.title,
            "required": e.module.required,
            "status": e.status,
            "duration_seconds": e.module.duration_seconds,
            "frontier_seconds": e.progress.frontier_seconds if e.progress else 0.0,
        } for e in entries],
    })
