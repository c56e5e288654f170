"""Signed, expiring links to a skill-task file, for the programme to fetch without an account."""
from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from lms.programme.errors import FileLinkInvalid

SALT = "alur.programme.submission-file"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def link_lifetime_seconds() -> int:
    return int(current_app.config.get("PRAKERJA_FILE_LINK_SECONDS", 7 * 24 * 3600))


def submission_file_url(submission_id: int) -> str:
    """An absolute link (PUBLIC_BASE_URL) valid for PRAKERJA_FILE_LINK_SECONDS. Built with
    the app's context alone: the outbox sends from threads that serve no request, and without
    SERVER_NAME `url_for` cannot build there."""
    adapter = current_app.url_map.bind("localhost",
                                       script_name=current_app.config["APPLICATION_ROOT"])
    path = adapter.build("programme.submission_file",
                         {"token": _serializer().dumps(submission_id)})
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
