"""The OpenAPI 3.1 document for every /api/v1 route (a test keeps it in step with url_map)."""
from __future__ import annotations

from typing import Any

ERROR = {"$ref": "#/components/schemas/Error"}


def _json(schema: dict) -> dict:
    return {"content": {"application/json": {"schema": schema}}}


def _obj(**props: Any) -> dict:
    return {"type": "object", "properties": props}


def op(summary: str, responses: dict[int, str | dict], body: dict | None = None,
       public: bool = False, params: tuple[str, ...] = ()) -> dict:
    operation: dict[str, Any] = {"summary": summary, "responses": {}}
    for status, spec in responses.items():
        if isinstance(spec, str):
            spec = {"description": spec, **_json(ERROR if status >= 400 else {"type": "object"})}
        operation["responses"][str(status)] = spec
    if body is not None:
        operation["requestBody"] = {"required": True, **_json(body)}
    if public:
        operation["security"] = []
    if params:
        operation["parameters"] = [{"name": p, "in": "path", "required": True,
                                    "schema": {"type": "integer"}} for p in params]
    return operation


STR = {"type": "string"}
INT = {"type": "integer"}
NUM = {"type": "number"}
BOOL = {"type": "boolean"}

PATHS: dict[str, dict[str, dict]] = {
    "/api/v1/auth/login": {"post": op(
        "Exchange e-mail and password for a bearer token",
        {200: {"description": "token", **_json(_obj(token=STR))},
         400: "malformed JSON", 401: "invalid_credentials", 422: "missing_field",
         429: "rate_limited"},
        body=_obj(email=STR, password=STR), public=True)},
    "/api/v1/courses": {"get": op(
        "Published courses",
        {200: {"description": "courses", **_json(_obj(items={"type": "array", "items": _obj(
            slug=STR, title=STR, provider_name=STR, hours=NUM, modules_count=INT)}))}},
        public=True)},
    "/api/v1/enrollments": {"post": op(
        "Redeem a code into an enrollment",
        {201: {"description": "enrolled", **_json(_obj(enrollment_id=INT, course_slug=STR))},
         401: "unauthorized", 403: "code_other_provider", 404: "code_not_found",
         409: "code_already_used | code_cancelled | transaction_cancelled | already_enrolled",
         422: "wrong_training_type | missing_field"},
        body=_obj(code=STR, course_slug=STR))},
    "/api/v1/enrollments/{enrollment_id}": {"get": op(
        "An enrollment with every module's status",
        {200: {"description": "enrollment", **_json(_obj(
            enrollment_id=INT, course_slug=STR, status=STR, progress_percent=INT,
            eligibility_status=STR,
            modules={"type": "array", "items": _obj(
                module_id=INT, position=INT, kind=STR, title=STR, status=STR,
                duration_seconds=NUM, frontier_seconds=NUM)}))},
         401: "unauthorized", 404: "enrollment_not_found"},
        params=("enrollment_id",))},
}


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
        "paths": PATHS,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Error": {"type": "object", "required": ["error", "message"],
                                  "properties": {"error": STR, "message": STR}}},
        },
    }
