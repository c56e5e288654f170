"""The studio's API twins: course packages (import, export), review requests, the admins'
decision, and grading a skill-task submission."""
from __future__ import annotations

from flask import Blueprint, Response, jsonify, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from lms.api.json_body import json_object, text_field
from lms.api.openapi import INT, STR, _json, _obj, op, record, register_paths, text
from lms.assessments import skills
from lms.assessments.models import SubmissionStatus
from lms.catalog import packages, review, services
from lms.errors import Invalid

bp = Blueprint("studio_api", __name__)

GRADE_DECISIONS = {"pass": SubmissionStatus.PASSED, "revise": SubmissionStatus.REVISE}


@bp.post("/course-packages")
@login_required
def import_package():
    course = packages.import_package(current_user, request.files.get("package"))
    return jsonify(course_id=course.id, slug=course.slug, status="draft"), 201


@bp.get("/courses/<int:course_id>/package")
@login_required
def export_package(course_id: int):
    course = services.get_course(current_user, course_id)
    raw = request.args.get("version")
    if raw is not None and not (raw.isdigit() and 0 < int(raw) < 100_000):
        raise Invalid(_l("The version is a positive number."), code="invalid_field",
                      field="version")
    data = packages.export_package(current_user, course, int(raw) if raw else None)
    return Response(data, mimetype="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{course.slug}.zip"'})


@bp.post("/courses/<int:course_id>/review-requests")
@login_required
def request_review(course_id: int):
    course = services.get_course(current_user, course_id)
    review.submit(current_user, course)
    return jsonify(status="in_review"), 201


@bp.post("/courses/<int:course_id>/decision")
@login_required
def decide(course_id: int):
    body = json_object()
    decision = text_field(body, "decision", 20)
    notes = text_field(body, "notes", review.MAX_NOTES, required=False)
    course = services.get_course(current_user, course_id)
    version = review.decide(current_user, course, decision, notes)
    return jsonify(status=version.status, version=version.number)


@bp.post("/submissions/<int:submission_id>/grade")
@login_required
def grade(submission_id: int):
    body = json_object()
    decision = text_field(body, "decision", 20)
    feedback = text_field(body, "feedback", 10_000, required=False)
    if decision not in GRADE_DECISIONS:
        raise Invalid(_l("Choose pass or revise."), code="invalid_decision", field="decision")
    submission = skills.get_for_grading(current_user, submission_id)
    graded = skills.grade(current_user, submission, GRADE_DECISIONS[decision], feedback)
    return jsonify(submission_id=graded.id, status=graded.status)


PROBLEMS = {"type": "array", "items": _obj(path=STR, code=STR, message=STR)}
register_paths({
    "/api/v1/course-packages": {"post": {**op(
        "Import a course package (alur-course/1) as a new draft of the caller's provider",
        {201: {"description": "created", **_json(record(course_id=INT, slug=STR, status=STR))},
         400: "bad_request", 401: "unauthorized", 403: "staff_only", 413: "too_large",
         422: "invalid_package (with problems: [{path, message}])"}),
        "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": _obj(
            package={"type": "string", "format": "binary"})}}}}},
    "/api/v1/courses/{course_id}/package": {"get": {**op(
        "Export the draft (or published version ?version=N) as a course package",
        {200: {"description": "a zip", "content": {"application/zip": {
            "schema": {"type": "string", "format": "binary"}}}},
         401: "unauthorized", 403: "staff_only", 404: "course_not_found | version_not_found",
         422: "invalid_field"}, params=("course_id",))}},
    "/api/v1/courses/{course_id}/review-requests": {"post": op(
        "Submit the course's draft for the programme's review (runs the checklist)",
        {201: {"description": "in review", **_json(record(status=STR))},
         401: "unauthorized", 403: "staff_only", 404: "course_not_found",
         409: "already_in_review | nothing_to_submit",
         422: {"description": "course_incomplete", **_json(_obj(
             error=STR, message=STR, problems=PROBLEMS))}}, params=("course_id",))},
    "/api/v1/courses/{course_id}/decision": {"post": op(
        "Approve (publish) or return the version in review (admins)",
        {200: {"description": "decided", **_json(record(status=STR, version=INT))},
         400: "malformed_json", 401: "unauthorized", 403: "admin_only",
         404: "course_not_found", 409: "not_in_review",
         422: "invalid_decision | missing_field"},
        body={"oneOf": [
            {**_obj(decision={"type": "string", "enum": ["approve"]},
                    notes={"type": "string", "maxLength": 5000}), "required": ["decision"]},
            {**_obj(decision={"type": "string", "enum": ["return"]}, notes=text(5000)),
             "required": ["decision", "notes"]}]},
        params=("course_id",))},
    "/api/v1/submissions/{submission_id}/grade": {"post": op(
        "Grade a skill-task submission with written feedback (staff of the course's provider)",
        {200: {"description": "graded", **_json(record(submission_id=INT, status=STR))},
         400: "malformed_json", 401: "unauthorized", 403: "forbidden",
         404: "submission_not_found", 409: "already_graded",
         422: "invalid_decision | missing_field"},
        body={**_obj(decision={"type": "string", "enum": ["pass", "revise"]},
                     feedback=text(5000)),
              "required": ["decision", "feedback"]},
        params=("submission_id",))},
})
