"""Assessment endpoints of the JSON API (docs/http-api.md): attempts, submitting answers, and
skill-task hand-ins. Nothing answered before submission says which option is right."""
from __future__ import annotations

from datetime import datetime

from flask import Blueprint, jsonify, request
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge

from lms.api.json_body import json_object
from lms.api.openapi import BOOL, INT, NUM, STR, _json, _obj, op, register_paths
from lms.assessments import presenters, quizzes, skills
from lms.assessments.errors import FileTooLarge, InvalidAnswers
from lms.assessments.models import QuizAttempt, SkillSubmission
from lms.errors import Invalid
from lms.learning.models import EnrollmentStatus

bp = Blueprint("assessment_api", __name__)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _paper_json(attempt: QuizAttempt) -> list[dict]:
    return [{"question_id": q.question_id, "kind": q.kind, "text": q.text,
             "options": [{"option_id": o.option_id, "text": o.text} for o in q.options]}
            for q in presenters.paper(attempt)]


def _submission_json(item: SkillSubmission) -> dict:
    return {"submission_id": item.id, "number": item.number, "status": item.status,
            "submitted_at": _iso(item.submitted_at), "url": item.url,
            "file_name": item.file_name, "file_size": item.file_size,
            "feedback": item.feedback or None, "reviewed_at": _iso(item.reviewed_at)}


@bp.url_value_preprocessor
def limit_hand_in_size(endpoint: str | None, values: dict | None) -> None:
    """Cap a hand-in's body before anything reads it (see the page view of the same name)."""
    if endpoint == "api.assessment_api.submit_skill_task":
        request.max_content_length = skills.request_limit()


@bp.post("/modules/<int:module_id>/attempts")
@login_required
def start_attempt(module_id: int):
    enrollment, module = quizzes.owner_enrollment(current_user, module_id)
    attempt, created = quizzes.start_attempt(current_user, enrollment, module)
    return jsonify({"attempt_id": attempt.id, "module_id": module.id, "number": attempt.number,
                    "resumed": not created, "started_at": _iso(attempt.started_at),
                    "deadline_at": _iso(attempt.deadline_at),
                    "questions": _paper_json(attempt)}), 201


@bp.get("/attempts/<int:attempt_id>")
@login_required
def get_attempt(attempt_id: int):
    view = presenters.attempt_view(current_user, attempt_id)
    attempt = view.attempt
    state = "running" if view.running else ("expired" if view.expired else "submitted")
    body = {"attempt_id": attempt.id, "module_id": attempt.module_id, "number": attempt.number,
            "status": state, "deadline_at": _iso(attempt.deadline_at),
            "seconds_left": view.seconds_left, "score": attempt.score, "passed": attempt.passed,
            "attempts_left": view.available, "answers_revealed": view.reveal,
            "questions": _paper_json(attempt) if view.running else []}
    if view.reveal:
        body["correct_answers"] = presenters.correct_tokens(attempt)
    return jsonify(body)


@bp.post("/attempts/<int:attempt_id>/submit")
@login_required
def submit_attempt(attempt_id: int):
    attempt = quizzes.get_attempt_for(current_user, attempt_id)
    body = json_object()
    if set(body) != {"answers"}:
        raise InvalidAnswers()
    graded = quizzes.submit_attempt(current_user, attempt, body["answers"])
    return jsonify({"attempt_id": attempt.id, "score": attempt.score, "passed": attempt.passed,
                    "attempts_left": graded.attempts_left,
                    "correct_count": attempt.correct_count,
                    "question_count": attempt.question_count,
                    "pass_percent": quizzes.settings_for(attempt.module).pass_percent,
                    "module_completed": graded.module_completed,
                    "course_completed": attempt.enrollment.status == EnrollmentStatus.COMPLETED})


@bp.post("/modules/<int:module_id>/submissions")
@login_required
def submit_skill_task(module_id: int):
    enrollment, module = quizzes.owner_enrollment(current_user, module_id)
    if request.mimetype == "multipart/form-data":
        try:
            upload = request.files.get("file")
            url = request.form.get("url")
            note = request.form.get("note", "")
        except RequestEntityTooLarge:
            raise FileTooLarge() from None
    else:
        body = json_object()
        upload, url, note = None, body.get("url"), body.get("note", "")
        if not isinstance(url, (str, type(None))) or not isinstance(note, str):
            raise Invalid(code="invalid_field")
    received = skills.Upload(upload.filename, upload.stream) \
        if upload is not None and upload.filename else None
    item = skills.submit(current_user, enrollment, module, url=url, upload=received, note=note)
    return jsonify(_submission_json(item)), 201


@bp.get("/modules/<int:module_id>/submissions")
@login_required
def list_submissions(module_id: int):
    enrollment, module = quizzes.owner_enrollment(current_user, module_id)
    return jsonify({"items": [_submission_json(s) for s in skills.history(enrollment, module)]})


_QUESTION = _obj(question_id=INT, kind=STR, text=STR, options={"type": "array", "items": _obj(
    option_id=STR, text=STR)})
_SUBMISSION = _obj(submission_id=INT, number=INT, status=STR, submitted_at=STR, url=STR,
                   file_name=STR, file_size=INT, feedback=STR, reviewed_at=STR)
register_paths({
    "/api/v1/modules/{module_id}/attempts": {"post": op(
        "Start (or resume) an attempt of a quiz module: the questions in this attempt's order, "
        "never with their answers",
        {201: {"description": "attempt", **_json(_obj(
            attempt_id=INT, module_id=INT, number=INT, resumed=BOOL, started_at=STR,
            deadline_at=STR, questions={"type": "array", "items": _QUESTION}))},
         401: "unauthorized", 403: "module_locked | deadline_passed",
         404: "module_not_found | enrollment_not_found | not_a_quiz",
         409: "no_attempts_left | already_completed | assessment_not_ready"},
        params=("module_id",))},
    "/api/v1/attempts/{attempt_id}": {"get": op(
        "An attempt: its questions while running, its result once submitted",
        {200: {"description": "attempt", **_json(_obj(
            attempt_id=INT, status=STR, deadline_at=STR, seconds_left=INT, score=NUM,
            passed=BOOL, attempts_left=INT, answers_revealed=BOOL,
            questions={"type": "array", "items": _QUESTION},
            correct_answers={"type": "object"}))},
         401: "unauthorized", 404: "attempt_not_found"},
        params=("attempt_id",))},
    "/api/v1/attempts/{attempt_id}/submit": {"post": op(
        "Submit the answers of an attempt (option ids as given for this attempt); graded on "
        "the server, once",
        {200: {"description": "graded", **_json(_obj(
            score=NUM, passed=BOOL, attempts_left=INT, correct_count=INT, question_count=INT,
            module_completed=BOOL, course_completed=BOOL))},
         400: "malformed_json", 401: "unauthorized", 404: "attempt_not_found",
         409: "already_submitted", 410: "attempt_expired", 422: "invalid_answers"},
        body=_obj(answers={"type": "object", "additionalProperties": {
            "type": "array", "items": STR}}),
        params=("attempt_id",))},
    "/api/v1/modules/{module_id}/submissions": {
        "post": op(
            "Hand in the skill task: a JSON {url, note} or a multipart form with `file`",
            {201: {"description": "submission", **_json(_SUBMISSION)},
             400: "malformed_json", 401: "unauthorized", 403: "module_locked | deadline_passed",
             404: "module_not_found | enrollment_not_found | not_a_skill_task",
             409: "submission_pending | already_completed",
             413: "too_large", 422: "unsupported_type | invalid_url | missing_field"},
            body=_obj(url=STR, note=STR), params=("module_id",)),
        "get": op(
            "The learner's hand-ins of the skill task with the provider's feedback",
            {200: {"description": "history", **_json(_obj(items={"type": "array",
                                                               "items": _SUBMISSION}))},
             401: "unauthorized", 404: "module_not_found | enrollment_not_found"},
            params=("module_id",))},
})
