"""Throttling of sign-in and password-reset requests, shared by the pages and the API.

Sign-in counts failures only, three ways: per address and e-mail (a person mistyping), per
address across e-mails (one machine spraying a common password over many accounts) and per
e-mail across addresses (many machines guessing one account's password). Reset requests count
every request, per e-mail (no inbox gets flooded) and per address. The counts live in the
limiter's shared store (Redis, or a SQLite file every process shares), and the limits are
read from the configuration at each request, so operators and tests can tune them.
"""
from __future__ import annotations

from collections.abc import Callable

from flask import current_app, g, request

from lms.extensions import limiter

MAX_EMAIL_LENGTH = 254


def _claimed_email() -> str:
    """The e-mail the request names (form field or JSON member), normalised; "" if none."""
    email = request.form.get("email")
    if email is None and request.is_json:
        body = request.get_json(silent=True)
        email = body.get("email") if isinstance(body, dict) else ""
    return str(email or "").strip().lower()[:MAX_EMAIL_LENGTH]


def _address() -> str:
    # The peer address, or the client's as named by the trusted proxies (TRUSTED_PROXIES).
    return request.remote_addr or ""


def _pair_key() -> str:
    return f"{_address()}|{_claimed_email()}"


def _email_key() -> str:
    return _claimed_email()


def note_login_failure() -> None:
    g.login_failed = True


def _failed(response) -> bool:
    return bool(g.get("login_failed"))


def _configured(name: str) -> Callable[[], str]:
    return lambda: current_app.config[name]


def _compose(*decorators: Callable) -> Callable:
    def apply(view: Callable) -> Callable:
        for decorator in reversed(decorators):
            view = decorator(view)
        view.throttled = True  # type: ignore[attr-defined]
        return view
    return apply


@limiter.request_filter
def _unthrottled() -> bool:
    """Only the views below carry limits. Without this filter the limiter resolves its limits
    for every request, a twelfth of a heartbeat's CPU, to find none."""
    view = current_app.view_functions.get(request.endpoint or "")
    return not getattr(view, "throttled", False)


login_throttle = _compose(
    limiter.shared_limit(_configured("LOGIN_FAILURE_LIMIT"), scope="login-address-email",
                         key_func=_pair_key, methods=["POST"], deduct_when=_failed),
    limiter.shared_limit(_configured("LOGIN_FAILURE_LIMIT_PER_ADDRESS"), scope="login-address",
                         key_func=_address, methods=["POST"], deduct_when=_failed),
    limiter.shared_limit(_configured("LOGIN_FAILURE_LIMIT_PER_EMAIL"), scope="login-email",
                         key_func=_email_key, methods=["POST"], deduct_when=_failed),
)

reset_throttle = _compose(
    limiter.shared_limit(_configured("PASSWORD_RESET_LIMIT"), scope="reset-email",
                         key_func=_email_key, methods=["POST"]),
    limiter.shared_limit(_configured("PASSWORD_RESET_LIMIT_PER_ADDRESS"),
                         scope="reset-address", key_func=_address, methods=["POST"]),
)
