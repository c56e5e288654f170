"""What a request body may be: how large per kind, and which JSON is parsed at all.

Size: a JSON API call is small (`JSON_BODY_MAX_KB`), a sign-in, sign-up, reset or redeem call
smaller still (`SMALL_BODY_MAX_KB`, declared with `@body_limit`), a page form a little larger
(`FORM_BODY_MAX_KB`); only multipart uploads may be as large as `MAX_CONTENT_LENGTH` (or the
smaller limit of their own endpoint). The bound is set before anything reads the body, so an
oversized one is refused (413) without being read.

JSON: the standard parser recurses once per nesting level, so `[[[[…]]]]` a thousand deep
raised RecursionError (a 500) wherever a body was parsed, even in the sign-in throttle's key
function. Bodies nested deeper than `MAX_JSON_DEPTH` are refused before parsing (400), and a
string holding a lone UTF-16 surrogate (`"\\udfff"`, valid JSON escape syntax but no Unicode
text) is refused after it (422) instead of reaching the database.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import lazy_gettext as _l

from werkzeug.exceptions import RequestEntityTooLarge

from lms.errors import BadRequest, Invalid

MAX_JSON_DEPTH = 32
KIB = 1024
SMALL = "SMALL_BODY_MAX_KB"
_BODY_LIMIT_ATTRIBUTE = "alur_body_limit"

# A JSON string (possibly unterminated) or a bracket: strings are skipped whole.
_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}]', re.DOTALL)
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")

View = TypeVar("View", bound=Callable[..., Any])


def nesting_depth_exceeds(text: str, limit: int) -> bool:
    """Whether the JSON text opens more than `limit` arrays/objects inside one another."""
    depth = 0
    for match in _JSON_TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > limit:
                return True
        elif token in "]}":
            depth -= 1
    return False


def has_lone_surrogate(value: Any) -> bool:
    """Whether any string (or object key) inside the parsed JSON value is not Unicode text."""
    if isinstance(value, str):
        return _LONE_SURROGATE.search(value) is not None
    if isinstance(value, dict):
        return any(has_lone_surrogate(k) or has_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_lone_surrogate(item) for item in value)
    return False


class TooDeep(BadRequest):
    code = "malformed_json"
    default_message = _l("The JSON body nests too deeply.")


class NotUnicode(Invalid):
    code = "invalid_text"
    default_message = _l("The text contains characters that are not valid Unicode.")


def loads_request_json(data: str | bytes) -> Any:
    """`json.loads` for request bodies: malformed input raises ValueError as usual, too deep
    nesting TooDeep (400), a lone surrogate NotUnicode (422)."""
    text = data.decode(json.detect_encoding(data)) if isinstance(data, bytes) else data
    if nesting_depth_exceeds(text, MAX_JSON_DEPTH):
        raise TooDeep()
    value = json.loads(text)
    if has_lone_surrogate(value):
        raise NotUnicode()
    return value


class GuardedJSONProvider(DefaultJSONProvider):
    """The app's JSON provider, which Flask hands every request to parse its body with."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return loads_request_json(s)


def body_limit(setting: str) -> Callable[[View], View]:
    """Bound the view's request body (whatever its kind) to the configured KiB `setting`."""
    def mark(view: View) -> View:
        setattr(view, _BODY_LIMIT_ATTRIBUTE, setting)
        return view
    return mark


def _limit_for_this_request() -> int | None:
    view = current_app.view_functions.get(request.endpoint or "")
    setting = getattr(view, _BODY_LIMIT_ATTRIBUTE, None)
    if setting is None:
        if request.mimetype == "multipart/form-data":
            return None  # uploads: MAX_CONTENT_LENGTH, or their endpoint's own bound
        setting = "FORM_BODY_MAX_KB" if request.mimetype == \
            "application/x-www-form-urlencoded" else "JSON_BODY_MAX_KB"
    return int(current_app.config[setting]) * KIB


def bound_request_body() -> None:
    limit = _limit_for_this_request()
    if limit is None:
        return
    current = request.max_content_length
    request.max_content_length = limit if current is None else min(limit, current)
    # A declared length over the bound is refused now, whatever the view would check first;
    # a body without one (chunked) is cut off by the bound above when it is read.
    if (request.content_length or 0) > request.max_content_length:
        raise RequestEntityTooLarge()


def init_app(app: Flask) -> None:
    """Call before any extension that reads bodies (CSRF) registers its own hooks."""
    app.json = GuardedJSONProvider(app)
    app.before_request(bound_request_body)
