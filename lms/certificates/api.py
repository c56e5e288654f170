"""Certificate API: the holder's certificate of an enrollment and public verification."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import Blueprint, jsonify, url_for
from flask_login import current_user, login_required

from lms.api.json_body import json_object
from lms.api.openapi import ERROR, id_parameter, register_paths
from lms.certificates import services
from lms.certificates.models import Certificate
from lms.learning import services as learning

bp = Blueprint("certificates", __name__)


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def public_record(certificate: Certificate) -> dict:
    """Every certified field and the live status, as anyone may see them."""
    return {
        "number": certificate.number,
        "status": certificate.status,
        "holder_name": certificate.holder_name,
        "course_title": certificate.course_title,
        "provider_name": certificate.provider_name,
        "hours": certificate.hours,
        "completed_at": _iso(certificate.completed_at),
        "issued_at": _iso(certificate.issued_at),
        "revoked_at": _iso(certificate.revoked_at),
        "revocation_reason": certificate.revocation_reason,
        "verify_url": certificate.verify_url,
        "credential": certificate.credential,
        "credential_kid": certificate.credential_kid,
        "keys_url": url_for("certificates.published_keys", _external=True),
    }


def holder_record(certificate: Certificate) -> dict:
    return {
        **public_record(certificate),
        "pdf_url": url_for("certificates.download_pdf", number=certificate.number,
                           _external=True),
        "pdf_ready": certificate.pdf_ready,
        "enrollment_id": certificate.enrollment_id,
    }


def _uncached(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/enrollments/<int:enrollment_id>/certificate")
@login_required
def get_for_enrollment(enrollment_id: int):
    enrollment = learning.get_enrollment_for(current_user, enrollment_id)
    certificate = services.certificate_for_enrollment(current_user, enrollment)
    return _uncached(jsonify(holder_record(certificate)))


@bp.post("/enrollments/<int:enrollment_id>/certificate")
@login_required
def issue_for_enrollment(enrollment_id: int):
    enrollment = learning.get_enrollment_for(current_user, enrollment_id)
    certificate = services.request_certificate(current_user, enrollment)
    return _uncached(jsonify(holder_record(certificate)))


@bp.get("/certificates/<number>")
def verify(number: str):
    certificate = services.find_by_number(number)
    response = _uncached(jsonify(public_record(certificate)))
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.post("/certificates/<number>/revocation")
@login_required
def revoke(number: str):
    body = json_object()
    reason = body.get("reason") if isinstance(body.get("reason"), str) else ""
    certificate = services.find_by_number(number)
    certificate = services.revoke_once(current_user, certificate, reason)
    return _uncached(jsonify({"number": certificate.number, "status": certificate.status,
                              "revoked_at": _iso(certificate.revoked_at),
                              "revocation_reason": certificate.revocation_reason}))


STR = {"type": "string"}
NULL_STR = {"type": ["string", "null"]}
PUBLIC = {"number": STR, "status": {"type": "string", "enum": ["valid", "revoked"]},
          "holder_name": STR, "course_title": STR, "provider_name": STR,
          "hours": {"type": "number"}, "completed_at": STR, "issued_at": STR,
          "revoked_at": NULL_STR, "revocation_reason": NULL_STR, "verify_url": STR,
          "credential": {"type": "string", "description": "Open Badges 3.0 credential as a "
                         "JWT signed with EdDSA; verify with /.well-known/alur-keys.json"},
          "credential_kid": STR, "keys_url": STR}
HOLDER = {**PUBLIC, "pdf_url": STR, "pdf_ready": {"type": "boolean"},
          "enrollment_id": {"type": "integer"}}


def _json(properties: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": {
        "type": "object", "properties": properties, "required": list(properties)}}}}


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": ERROR}}}


ENROLLMENT_PARAM = [id_parameter("enrollment_id")]

register_paths({
    "/api/v1/enrollments/{enrollment_id}/certificate": {
        "get": {"summary": "The certificate of the caller's enrollment",
                "parameters": ENROLLMENT_PARAM,
                "responses": {"200": _json(HOLDER, "certificate"),
                              "401": _error("unauthorized"),
                              "404": _error("enrollment_not_found | certificate_not_issued")}},
        "post": {"summary": "Issue the certificate of a completed enrollment (idempotent)",
                 "parameters": ENROLLMENT_PARAM,
                 "responses": {"200": _json(HOLDER, "certificate (new or existing)"),
                               "401": _error("unauthorized"),
                               "404": _error("enrollment_not_found"),
                               "409": _error("not_completed"),
                               "503": _error("certificates_unavailable (no signing key)")}},
    },
    "/api/v1/certificates/{number}": {
        "get": {"summary": "Verify a certificate by its number (public)", "security": [],
                "parameters": [{"name": "number", "in": "path", "required": True,
                                "schema": {"type": "string"},
                                "example": "ALR-2026-7K3M-9QX2-C"}],
                "responses": {"200": _json(PUBLIC, "certificate and its live status"),
                              "404": _error("certificate_not_found | number_mistyped")}},
    },
    "/api/v1/certificates/{number}/revocation": {
        "post": {"summary": "Revoke a certificate with a reason (admin); repeating is a no-op",
                 "parameters": [{"name": "number", "in": "path", "required": True,
                                 "schema": {"type": "string"}}],
                 "requestBody": {"required": True, "content": {"application/json": {
                     "schema": {"type": "object", "properties": {"reason": STR},
                                "required": ["reason"]}}}},
                 "responses": {"200": _json({"number": STR, "status": STR,
                                             "revoked_at": NULL_STR,
                                             "revocation_reason": NULL_STR}, "revoked"),
                               "400": _error("malformed_json"),
                               "401": _error("unauthorized"),
                               "403": _error("admin_only"),
                               "404": _error("certificate_not_found | number_mistyped"),
                               "413": _error("too_large (the body is larger than this call "
                                             "takes)"),
                               "422": _error("invalid (reason missing)")}},
    },
})
