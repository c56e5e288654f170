"""The incentive payer's API: eligibility in change order, and the payer's reports."""
from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask_login import current_user

from lms.api.json_body import json_object
from lms.api.openapi import op, register_paths
from lms.clock import utcnow
from lms.incentives import services
from lms.incentives.ledger import item_record
from lms.incentives.models import EligibilityStatus
from lms.permissions import ensure_signed_in

bp = Blueprint("eligibility", __name__)


@bp.get("/eligibility")
def list_items():
    actor = ensure_signed_in(current_user)
    limit = services.clean_limit(request.args.get("limit"))
    page = services.payer_page(actor, request.args.get("status"),
                               request.args.get("cursor"), limit)
    return jsonify({"items": [item_record(item) for item in page.items],
                    "next_cursor": page.next_cursor, "resume_cursor": page.resume_cursor})


@bp.post("/eligibility/<int:item_id>/status")
def set_status(item_id: int):
    actor = ensure_signed_in(current_user)
    item = services.get_item(actor, item_id)
    body = json_object()
    item = services.report_payment(actor, item, body.get("status"), body.get("reference"),
                                   utcnow())
    return jsonify(item_record(item))


ITEM = {"type": "object", "properties": {
    "eligibility_id": {"type": "integer"}, "participant_ref": {"type": "string"},
    "certificate_number": {"type": "string"}, "course_slug": {"type": "string"},
    "completed_at": {"type": "string", "format": "date-time"},
    "status": {"type": "string", "enum": list(EligibilityStatus.ALL)},
    "reason": {"type": ["string", "null"]}, "recovery_required": {"type": "boolean"},
    "payer_reference": {"type": ["string", "null"]},
    "changed_at": {"type": "string", "format": "date-time"}}}
ITEM["required"] = list(ITEM["properties"])

_list = op("Eligibility items in change order (payer or admin token)",
           {200: {"description": "a page of items", "content": {"application/json": {
               "schema": {"type": "object", "required": ["items", "next_cursor"], "properties": {
                   "items": {"type": "array", "items": ITEM},
                   "next_cursor": {"type": ["string", "null"]},
                   "resume_cursor": {"type": ["string", "null"]}}}}}},
            401: "unauthorized", 403: "payer_only", 422: "invalid_status | invalid_cursor | invalid_limit"})
_list["parameters"] = [
    {"name": "status", "in": "query", "schema": {"type": "string",
                                                  "enum": list(EligibilityStatus.ALL)}},
    {"name": "cursor", "in": "query", "schema": {"type": "string"}},
    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1,
                                                 "maximum": services.MAX_PAYER_PAGE}}]

register_paths({
    "/api/v1/eligibility": {"get": _list},
    "/api/v1/eligibility/{item_id}/status": {"post": op(
        "Report an eligible item paid or rejected (idempotent for the same reference)",
        {200: {"description": "the item", "content": {"application/json": {"schema": ITEM}}},
         400: "malformed_json", 401: "unauthorized", 403: "payer_only",
         404: "eligibility_not_found", 409: "status_conflict",
         422: "invalid_status | invalid_reference"},
        body={"type": "object", "required": ["status", "reference"], "properties": {
            "status": {"type": "string", "enum": ["paid", "rejected"]},
            "reference": {"type": "string", "maxLength": 200}}},
        params=("item_id",))},
})
