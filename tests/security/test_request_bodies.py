"""Request bodies no input turns into a 500: JSON nested too deeply (400), strings that are
not Unicode text (422), and bodies larger than their kind allows (413), each answered in the
API's error shape."""
from __future__ import annotations

import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lms.request_bodies import (MAX_JSON_DEPTH, has_lone_surrogate, loads_request_json,
                                nesting_depth_exceeds)
from tests import factories

DEEP = b"[" * 1000 + b"]" * 1000
DEEP_OBJECT = b'{"a":' * 500 + b"1" + b"}" * 500


def _error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.data
    body = response.get_json()
    assert body["error"] == code and isinstance(body["message"], str) and body["message"]
    return body


@pytest.fixture
def learner_world(app):
    user = factories.learner()
    course = factories.course()
    enrollment = factories.enrollment(user, course)
    return {"headers": factories.api_token(user), "enrollment": enrollment,
            "module_id": course.current_version.modules[0].id}


def _json_endpoints(world) -> list[str]:
    return ["/api/v1/auth/login", "/api/v1/enrollments",
            f"/api/v1/enrollments/{world['enrollment'].id}/rating",
            f"/api/v1/modules/{world['module_id']}/submissions"]


@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECT], ids=["arrays", "objects"])
def test_json_nested_a_thousand_deep_is_a_400_on_every_json_endpoint(client, learner_world,
                                                                     body):
    for path in _json_endpoints(learner_world):
        response = client.post(path, data=body, content_type="application/json",
                               headers=learner_world["headers"])
        assert response.status_code == 400, (path, response.status_code)
        assert response.get_json()["error"] == "malformed_json"


def test_deep_json_is_a_400_before_sign_in_too(client):
    _error(client.post("/api/v1/auth/login", data=DEEP, content_type="application/json"),
           400, "malformed_json")


@pytest.mark.parametrize("path, body", [
    ("/api/v1/auth/login", '{"email": "\\udfff@x.y", "password": "x"}'),
    ("/api/v1/auth/login", '{"email": "a@x.y", "password": "\\ud800"}'),
    ("/api/v1/enrollments", '{"code": "AB\\udfffCD"}'),
    ("/api/v1/enrollments", '{"code": "ABCD", "\\udc00": 1}'),
    ("submissions", '{"url": "https://example.test/x", "note": "a \\udfff note"}'),
])
def test_a_lone_surrogate_is_a_422_not_a_500(client, learner_world, path, body):
    if path == "submissions":
        path = f"/api/v1/modules/{learner_world['module_id']}/submissions"
    _error(client.post(path, data=body, content_type="application/json",
                       headers=learner_world["headers"]), 422, "invalid_text")


def test_a_surrogate_pair_is_ordinary_text(client, learner_world):
    # "\ud83d\ude00" is one emoji, written as JSON escapes: valid text, just no such code.
    _error(client.post("/api/v1/enrollments", data='{"code": "\\ud83d\\ude00"}',
                       content_type="application/json", headers=learner_world["headers"]),
           404, "code_not_found")


@pytest.mark.parametrize("path, size_kib", [("/api/v1/auth/login", 5),
                                            ("/api/v1/enrollments", 5),
                                            ("/api/v1/sessions/1/heartbeats", 65),
                                            ("/api/v1/attempts/1/submit", 65),
                                            ("/api/v1/modules/1/video-uploads", 65)])
def test_json_bodies_larger_than_their_kind_allows_are_a_413(client, learner_world, path,
                                                              size_kib):
    body = json.dumps({"email": "a@b.c", "password": "x", "pad": "x" * (size_kib * 1024)})
    _error(client.post(path, data=body, content_type="application/json",
                       headers=learner_world["headers"]), 413, "too_large")


def test_a_small_json_call_is_still_served(client, learner_world):
    _error(client.post("/api/v1/enrollments", json={"code": "NOPE" + " " * 2000},
                       headers=learner_world["headers"]), 422, "invalid_field")


def test_sign_in_refuses_a_large_multipart_body_before_reading_it(client):
    form = {"email": "a@b.c", "password": "x", "file": (io.BytesIO(b"x" * 10 * 1024), "a.bin")}
    response = client.post("/api/v1/auth/login", data=form, content_type="multipart/form-data")
    _error(response, 413, "too_large")


def test_the_sign_in_page_refuses_a_large_form(client):
    response = client.post("/login", data={"email": "a@b.c", "password": "x" * 8 * 1024})
    assert response.status_code == 413


def test_uploads_still_take_large_bodies(app, client, learner_world):
    # A 2 MiB multipart hand-in passes the size gate and reaches the view, which judges it
    # (here: this module is a video, not a skill task). tests/assessments and tests/media
    # hand in and upload real files.
    two_mib = io.BytesIO(b"%PDF" + b"x" * 2 * 1024 * 1024)
    response = client.post(f"/api/v1/modules/{learner_world['module_id']}/submissions",
                           data={"file": (two_mib, "task.pdf")},
                           content_type="multipart/form-data", headers=learner_world["headers"])
    _error(response, 404, "not_a_skill_task")


@pytest.mark.parametrize("text, limit, exceeds", [
    ("{}", 1, False), ("[[]]", 1, True), ("[[]]", 2, False), ('"[[[[["', 1, False),
    ('["\\"[[[", []]', 2, False), ('{"a": {"b": [1]}}', 2, True), ('{"a": {"b": [1]}}', 3, False),
    ("[" * 40, 32, True), ("[]" * 1000, 1, False), ('"unterminated [[[[', 1, False),
])
def test_nesting_depth(text, limit, exceeds):
    assert nesting_depth_exceeds(text, limit) is exceeds


@given(st.integers(min_value=0, max_value=80), st.text(alphabet='[]{}"\\ab', max_size=10))
def test_nesting_depth_counts_only_brackets_outside_strings(depth, noise):
    text = "[" * depth + json.dumps(noise) + "]" * depth
    assert nesting_depth_exceeds(text, MAX_JSON_DEPTH) is (depth > MAX_JSON_DEPTH)


@pytest.mark.parametrize("value, lone", [
    # In Python source "\ud83d\ude00" is two lone surrogates; only JSON text pairs them.
    ("plain", False), ("😀", False), ("\udfff", True), ("\ud83d\ude00", True),
    (["ok", {"k": "\ud800"}], True), ({"\udc00": 1}, True), ({"k": [1, 2.5, None, True]}, False),
])
def test_lone_surrogates_are_found_anywhere(value, lone):
    assert has_lone_surrogate(value) is lone


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(),
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=10))
def test_any_json_of_valid_text_parses_as_the_standard_parser_would(value):
    text = json.dumps(value)
    assert loads_request_json(text.encode()) == json.loads(text)
