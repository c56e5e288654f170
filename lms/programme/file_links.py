"""Signed, expiring links to a skill-task file, for the programme to fetch without an account."""
from __future__ import annotations

from flask import current_app, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer

from lms.programme.errors import FileLinkInvalid

SALT = "alur.programme.submission-file"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def link_lifetime_seconds() -> int:
    return int(current_app.config.get("PRAKERJA_FILE_LINK_SECONDS", 7 * 24 * 3600))


def submission_file_url(submission_id: int) -> str:
    """An absolute link (PUBLIC_BASE_URL) valid for PRAKERJA_FILE_LINK_SECONDS."""
    path = url_for("programme.submission_file", token=_serializer().dumps(submission_id))
    return current_app.config.get("PUBLIC_BASE_URL", "").rstrip("/") + path


def submission_of(token: str) -> int:
    """The submission a link names. Raises FileLinkInvalid for a forged or expired link."""
    try:
        value = _serializer().loads(token, max_age=link_lifetime_seconds())
    except BadSignature:
        raise FileLinkInvalid() from None
    if not isinstance(value, int):
        raise FileLinkInvalid()
    return value
