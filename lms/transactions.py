"""Where a request's transaction ends: one place, for every view of the app.

Handlers load, check and call one service; services flush and never commit. When the handler
returns an answer below 400 its work is committed; an error answer or an exception rolls it
back. A refusal whose evidence must outlive it (a heartbeat ahead of the frontier, a segment
beyond the look-ahead, an upload that was refused and cleaned up) is raised with
`AlurError.keeping_changes()`: what the service wrote is committed, then the refusal answers.

Reads must not write. A GET, HEAD or OPTIONS is always rolled back, except on the few routes
whose whole point is evidence of what was served (`@delivers_evidence`); in testing, a read
that tried to write fails loudly, so no such handler slips in unnoticed.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, Response, current_app, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session

from lms.db_types import defer_sqlite_transactions_in_this_thread
from lms.errors import AlurError
from lms.extensions import db

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
View = TypeVar("View", bound=Callable[..., Any])


class ReadWrote(RuntimeError):
    """A GET wrote to the database: a bug in the handler, reported only while testing."""


def delivers_evidence(view: View) -> View:
    """Marks a GET whose answer is itself evidence (media served to a learner's session)."""
    view.delivers_evidence = True  # type: ignore[attr-defined]
    return view


def _may_write(view: Callable[..., Any]) -> bool:
    return request.method not in READ_METHODS or getattr(view, "delivers_evidence", False)


def _end(view: Callable[..., Any], commit: bool) -> None:
    if commit and _may_write(view):
        db.session.commit()
        return
    if g.pop("_alur_flushed", False) and not _may_write(view) \
            and current_app.config.get("TESTING"):
        db.session.rollback()
        raise ReadWrote(f"{request.method} {request.path} wrote to the database")
    db.session.rollback()


def discard_changes() -> None:
    """Undo a refused service call's flushed work before the page shows the form again, so it
    shows what is stored; the answer's status then ends the (empty) transaction as usual."""
    db.session.rollback()


def ends_transaction(view: View) -> View:
    """Commit the view's work when it answers below 400, roll it back otherwise."""
    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Response:
        g.pop("_alur_flushed", None)
        try:
            response = current_app.make_response(view(*args, **kwargs))
        except AlurError as error:
            _end(view, error.keeps_changes)
            raise
        except BaseException:
            db.session.rollback()
            raise
        _end(view, response.status_code < 400)
        return response
    return wrapper  # type: ignore[return-value]


def _note_flush(session: Session, flush_context: Any) -> None:
    if has_request_context() and session is db.session():
        g._alur_flushed = True


def _begin_reads_deferred() -> None:
    """A request that may not write begins its SQLite transaction deferred: it never queues
    behind the heartbeats' write lock. Set before every other hook, which may load the user."""
    view = current_app.view_functions.get(request.endpoint or "")
    read_only = view is not None and not _may_write(view)
    g._alur_deferred_before = defer_sqlite_transactions_in_this_thread(read_only) \
        if read_only else None


def _restore_begin(error: BaseException | None = None) -> None:
    previous = g.pop("_alur_deferred_before", None)
    if previous is not None:
        defer_sqlite_transactions_in_this_thread(previous)


def init_app(app: Flask) -> None:
    """Wrap every registered view; call after the blueprints are registered."""
    for endpoint, view in list(app.view_functions.items()):
        if endpoint != "static":
            app.view_functions[endpoint] = ends_transaction(view)
    app.before_request_funcs.setdefault(None, []).insert(0, _begin_reads_deferred)
    app.teardown_request(_restore_begin)
    if not event.contains(Session, "after_flush", _note_flush):
        event.listen(Session, "after_flush", _note_flush)
