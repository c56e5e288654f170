"""The JSON API (docs/http-api.md) under /api/v1, and its OpenAPI document."""
from __future__ import annotations

from flask import Blueprint, current_app, request

from lms.api import auth, courses, enrollments
from lms.api.openapi import document
from lms.assessments import api as assessments_api
from lms.certificates import api as certificates_api
from lms.extensions import csrf
from lms.media import api as media_api
from lms.pacing import api as pacing_api
from lms.reviews import api as reviews_api
from lms.security import bearer_token, carries_session_credentials

ROUTE_BLUEPRINTS = (auth.bp, courses.bp, enrollments.bp, certificates_api.bp,
                    reviews_api.bp, assessments_api.bp, pacing_api.bp, media_api.bp)

bp = Blueprint("api", __name__, url_prefix="/api")
csrf.exempt(bp)
for child in ROUTE_BLUEPRINTS:
    csrf.exempt(child)
    bp.register_blueprint(child, url_prefix="/v1")


@bp.before_app_request
def protect_cookie_requests():
    """Bearer requests need no CSRF token; writes authenticated by the session cookie still
    do, so a third-party page cannot make a signed-in browser call the API. Judged from the
    cookies alone: loading the user here would cost every heartbeat a query."""
    if not request.path.startswith("/api/") or request.method not in ("POST", "PUT", "PATCH",
                                                                       "DELETE"):
        return
    if bearer_token() or not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    if carries_session_credentials():
        csrf.protect()


@bp.get("/openapi.json")
def openapi():
    return document()
