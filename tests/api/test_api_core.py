"""The core JSON API: tokens, courses, enrollments, and the contract's error shape."""
from __future__ import annotations

import pytest

from lms.catalog.models import TrainingType
from lms.learning.models import CodeState
from tests import factories
from tests.factories import PASSWORD


def _error(response, status: int, code: str):
    assert response.status_code == status, response.data
    body = response.get_json()
    assert body["error"] == code
    assert isinstance(body["message"], str) and body["message"]
    assert "Traceback" not in response.get_data(as_text=True)
    return body


def test_login_returns_a_token_that_authenticates_later_calls(client):
    user = factories.learner()
    token = client.post("/api/v1/auth/login", json={"email": user.email,
                                                    "password": PASSWORD}).get_json()["token"]
    response = client.get("/api/v1/enrollments/999", headers={"Authorization": f"Bearer {token}"})
    _error(response, 404, "enrollment_not_found")


def test_bad_credentials_get_401_in_the_contract_shape(client):
    user = factories.learner()
    _error(client.post("/api/v1/auth/login", json={"email": user.email, "password": "nope"}),
           401, "invalid_credentials")


def test_five_wrong_passwords_then_429(client):
    user = factories.learner()
    for _ in range(5):
        _error(client.post("/api/v1/auth/login", json={"email": user.email, "password": "x"}),
               401, "invalid_credentials")
    _error(client.post("/api/v1/auth/login", json={"email": user.email, "password": PASSWORD}),
           429, "rate_limited")


@pytest.mark.parametrize("body, status, code", [
    (b"{not json", 400, "malformed_json"),
    (b"[1, 2]", 400, "malformed_json"),
    (b"", 400, "malformed_json"),
    (b'{"email": "a@b.c"}', 422, "missing_field"),
    (b'{"email": 5, "password": "x"}', 422, "invalid_field"),
    (b'{"email": "' + b"a" * 300 + b'", "password": "x"}', 422, "invalid_field"),
])
def test_malformed_login_bodies_get_clear_4xx(client, body, status, code):
    response = client.post("/api/v1/auth/login", data=body, content_type="application/json")
    _error(response, status, code)


def test_unknown_token_is_401(client):
    _error(client.get("/api/v1/enrollments/1", headers={"Authorization": "Bearer nope"}),
           401, "unauthorized")


def test_courses_lists_published_courses_with_contract_fields(client):
    course = factories.course()
    factories.course(published=False)
    items = client.get("/api/v1/courses").get_json()["items"]
    assert len(items) == 1
    item = items[0]
    assert item["slug"] == course.slug and item["provider_name"] == course.provider.name
    assert item["modules_count"] == 4
    assert item["hours"] == pytest.approx((60 + 60 + 30) / 3600, abs=0.01)


def test_redeem_by_api_then_read_the_enrollment(client):
    user = factories.learner()
    course = factories.course()
    code = factories.code(course)
    headers = factories.api_token(user)
    created = client.post("/api/v1/enrollments", json={"code": code.code}, headers=headers)
    assert created.status_code == 201
    body = created.get_json()
    assert body["course_slug"] == course.slug
    enrollment = client.get(f"/api/v1/enrollments/{body['enrollment_id']}", headers=headers)
    data = enrollment.get_json()
    assert data["status"] == "active" and data["progress_percent"] == 0
    assert [m["status"] for m in data["modules"]] == ["available", "locked", "locked", "locked"]
    first = data["modules"][0]
    assert {"module_id", "position", "kind", "title", "status", "duration_seconds",
            "frontier_seconds"} <= first.keys()


@pytest.mark.parametrize("make, status, code", [
    (lambda c: "NOPE", 404, "code_not_found"),
    (lambda c: factories.code(c, state=CodeState.USED).code, 409, "code_already_used"),
    (lambda c: factories.code(c, state=CodeState.CANCELLED).code, 409, "code_cancelled"),
    (lambda c: factories.code(c, transaction_cancelled=True).code, 409, "transaction_cancelled"),
    (lambda c: factories.code(c, training_type=TrainingType.OFFLINE).code, 422,
     "wrong_training_type"),
])
def test_each_redeem_failure_has_its_contract_status(client, make, status, code):
    headers = factories.api_token(factories.learner())
    text = make(factories.course())
    _error(client.post("/api/v1/enrollments", json={"code": text}, headers=headers), status, code)


def test_code_of_another_provider_is_403(client):
    headers = factories.api_token(factories.learner())
    here, elsewhere = factories.course(), factories.course()
    code = factories.code(elsewhere)
    _error(client.post("/api/v1/enrollments", json={"code": code.code, "course_slug": here.slug},
                       headers=headers), 403, "code_other_provider")


def test_a_code_used_once_cannot_enroll_a_second_learner(client):
    code = factories.code(factories.course())
    first = factories.api_token(factories.learner())
    second = factories.api_token(factories.learner())
    assert client.post("/api/v1/enrollments", json={"code": code.code},
                       headers=first).status_code == 201
    _error(client.post("/api/v1/enrollments", json={"code": code.code}, headers=second),
           409, "code_already_used")


def test_redeem_body_errors(client):
    headers = factories.api_token(factories.learner())
    _error(client.post("/api/v1/enrollments", data=b"code=1", headers=headers,
                       content_type="application/json"), 400, "malformed_json")
    _error(client.post("/api/v1/enrollments", json={}, headers=headers), 422, "missing_field")
    _error(client.post("/api/v1/enrollments", json={"code": "X" * 65}, headers=headers),
           422, "invalid_field")


def test_staff_cannot_redeem_codes(client):
    staff = factories.staff(factories.provider())
    code = factories.code(factories.course())
    _error(client.post("/api/v1/enrollments", json={"code": code.code},
                       headers=factories.api_token(staff)), 403, "forbidden")


def test_another_learners_enrollment_is_404(client):
    owner = factories.learner()
    enrollment = factories.enrollment(owner, factories.course())
    other = factories.api_token(factories.learner())
    _error(client.get(f"/api/v1/enrollments/{enrollment.id}", headers=other), 404,
           "enrollment_not_found")


def test_api_never_answers_with_an_html_error_page(client):
    _error(client.get("/api/v1/no-such-thing"), 404, "not_found")
    _error(client.delete("/api/v1/courses"), 405, "method_not_allowed")


def test_cookie_authenticated_api_writes_need_the_csrf_token(app, client, auth):
    user = factories.learner()
    auth.login(user.email)
    app.config["WTF_CSRF_ENABLED"] = True
    _error(client.post("/api/v1/enrollments", json={"code": "X"}), 400, "csrf_failed")
    # A bearer token is not sent automatically by browsers, so it needs no CSRF token.
    _error(client.post("/api/v1/enrollments", json={"code": "X"},
                       headers=factories.api_token(user)), 404, "code_not_found")


def test_openapi_documents_every_api_v1_route(app, client):
    document = client.get("/api/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            path = rule.rule.replace("<int:", "{").replace("<", "{").replace(">", "}")
            path = path.replace("{path:", "{").replace("{string:", "{")
            assert path in document["paths"], f"{rule.rule} missing from the OpenAPI document"
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                assert method.lower() in document["paths"][path], (path, method)
