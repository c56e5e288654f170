"""What clients rely on beyond the body: the remember-me cookie's lifetime and SameSite, a
session cookie re-sent only when it is getting old (yet a sign-in still slides), `Allow` on every 405, 404 (not 405) for ids no table can hold, and an OpenAPI document that
marks what the server always sends."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from itsdangerous import TimestampSigner

from lms.converters import MAX_DATABASE_ID, digits_at_most
from tests import factories
from tests.factories import PASSWORD


def _cookie(response, name: str) -> str:
    (header,) = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(name + "=")]
    return header


def test_the_remember_me_cookie_lasts_two_weeks_and_stays_on_this_site(app, client):
    user = factories.learner()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD,
                                           "remember": "y"})
    assert response.status_code == 302
    cookie = _cookie(response, "remember_token")
    assert "SameSite=Lax" in cookie and "HttpOnly" in cookie
    expires = parsedate_to_datetime(re.search(r"Expires=([^;]+)", cookie).group(1))
    assert expires - datetime.now(timezone.utc) <= timedelta(days=14, minutes=1)


def test_the_remember_me_lifetime_is_configurable(app, client):
    app.config["REMEMBER_COOKIE_DURATION"] = timedelta(days=1)
    user = factories.learner()
    cookie = _cookie(client.post("/login", data={"email": user.email, "password": PASSWORD,
                                                 "remember": "y"}), "remember_token")
    expires = parsedate_to_datetime(re.search(r"Expires=([^;]+)", cookie).group(1))
    assert expires - datetime.now(timezone.utc) <= timedelta(days=1, minutes=1)


def _session_cookies(response) -> list[str]:
    return [h for h in response.headers.getlist("Set-Cookie") if h.startswith("session=")]


def _sign_session_again(app, client, age: timedelta) -> None:
    """The client's session, as if its cookie had been signed `age` ago."""
    serializer = app.session_interface.get_signing_serializer(app)
    data = serializer.loads(client.get_cookie("session").value)
    signed_at = int((datetime.now(timezone.utc) - age).timestamp())
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda signer: signed_at)
        client.set_cookie("session", serializer.dumps(data))


def test_a_page_soon_after_sign_in_does_not_send_the_session_cookie_again(client, auth):
    # ~400 bytes of Set-Cookie on every page, API answer and heartbeat is most of a warm
    # page's weight on a phone (bench/pages.py).
    assert _session_cookies(auth.login(factories.learner().email))
    # The first page keeps a CSRF token in the session: a change, so that cookie is sent.
    assert _session_cookies(client.get("/dashboard"))
    response = client.get("/dashboard")
    assert response.status_code == 200
    assert _session_cookies(response) == [] and "Cookie" in response.vary


@pytest.mark.parametrize("age, signed_in", [
    (timedelta(minutes=16), True),
    (timedelta(hours=11, minutes=59), True),
    (timedelta(hours=12, minutes=1), False),
])
def test_a_sign_in_lasts_its_lifetime_after_the_last_renewal_and_is_renewed_when_old(
        app, client, auth, age, signed_in):
    auth.login(factories.learner().email)
    client.get("/dashboard")
    _sign_session_again(app, client, age)
    response = client.get("/dashboard")
    assert (response.status_code == 200) is signed_in
    if signed_in:
        (cookie,) = _session_cookies(response)
        expires = parsedate_to_datetime(re.search(r"Expires=([^;]+)", cookie).group(1))
        assert abs(expires - datetime.now(timezone.utc) - timedelta(hours=12)) \
            < timedelta(minutes=1)
        assert _session_cookies(client.get("/dashboard")) == []


def test_a_session_that_changes_is_sent_again_at_once(client, auth):
    auth.login(factories.learner().email)
    response = auth.logout()
    assert response.status_code == 302 and _session_cookies(response)


@pytest.mark.parametrize("method, path, allowed", [
    ("TRACE", "/api/v1/courses", {"GET", "HEAD", "OPTIONS"}),
    ("DELETE", "/api/v1/auth/login", {"POST", "OPTIONS"}),
    ("PUT", "/api/v1/enrollments/1/rating", {"GET", "HEAD", "POST", "OPTIONS"}),
    ("DELETE", "/login", {"GET", "HEAD", "POST", "OPTIONS"}),
])
def test_every_405_names_the_allowed_methods(client, method, path, allowed):
    response = client.open(path, method=method)
    assert response.status_code == 405
    assert set(response.headers["Allow"].replace(" ", "").split(",")) == allowed
    if path.startswith("/api/"):
        assert response.get_json()["error"] == "method_not_allowed"


@pytest.mark.parametrize("method, path", [
    ("POST", "/api/v1/enrollments/43745623883183/certificate"),
    ("POST", "/api/v1/enrollments/2147483648/rating"),
    ("GET", "/api/v1/enrollments/9999999999/rating"),
    ("POST", "/api/v1/modules/6113228848078208647510884352/submissions"),
])
def test_an_id_no_table_can_hold_is_404_where_get_and_post_share_a_path(client, method, path):
    headers = factories.api_token(factories.learner())
    response = client.open(path, method=method, headers=headers)
    assert response.status_code == 404 and response.get_json()["error"] == "not_found"


def test_the_largest_id_still_reaches_the_view(client):
    headers = factories.api_token(factories.learner())
    response = client.get(f"/api/v1/enrollments/{MAX_DATABASE_ID}", headers=headers)
    assert response.get_json()["error"] == "enrollment_not_found"


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=10**12))
def test_the_id_pattern_matches_exactly_the_numbers_up_to_its_bound(number, bound):
    assert (re.fullmatch(digits_at_most(bound), str(number)) is not None) is (number <= bound)


def _schemas_of_successes(document: dict):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                schema = response.get("content", {}).get("application/json", {}).get("schema")
                if status.startswith("2") and schema and schema.get("type") == "object" \
                        and schema.get("properties"):
                    yield f"{method.upper()} {path} {status}", schema


def test_the_openapi_document_marks_the_fields_every_answer_carries(client):
    document = client.get("/api/openapi.json").get_json()
    unmarked = [name for name, schema in _schemas_of_successes(document)
                if not schema.get("required")]
    assert unmarked == []


def test_every_operation_with_a_body_documents_its_400_and_413(client):
    document = client.get("/api/openapi.json").get_json()
    missing = [f"{method} {path}" for path, operations in document["paths"].items()
               for method, operation in operations.items()
               if "requestBody" in operation
               and not {"400", "413"} <= set(operation["responses"])]
    assert missing == []


def test_a_whole_number_written_with_a_decimal_point_is_an_integer(client):
    provider = factories.provider()
    course = factories.course(provider)
    headers = factories.api_token(factories.staff(provider))
    module_id = course.current_version.modules[0].id
    response = client.post(f"/api/v1/modules/{module_id}/video-uploads", headers=headers,
                           json={"filename": "lesson.mp4", "size": 647.0})
    assert response.status_code == 200 and response.get_json()["method"] == "multipart"
