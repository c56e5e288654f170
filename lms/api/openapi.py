"""The OpenAPI 3.1 document for every /api/v1 route (a test keeps it in step with url_map).

It says what the server does, no more and no less: Schemathesis runs over it in the test
suite (tests/security/test_schemathesis.py) with every default check, so a field the server
always sends is `required`, one it may send as null is nullable, a body field it refuses when
blank or too long says so, and every status an operation can answer is listed.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app

from lms.converters import MAX_DATABASE_ID

ERROR = {"$ref": "#/components/schemas/Error"}


def _json(schema: dict) -> dict:
    return {"content": {"application/json": {"schema": schema}}}


def _obj(**props: Any) -> dict:
    return {"type": "object", "properties": props}


def record(**props: Any) -> dict:
    """An object that always carries every listed property (it may carry more later)."""
    return {"type": "object", "properties": props, "required": list(props)}


def with_optional(schema: dict, **props: Any) -> dict:
    """`schema` with more properties that are sent only sometimes."""
    return {**schema, "properties": {**schema["properties"], **props}}


def body_of(required: dict[str, dict], optional: dict[str, dict] | None = None) -> dict:
    """A request body object: the server answers 422 when a `required` member is missing."""
    return {"type": "object", "properties": {**required, **(optional or {})},
            "required": list(required)}


def nullable(schema: dict) -> dict:
    """The schema, or null."""
    kind = schema.get("type")
    if isinstance(kind, str):
        return {**schema, "type": [kind, "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


def text(max_length: int) -> dict:
    """Text as `lms.api.json_body.text_field` reads it: not blank, at most `max_length` characters."""
    return {"type": "string", "minLength": 1, "maxLength": max_length, "pattern": r"\S"}


BODY_ERRORS: dict[int, str] = {400: "malformed_json (not a JSON object, or nested too deeply)",
                               413: "too_large (the body is larger than this call takes)"}


def op(summary: str, responses: dict[int, str | dict], body: dict | None = None,
       public: bool = False, params: tuple[str, ...] = ()) -> dict:
    operation: dict[str, Any] = {"summary": summary, "responses": {}}
    if body is not None:
        responses = {**BODY_ERRORS, **responses}
    for status, spec in sorted(responses.items()):
        if isinstance(spec, str):
            spec = {"description": spec, **_json(ERROR if status >= 400 else {"type": "object"})}
        operation["responses"][str(status)] = spec
    if body is not None:
        operation["requestBody"] = {"required": True, **_json(body)}
    if public:
        operation["security"] = []
    if params:
        operation["parameters"] = [id_parameter(p) for p in params]
    return operation


def id_parameter(name: str) -> dict:
    """A database id in the path (lms.converters: larger numbers match no route: 404)."""
    return {"name": name, "in": "path", "required": True,
            "schema": {"type": "integer", "minimum": 0, "maximum": MAX_DATABASE_ID}}


STR = {"type": "string"}
INT = {"type": "integer"}
NUM = {"type": "number"}
BOOL = {"type": "boolean"}

_MODULE_ENTRY = record(
    module_id=INT, position=INT, kind=STR, title=STR, required=BOOL, status=STR,
    duration_seconds=nullable(NUM), frontier_seconds=NUM)

PATHS: dict[str, dict[str, dict]] = {
    "/api/v1/auth/login": {"post": op(
        "Exchange e-mail and password for a bearer token",
        {200: {"description": "token", **_json(record(token=STR))},
         401: "invalid_credentials", 422: "missing_field | invalid_field | invalid_text",
         429: "rate_limited"},
        body=body_of({"email": text(254), "password": text(200)}), public=True)},
    "/api/v1/courses": {"get": op(
        "Published courses",
        {200: {"description": "courses", **_json(record(
            items={"type": "array", "items": record(
                slug=STR, title=STR, provider_name=STR, hours=NUM, modules_count=INT)},
            page=INT, pages=INT, total=INT))}},
        public=True)},
    "/api/v1/enrollments": {"post": op(
        "Redeem a code into an enrollment",
        {201: {"description": "enrolled", **_json(record(enrollment_id=INT, course_slug=STR))},
         401: "unauthorized", 403: "code_other_provider | forbidden (not a learner)",
         404: "code_not_found", 409: "code_already_used | code_cancelled | "
                                     "transaction_cancelled | already_enrolled",
         422: "wrong_training_type | missing_field | invalid_field | invalid_text"},
        body=body_of({"code": text(64)},
                     {"course_slug": nullable({"type": "string", "maxLength": 120})}))},
    "/api/v1/enrollments/{enrollment_id}": {"get": op(
        "An enrollment with every module's status",
        {200: {"description": "enrollment", **_json(record(
            enrollment_id=INT, course_slug=STR, status=STR, progress_percent=INT,
            completion_status={"type": "string", "enum": [
                "none", "pending", "flagged", "verified", "rejected"]},
            eligibility_status=STR,
            modules={"type": "array", "items": _MODULE_ENTRY}))},
         401: "unauthorized", 404: "enrollment_not_found"},
        params=("enrollment_id",))},
}


@dataclass(frozen=True)
class Configured:
    """A value in the document that follows the configuration (e.g. an upload limit), so
    the document states the limit this server enforces, not a default."""

    setting: str
    convert: Callable[[Any], Any] = lambda value: value

    def value(self) -> Any:
        return self.convert(current_app.config[self.setting])


def _resolved(node: Any) -> Any:
    if isinstance(node, Configured):
        return node.value()
    if isinstance(node, dict):
        return {key: _resolved(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_resolved(value) for value in node]
    return node


def register_paths(paths: dict[str, dict[str, dict]]) -> None:
    """Domains that add /api/v1 routes describe them here."""
    for path, operations in paths.items():
        PATHS.setdefault(path, {}).update(operations)


def document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Alur API", "version": "1.0.0",
                 "description": "Learning with completion proven on the server."},
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}],
        "paths": _resolved(PATHS),
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Error": {"type": "object", "required": ["error", "message"],
                                  "properties": {"error": STR, "message": STR}}},
        },
    }
