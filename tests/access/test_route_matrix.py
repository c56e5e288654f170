"""Every route answers each kind of caller as the matrix says; a route with no row fails."""
from __future__ import annotations

import importlib
import pkgutil

import pytest

import tests.access as access_package
from tests.access.matrix import ROLES, Case
from tests.access.world import build_world
from tests.factories import PASSWORD

IGNORED_METHODS = {"HEAD", "OPTIONS"}


def _domain_modules():
    for info in pkgutil.iter_modules(access_package.__path__):
        if info.name.startswith("rules_"):
            yield importlib.import_module(f"tests.access.{info.name}")


CASES: list[Case] = [case for module in _domain_modules() for case in module.CASES]


def _world() -> dict:
    world = build_world()
    for module in _domain_modules():
        extend = getattr(module, "extend_world", None)
        if extend:
            extend(world)
    return world


def test_every_route_has_an_access_decision(app):
    covered = {(case.endpoint, case.method) for case in CASES}
    missing = sorted(
        (rule.endpoint, method, rule.rule)
        for rule in app.url_map.iter_rules()
        for method in (rule.methods or set()) - IGNORED_METHODS
        if (rule.endpoint, method) not in covered
    )
    assert not missing, f"routes without a row in tests/access: {missing}"


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.method} {c.path}")
def test_route_answers_each_caller_as_the_matrix_says(app, case: Case):
    world = _world()
    path = case.path.format(**world)
    answers = {}
    for role in ROLES:
        client = app.test_client()
        if role != "anonymous":
            response = client.post("/login", data={"email": world["users"][role].email,
                                                   "password": PASSWORD})
            assert response.status_code == 302, f"{role} could not sign in"
        kwargs = {"headers": case.headers}
        if case.json is not None or (case.method != "GET" and case.data is None):
            kwargs["json"] = case.json
        if case.data is not None:
            kwargs["data"] = case.data
        response = client.open(path, method=case.method, **kwargs)
        answers[role] = response.status_code
        if path.startswith("/api/") and response.status_code >= 400:
            body = response.get_json(silent=True)
            assert body and {"error", "message"} <= body.keys(), (role, response.data[:200])
    assert answers == case.expect
