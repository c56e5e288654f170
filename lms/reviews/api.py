"""Rating API: a learner rates and reviews a completed course (the mobile app's form)."""
from __future__ import annotations

from datetime import timezone

from flask import Blueprint, jsonify
from flask_login import current_user, login_required

from lms.api.json_body import json_object
from lms.api.openapi import ERROR, register_paths
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


RATING = {"type": "object", "properties": {
    "rating_id": {"type": "integer"}, "enrollment_id": {"type": "integer"},
    "stars": {"type": "integer", "minimum": 1, "maximum": 5},
    "review": {"type": "string", "minLength": 10, "maxLength": 2000},
    "created_at": {"type": "string"}}}


def _json(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": RATING}}}


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": ERROR}}}


PARAM = [{"name": "enrollment_id", "in": "path", "required": True, "schema": {"type": "integer"}}]

register_paths({"/api/v1/enrollments/{enrollment_id}/rating": {
    "get": {"summary": "The caller's rating of their enrollment's course", "parameters": PARAM,
            "responses": {"200": _json("rating"), "401": _error("unauthorized"),
                          "404": _error("enrollment_not_found | rating_not_found")}},
    "post": {"summary": "Rate (1–5 stars) and review a completed course, once",
             "parameters": PARAM,
             "requestBody": {"required": True, "content": {"application/json": {"schema": {
                 "type": "object", "required": ["stars", "review"],
                 "properties": {"stars": {"type": "integer"}, "review": {"type": "string"}}}}}},
             "responses": {"201": _json("rating recorded"), "400": _error("malformed_json"),
                           "401": _error("unauthorized"),
                           "404": _error("enrollment_not_found"),
                           "409": _error("not_completed | already_rated"),
                           "422": _error("invalid_stars | invalid_review")}},
}})
