"""Reading JSON bodies strictly: malformed input is a 400/422 in the contract's shape."""
from __future__ import annotations

from typing import Any

from flask import request
from flask_babel import lazy_gettext as _l

from lms.errors import BadRequest, Invalid


def json_object() -> dict[str, Any]:
    """The request's JSON object. Raises BadRequest (malformed_json) for anything else."""
    body = request.get_json(silent=True, force=True) if request.data else None
    if not isinstance(body, dict):
        raise BadRequest(_l("The body must be a JSON object."), code="malformed_json")
    return body


def text_field(body: dict[str, Any], name: str, max_length: int, required: bool = True) -> str:
    """A string field. Raises Invalid (missing_field / invalid_field) naming the field."""
    value = body.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise Invalid(_l("The field “%(name)s” is required.", name=name),
                          code="missing_field", field=name)
        return ""
    if not isinstance(value, str):
        raise Invalid(_l("The field “%(name)s” must be text.", name=name),
                      code="invalid_field", field=name)
    if len(value) > max_length:
        raise Invalid(_l("The field “%(name)s” has at most %(n)d characters.", name=name,
                         n=max_length), code="invalid_field", field=name)
    return value
