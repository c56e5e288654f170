"""`GET /healthz`: what a load balancer asks before sending an instance learners. 200 while
the instance can reach its database, 503 when it cannot (the balancer then stops routing to
it). Redis is not asked: heartbeats and segments need only the database and the media store,
and failing every instance's check over one shared Redis would turn a degraded service into an
outage (docs/deploy.md)."""
from __future__ import annotations

from flask import Blueprint, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from lms.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="unavailable", database=False), 503
    return jsonify(status="ok", database=True)
