"""The signed session cookie, renewed when it is getting old rather than on every answer.

A sign-in lasts PERMANENT_SESSION_LIFETIME after the last request (sliding expiry). Flask keeps
it sliding by sending the whole cookie again on every answer (SESSION_REFRESH_EACH_REQUEST),
about 400 bytes of `Set-Cookie` on each page, API answer and heartbeat: on a metered phone that
is most of a warm page's weight. Here the cookie is sent again only when the session changed or
the cookie was signed SESSION_REFRESH_AFTER ago or more, so a sign-in still lasts at least the
lifetime minus that interval after the last request, and the server refuses a cookie older than
the lifetime exactly as before (the signature's timestamp is what it checks).
"""
from __future__ import annotations

from datetime import datetime, timezone

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin
from itsdangerous import BadSignature


class SignedSession(SecureCookieSession):
    #: When the cookie this session came from was signed; None for a new session.
    signed_at: datetime | None = None


class RenewingSessionInterface(SecureCookieSessionInterface):
    session_class = SignedSession

    def open_session(self, app: Flask, request: Request) -> SignedSession | None:
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        try:
            data, signed_at = serializer.loads(value, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        session = self.session_class(data)
        session.signed_at = signed_at
        return session

    def should_set_cookie(self, app: Flask, session: SessionMixin) -> bool:
        if session.modified:
            return True
        if not (session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]):
            return False
        signed_at = getattr(session, "signed_at", None)
        return (signed_at is None
                or datetime.now(timezone.utc) - signed_at >= app.config["SESSION_REFRESH_AFTER"])


def init_app(app: Flask) -> None:
    app.session_interface = RenewingSessionInterface()
