"""Who is asking: session cookies for browsers, bearer tokens for API clients."""
from __future__ import annotations

from flask import Flask, redirect, request, url_for
from flask_babel import lazy_gettext as _l

from lms.accounts import services as accounts
from lms.accounts.models import User
from lms.errors import Unauthorized
from lms.extensions import db, login_manager


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


def init_login(app: Flask) -> None:
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Sign in to continue.")
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
        return user if user and user.active else None

    @login_manager.request_loader
    def load_user_from_token(req) -> User | None:
        token = bearer_token()
        return accounts.user_for_token(token) if token else None

    @login_manager.unauthorized_handler
    def unauthorized():
        if request.path.startswith("/api/") or request.path.startswith("/media/"):
            raise Unauthorized()
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
