"""Sign-in throttling shared by the form and the API: failures only, per address and e-mail."""
from __future__ import annotations

from flask import current_app, g, request

from lms.extensions import limiter


def _login_key() -> str:
    email = request.form.get("email")
    if email is None:
        body = request.get_json(silent=True)
        email = body.get("email") if isinstance(body, dict) else ""
    return f"login:{request.remote_addr}:{str(email or '').strip().lower()[:254]}"


def note_login_failure() -> None:
    g.login_failed = True


def _failed(response) -> bool:
    return bool(g.get("login_failed"))


login_throttle = limiter.limit(
    lambda: current_app.config["LOGIN_FAILURE_LIMIT"],
    key_func=_login_key,
    methods=["POST"],
    deduct_when=_failed,
)
