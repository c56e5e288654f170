from __future__ import annotations

from flask import Blueprint, jsonify

from lms.accounts import services as accounts
from lms.accounts.ratelimit import login_throttle, note_login_failure
from lms.api.json_body import json_object, text_field
from lms.errors import Unauthorized
from lms.request_bodies import SMALL, body_limit

bp = Blueprint("auth", __name__)


@bp.post("/auth/login")
@body_limit(SMALL)
@login_throttle
def login():
    body = json_object()
    email = text_field(body, "email", 254)
    password = text_field(body, "password", 200)
    try:
        user = accounts.authenticate(email, password)
    except Unauthorized:
        note_login_failure()
        raise
    token = accounts.create_api_token(user, label="login")
    return jsonify({"token": token})
