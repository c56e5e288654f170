"""Domain errors and the handlers that turn every failure into a clear answer.

Services raise `AlurError` subclasses carrying a machine code, an HTTP status and a
human sentence. Under /api/ every error, including Werkzeug's and unexpected ones, answers
`{"error": code, "message": sentence}`; pages get a template in the user's language.
"""
from __future__ import annotations

import errno
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app, g, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, DBAPIError, DisconnectionError
from werkzeug.exceptions import HTTPException

from lms.extensions import db, login_manager

log = logging.getLogger(__name__)


class AlurError(Exception):
    status = 400
    code = "bad_request"
    default_message = _l("The request could not be processed.")
    #: Whether the work done before the refusal is committed (evidence of the attempt).
    keeps_changes = False

    def __init__(self, message: str | None = None, *, code: str | None = None, **extra) -> None:
        self.message = message if message is not None else self.default_message
        if code:
            self.code = code
        self.extra = extra
        super().__init__(str(self.message))

    def keeping_changes(self) -> AlurError:
        """This refusal, answered after committing what was written before it: the
        evidence of a refused heartbeat or segment, the clean-up of a refused upload."""
        self.keeps_changes = True
        return self

    def payload(self) -> dict:
        return {"error": self.code, "message": str(self.message), **self.extra}


class BadRequest(AlurError):
    status = 400
    code = "bad_request"


class Unauthorized(AlurError):
    status = 401
    code = "unauthorized"
    default_message = _l("Sign in first.")


class Forbidden(AlurError):
    status = 403
    code = "forbidden"
    default_message = _l("You are not allowed to do that.")


class NotFound(AlurError):
    status = 404
    code = "not_found"
    default_message = _l("Not found.")


class Conflict(AlurError):
    status = 409
    code = "conflict"


class Gone(AlurError):
    status = 410
    code = "gone"


class Invalid(AlurError):
    status = 422
    code = "invalid"
    default_message = _l("Some fields are not valid.")


class TooLarge(AlurError):
    status = 413
    code = "too_large"
    default_message = _l("The request is too large.")


#: Seconds a client waits before trying again while the database is out of reach: a server
#: restart or a fail-over takes a few seconds, and the player's next heartbeat is due in 10.
DATABASE_RETRY_AFTER_SECONDS = 5


class DatabaseUnavailable(AlurError):
    """The database server could not be reached (restarting, failing over, refusing
    connections): nothing was saved, and the same request will work again shortly."""
    status = 503
    code = "database_unavailable"
    default_message = _l("Alur cannot reach its database right now. Nothing was saved: "
                         "try again in a few seconds.")
    headers = {"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)}


class InsufficientStorage(AlurError):
    """The disk that keeps uploads is full. 507 (RFC 4918: the server cannot store what the
    request needs), not 413: the file is within the limits and fits once room is made, so
    the uploader must not be told to make it smaller."""
    status = 507
    code = "storage_full"
    default_message = _l("There is no room left to store this file, so nothing was saved. "
                         "Try again later; if it keeps happening, tell the programme's "
                         "administrators that the media storage is full.")


#: The errno values of a write refused for lack of space (a full disk, a user's quota).
NO_SPACE = frozenset({errno.ENOSPC, errno.EDQUOT})
#: SQLSTATEs of a server out of reach: connection exceptions (class 08), shutting down or
#: starting up (57P01-57P03), out of connection slots (53300).
UNREACHABLE_SQLSTATES = ("08", "57P01", "57P02", "57P03", "53300")


def database_unreachable(error: BaseException) -> bool:
    """Whether `error` says the database server is out of reach, rather than that a
    statement is wrong: a connection the pool found dead, a connection lost mid-statement
    (SQLAlchemy then invalidates the pool), or a server refusing new connections."""
    if isinstance(error, DisconnectionError):
        return True
    if not isinstance(error, DBAPIError):
        return False
    if error.connection_invalidated:
        return True
    # Only server drivers carry a SQLSTATE (SQLite's errors have none: its file has no
    # server to lose, and "database is locked" or a missing table are not outages).
    if not hasattr(error.orig, "sqlstate"):
        return False
    sqlstate = error.orig.sqlstate  # None: libpq itself could not connect or lost the line
    return sqlstate is None or sqlstate.startswith(UNREACHABLE_SQLSTATES)


@contextmanager
def refusing_when_full() -> Iterator[None]:
    """Turn a write refused for lack of disk space into InsufficientStorage, which a form
    shows beside its field like any other refusal."""
    try:
        yield
    except OSError as error:
        if error.errno not in NO_SPACE:
            raise
        raise InsufficientStorage() from error


HTTP_CODES = {
    400: ("bad_request", _l("The request could not be understood.")),
    401: ("unauthorized", _l("Sign in first.")),
    403: ("forbidden", _l("You are not allowed to do that.")),
    404: ("not_found", _l("Not found.")),
    405: ("method_not_allowed", _l("That method is not allowed here.")),
    409: ("conflict", _l("That conflicts with the current state.")),
    413: ("too_large", _l("The request is too large.")),
    415: ("unsupported_media_type", _l("That content type is not supported.")),
    422: ("invalid", _l("Some fields are not valid.")),
    429: ("rate_limited", _l("Too many attempts. Wait a few minutes and try again.")),
    500: ("internal_error", _l("Something went wrong on our side. Nothing was saved.")),
}


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path.startswith("/media/")


def _render(status: int, code: str, message: str, extra: dict | None = None,
            headers: list[tuple[str, str]] | None = None):
    if _wants_json():
        return jsonify({"error": code, "message": message, **(extra or {})}), status, \
            headers or []
    template = f"errors/{status}.html" if status in (403, 404, 429) else "errors/generic.html"
    return render_template(template, status=status, code=code, message=message,
                           extra=extra or {}), status, headers or []


def _protocol_headers(error: HTTPException) -> list[tuple[str, str]]:
    """The headers an HTTP error carries besides its HTML body's type: `Allow` on a 405,
    `Retry-After` where known; clients rely on them whatever the body looks like."""
    return [(name, value) for name, value in error.get_headers()
            if name.lower() != "content-type"]


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(AlurError)
    def handle_alur_error(error: AlurError):
        db.session.rollback()
        response = current_app.make_response(
            _render(error.status, error.code, str(error.message), error.extra))
        # A refusal may say when to come back (Retry-After of a programme that is down).
        response.headers.extend(getattr(error, "headers", {}))
        return response

    @app.errorhandler(CSRFError)
    def handle_csrf(error: CSRFError):
        return _render(400, "csrf_failed",
                       str(_l("The form expired. Reload the page and try again.")))

    @app.errorhandler(DataError)
    def handle_unstorable_input(error: DataError):
        # The database refused a value no form rule caught (a NUL byte in text on
        # PostgreSQL, a number out of range): the input is at fault, and nothing was saved.
        log.warning("unstorable input on %s %s: %s", request.method, request.path, error.orig)
        db.session.rollback()
        code, message = HTTP_CODES[422]
        return _render(422, code, str(message))

    @app.errorhandler(DBAPIError)
    @app.errorhandler(DisconnectionError)
    def handle_database_error(error: Exception):
        if not database_unreachable(error):
            return handle_unexpected(error)
        log.warning("database unreachable on %s %s: %s", request.method, request.path, error)
        db.session.rollback()
        # Who is signed in cannot be asked of a database that is not there, and a user
        # loaded before the failure was expired by the rollback: the page is drawn for a
        # visitor (the session cookie is untouched, so the next page is signed in again).
        g._login_user = login_manager.anonymous_user()
        return handle_alur_error(DatabaseUnavailable())

    @app.errorhandler(OSError)
    def handle_os_error(error: OSError):
        if error.errno not in NO_SPACE:
            return handle_unexpected(error)
        log.error("no space left on %s %s: %s", request.method, request.path, error)
        return handle_alur_error(InsufficientStorage())

    @app.errorhandler(HTTPException)
    def handle_http(error: HTTPException):
        status = error.code or 500
        code, message = HTTP_CODES.get(status, ("http_error", error.description or ""))
        return _render(status, code, str(message), headers=_protocol_headers(error))

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        code, message = HTTP_CODES[500]
        return _render(500, code, str(message))
