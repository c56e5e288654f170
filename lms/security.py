"""Who is asking: session cookies for browsers, bearer tokens for API clients."""
from __future__ import annotations

from flask import Flask, current_app, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from lms.accounts import services as accounts
from lms.accounts.callers import Caller
from lms.accounts.models import User
from lms.errors import Unauthorized
from lms.extensions import db, login_manager
from lms.permissions.incentives import credentials_count_here


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


def session_user_id() -> int | None:
    """The user id Flask-Login keeps in the signed session cookie, unchecked."""
    value = session.get("_user_id")
    return int(value) if isinstance(value, str) and value.isdigit() else None


def carries_session_credentials() -> bool:
    """Whether the request would be signed in by its cookies (session or remember-me), which
    is what makes a cross-site request forgery possible."""
    remember = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    return session_user_id() is not None or remember in request.cookies


def _signed_in_user() -> User | None:
    return current_user._get_current_object() if current_user.is_authenticated else None


def request_caller() -> Caller:
    """Who the request claims to be, without a query: the session cookie's user (which
    Flask-Login also tries first), else the bearer token's digest. `load_user` falls back on
    Flask-Login, so remember-me cookies and deactivated accounts are judged as everywhere."""
    user_id = session_user_id()
    token = None if user_id is not None else bearer_token()
    return Caller(user_id=user_id, token_digest=accounts.token_digest(token) if token else None,
                  load_user=_signed_in_user)


def init_login(app: Flask) -> None:
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Sign in to continue.")
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
        return user if user and user.active and credentials_count_here(user, request.endpoint) \
            else None

    @login_manager.request_loader
    def load_user_from_token(req) -> User | None:
        token = bearer_token()
        user = accounts.user_for_token(token) if token else None
        return user if user and credentials_count_here(user, request.endpoint) else None

    @login_manager.unauthorized_handler
    def unauthorized():
        if request.path.startswith("/api/") or request.path.startswith("/media/"):
            raise Unauthorized()
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
