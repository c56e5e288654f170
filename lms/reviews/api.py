"""Rating API: a learner rates and reviews a completed course (the mobile app's form)."""
from __future__ import annotations

from datetime import timezone

from flask import Blueprint, jsonify
from flask_login import current_user, login_required

from lms.api.json_body import json_object
from lms.api.openapi import BODY_ERRORS, ERROR, id_parameter, register_paths
from lms.learning import services as learning
from lms.reviews import services
from lms.reviews.models import Rating

bp = Blueprint("reviews", __name__)


def _record(rating: Rating) -> dict:
    return {"rating_id": rating.id, "enrollment_id": rating.enrollment_id,
            "stars": rating.stars, "review": rating.review,
            "created_at": rating.created_at.astimezone(timezone.utc).isoformat()
            .replace("+00:00", "Z")}


@bp.get("/enrollments/<int:enrollment_id>/rating")
@login_required
def get_rating(enrollment_id: int):
    enrollment = learning.get_enrollment_for(current_user, enrollment_id)
    return jsonify(_record(services.rating_for(current_user, enrollment)))


@bp.post("/enrollments/<int:enrollment_id>/rating")
@login_required
def create_rating(enrollment_id: int):
    enrollment = learning.get_enrollment_for(current_user, enrollment_id)
    body = json_object()
    rating = services.rate_course(current_user, enrollment, body.get("stars"),
                                  body.get("review"))
    return jsonify(_record(rating)), 201


RATING = {"type": "object", "required": ["rating_id", "enrollment_id", "stars", "review",
                                          "created_at"], "properties": {
    "rating_id": {"type": "integer"}, "enrollment_id": {"type": "integer"},
    "stars": {"type": "integer", "minimum": 1, "maximum": 5},
    "review": {"type": "string", "minLength": 10, "maxLength": 2000},
    "created_at": {"type": "string"}}}


def _json(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": RATING}}}


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": ERROR}}}


PARAM = [id_parameter("enrollment_id")]
# The review is trimmed and cleaned of control and direction characters before it is counted.
TEN_VISIBLE_CHARACTERS = r"[^\s\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069]{10}"

register_paths({"/api/v1/enrollments/{enrollment_id}/rating": {
    "get": {"summary": "The caller's rating of their enrollment's course", "parameters": PARAM,
            "responses": {"200": _json("rating"), "401": _error("unauthorized"),
                          "404": _error("enrollment_not_found | rating_not_found")}},
    "post": {"summary": "Rate (1–5 stars) and review a completed course, once",
             "parameters": PARAM,
             "requestBody": {"required": True, "content": {"application/json": {"schema": {
                 "type": "object", "required": ["stars", "review"],
                 "properties": {
                     "stars": {"type": "integer", "minimum": 1, "maximum": 5},
                     "review": {"type": "string", "maxLength": 2000,
                                "pattern": TEN_VISIBLE_CHARACTERS}}}}}},
             "responses": {"201": _json("rating recorded"),
                           **{str(status): _error(text) for status, text in BODY_ERRORS.items()},
                           "401": _error("unauthorized"),
                           "404": _error("enrollment_not_found"),
                           "409": _error("not_completed | already_rated"),
                           "422": _error("invalid_stars | invalid_review | invalid_text")}},
}})
