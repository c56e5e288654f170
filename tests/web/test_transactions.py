"""Where a request's transaction ends (lms/transactions.py): the rules every handler relies on,
tried on routes made for the purpose on the test app."""
from __future__ import annotations

import pytest
from flask import jsonify
from sqlalchemy import select

from lms.accounts.models import Provider
from lms.errors import Conflict
from lms.extensions import db
from lms.transactions import delivers_evidence, ends_transaction


def _add_provider(slug: str) -> None:
    db.session.add(Provider(slug=slug, name=slug))
    db.session.flush()


def _stored(slug: str) -> bool:
    db.session.rollback()
    return db.session.scalar(select(Provider.id).where(Provider.slug == slug)) is not None


@pytest.fixture
def routes(app):
    def route(rule, view, methods=("POST",)):
        app.add_url_rule(rule, view.__name__, ends_transaction(view), methods=list(methods))

    def answers_ok():
        _add_provider("kept")
        return jsonify(ok=True)

    def answers_422():
        _add_provider("form-refused")
        return jsonify(error="invalid"), 422

    def raises_refusal():
        _add_provider("refused")
        raise Conflict()

    def raises_refusal_keeping_evidence():
        _add_provider("evidence")
        raise Conflict().keeping_changes()

    def reads_and_writes():
        _add_provider("read-wrote")
        return jsonify(ok=True)

    @delivers_evidence
    def read_that_is_evidence():
        _add_provider("delivered")
        return jsonify(ok=True)

    def raises_unexpected():
        _add_provider("crashed")
        raise RuntimeError("boom")

    route("/t/ok", answers_ok)
    route("/t/422", answers_422)
    route("/t/refusal", raises_refusal)
    route("/t/evidence", raises_refusal_keeping_evidence)
    route("/t/read", reads_and_writes, methods=("GET",))
    route("/t/delivered", read_that_is_evidence, methods=("GET",))
    route("/t/crash", raises_unexpected)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


@pytest.mark.parametrize("path, slug, status, stored", [
    ("/t/ok", "kept", 200, True),
    ("/t/422", "form-refused", 422, False),
    ("/t/refusal", "refused", 409, False),
    ("/t/evidence", "evidence", 409, True),
    ("/t/crash", "crashed", 500, False),
])
def test_an_answer_below_400_commits_and_anything_else_rolls_back(routes, client, path, slug,
                                                                  status, stored):
    assert client.post(path).status_code == status
    assert _stored(slug) is stored


def test_a_read_that_writes_is_a_bug_that_fails_loudly_while_testing(routes, client):
    # ReadWrote is raised, so the test client sees the app's 500 and nothing is kept.
    assert client.get("/t/read").status_code == 500
    assert not _stored("read-wrote")


def test_a_read_whose_answer_is_evidence_keeps_it(routes, client):
    assert client.get("/t/delivered").status_code == 200
    assert _stored("delivered")


def test_every_view_of_the_app_ends_its_transaction_in_one_place(app):
    unwrapped = [endpoint for endpoint, view in app.view_functions.items()
                 if endpoint != "static" and not hasattr(view, "__wrapped__")]
    assert unwrapped == []
