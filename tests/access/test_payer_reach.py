"""A payer's credentials reach the payer's API and nothing else: on every other route of the
matrix a payer's token or session answers exactly as no credentials at all."""
from __future__ import annotations

from lms.accounts.models import Role
from tests import factories
from tests.access.test_route_matrix import CASES, _world
from tests.access.matrix import Case
from tests.factories import PASSWORD
from tests.incentives.payer_routes import PAYER_ROUTES


def _answer(app, case: Case, path: str, headers: dict, login: str | None = None) -> int:
    client = app.test_client()
    if login:
        assert client.post("/login", data={"email": login, "password": PASSWORD}) \
            .status_code == 302
    kwargs = {"headers": {**case.headers, **headers}}
    if case.json is not None or (case.method != "GET" and case.data is None):
        kwargs["json"] = case.json
    if case.data is not None:
        kwargs["data"] = case.data
    return client.open(path, method=case.method, **kwargs).status_code


def test_a_payer_reaches_nothing_but_the_payer_api(app):
    # One world for every row (building one per row would take minutes): the rows' bodies
    # are chosen not to change shared state, and a payer changes nothing anyway.
    world = _world()
    payer = factories.user(Role.PAYER, email="payer-reach@example.test")
    token = factories.api_token(payer)
    wrong = {}
    for case in (c for c in CASES if c.endpoint not in PAYER_ROUTES):
        path = case.path.format(**world)
        answers = (_answer(app, case, path, token),
                   _answer(app, case, path, {}, login=payer.email))
        if answers != (case.expect["anonymous"],) * 2:
            wrong[f"{case.method} {path}"] = (answers, case.expect["anonymous"])
    assert wrong == {}


def test_a_payer_token_lists_and_reports(app):
    payer = factories.user(Role.PAYER, email="payer-ok@example.test")
    client = app.test_client()
    token = factories.api_token(payer)
    assert client.get("/api/v1/eligibility", headers=token).status_code == 200
    answer = client.post("/api/v1/eligibility/999999/status", headers=token, json={})
    assert answer.status_code == 404
