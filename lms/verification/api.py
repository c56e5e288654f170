"""Completion review API (admin token): the list, one completion with its evidence, and
the decision."""
from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask_login import current_user, login_required

from lms.api.json_body import json_object
from lms.api.openapi import INT, NUM, STR, _json, _obj, op, record, register_paths
from lms.permissions import verification as review_permissions
from lms.verification import presenters, services

bp = Blueprint("verification_api", __name__)


@bp.get("/completions")
@login_required
def list_completions():
    review_permissions.ensure_may_review_completions(current_user)
    wanted = services.clean_filter(request.args.get("status"), request.args.get("flag"),
                                   request.args.get("provider_id"),
                                   request.args.get("course_id"), default_status="all")
    items, next_cursor = services.api_page(current_user, wanted, request.args.get("cursor"))
    return jsonify({"items": [presenters.api_item(c) for c in items],
                    "next_cursor": next_cursor})


@bp.get("/completions/<int:completion_id>")
@login_required
def get_completion(completion_id: int):
    completion = services.get_completion(current_user, completion_id)
    return jsonify(presenters.api_detail(completion))


@bp.post("/completions/<int:completion_id>/decision")
@login_required
def decide(completion_id: int):
    body = json_object()
    completion = services.get_completion(current_user, completion_id)
    completion = services.decide(current_user, completion, body.get("decision"),
                                 body.get("reason"))
    return jsonify(presenters.api_detail(completion))


_FLAG = _obj(code=STR, detail=STR)
_ITEM = record(completion_id=INT, enrollment_id=INT, participant_ref=STR, course_slug=STR,
               completed_at=STR, checked_at={"type": ["string", "null"]},
             status={"type": "string", "enum": ["pending", "flagged", "verified", "rejected"]},
             flags={"type": "array", "items": _FLAG})
_DETAIL = {**_ITEM, "required": [*_ITEM["required"], "evidence", "decision"], "properties": {
    **_ITEM["properties"],
    "evidence": _obj(wall_seconds=NUM, credited_seconds=NUM, media_seconds=NUM, sessions=INT,
                     heartbeats=INT, segments=INT, devices=INT),
    "decision": {"type": ["object", "null"], "properties": {
        "decision": STR, "reason": STR, "decided_at": STR, "decided_by": STR}}}}
register_paths({
    "/api/v1/completions": {"get": {
        **op("Completions, newest first (admin); filter by status, flag, provider_id, "
             "course_id; page with the cursor",
             {200: {"description": "a page", **_json(record(
                 items={"type": "array", "items": _ITEM},
                 next_cursor={"type": ["string", "null"]}))},
              401: "unauthorized", 403: "admin_only",
              422: "invalid_filter | invalid_cursor"}),
        "parameters": [{"name": n, "in": "query", "required": False,
                        "schema": {"type": "string"}}
                       for n in ("status", "flag", "provider_id", "course_id", "cursor")]}},
    "/api/v1/completions/{completion_id}": {"get": op(
        "One completion with its evidence totals and decision (admin)",
        {200: {"description": "completion", **_json(_DETAIL)},
         401: "unauthorized", 403: "admin_only", 404: "completion_not_found"},
        params=("completion_id",))},
    "/api/v1/completions/{completion_id}/decision": {"post": op(
        "Decide a completion: verified or rejected, with a reason (admin). The same call "
        "again is a no-op; a different decision after one answers 409.",
        {200: {"description": "decided", **_json(_DETAIL)},
         400: "malformed_json", 401: "unauthorized", 403: "admin_only",
         404: "completion_not_found", 409: "decision_conflict",
         422: "invalid_decision | reason_required"},
        body={**_obj(decision={"type": "string", "enum": ["verified", "rejected"]},
                     reason=STR), "required": ["decision", "reason"]},
        params=("completion_id",))},
})
