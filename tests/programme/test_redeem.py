"""Redeeming a Kartu Prakerja code: checked with the programme (sequence 1), the course found
by its programme course code, each refusal with its own answer, and a programme that is down
answered with "try again shortly" and nothing created."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from lms.extensions import db
from lms.learning.models import Enrollment, RedeemCode
from lms.programme.models import ProgrammeEnrollment
from tests import factories
from tests.programme import support


@pytest.fixture
def learner(app, clock, auth):
    person = factories.learner()
    auth.login(person.email)
    return person


def _redeem(client, code):
    return client.post("/api/v1/enrollments", json={"code": code})


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_prat_code_enrolls_the_learner_in_the_course_with_that_programme_code(
        prakerja, learner, client):
    course = support.programme_course()
    response = _redeem(client, "prat-abc123")
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["course_slug"] == course.slug
    enrolled = db.session.scalar(select(ProgrammeEnrollment))
    assert enrolled.redeem_code == "PRAT-ABC123"
    assert enrolled.participant_ref.startswith("PRJ-")
    assert enrolled.enrollment.user_id == learner.id
    (call,) = support.calls_to(prakerja, "redeem-code/status")
    assert json.loads(call["body"]) == {"redeem_code": "PRAT-ABC123", "sequence": 1}
    assert call["signature_valid"]


@pytest.mark.parametrize("code, status, error", [
    ("NOT-A-TEST-CODE", 404, "code_not_found"),
    ("PRAT-USED-1", 409, "code_already_used"),
    ("PRAT-CANCELLED-1", 409, "code_cancelled"),
    ("PRAT-OTHER-1", 403, "code_other_provider"),
    ("PRAT-WRONGTYPE-1", 422, "wrong_training_type"),
    ("PRAT-TXCANCELLED-1", 409, "transaction_cancelled"),
])
def test_each_refusal_of_the_programme_has_its_own_answer(prakerja, learner, client, code,
                                                          status, error):
    support.programme_course()
    response = _redeem(client, code)
    assert response.status_code == status
    assert response.get_json()["error"] == error
    assert response.get_json()["message"]
    assert _count(Enrollment) == 0 and _count(RedeemCode) == 0


def test_a_code_for_a_course_alur_does_not_offer_belongs_to_another_provider(
        prakerja, learner, client):
    factories.course()  # no programme course code
    response = _redeem(client, "PRAT-XYZ")
    assert (response.status_code, response.get_json()["error"]) == (403, "code_other_provider")


def test_a_code_used_once_is_refused_to_the_next_learner(prakerja, learner, client, auth):
    support.programme_course()
    assert _redeem(client, "PRAT-ONCE").status_code == 201
    auth.logout()
    auth.login(factories.learner().email)
    response = _redeem(client, "PRAT-ONCE")
    assert (response.status_code, response.get_json()["error"]) == (409, "code_already_used")
    assert _count(Enrollment) == 1


@pytest.mark.parametrize("mode", ["error", "timeout"])
def test_a_programme_that_is_down_answers_try_again_shortly_and_creates_nothing(
        prakerja, learner, client, mode):
    support.programme_course()
    support.fault(prakerja, "redeem-code/status", mode)
    response = _redeem(client, "PRAT-DOWN")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    body = response.get_json()
    assert body["error"] == "programme_unavailable" and "try again shortly" in body["message"]
    assert "Traceback" not in response.get_data(as_text=True)
    assert _count(Enrollment) == 0 and _count(RedeemCode) == 0
    assert _redeem(client, "PRAT-DOWN").status_code == 201  # the programme is back


def test_a_wrong_sign_key_is_refused_by_the_programme_and_the_learner_sees_try_again(
        prakerja, learner, client, app):
    support.programme_course()
    app.config["PRAKERJA_SIGN_KEY"] = "not-the-key"
    response = _redeem(client, "PRAT-KEY")
    assert response.status_code == 503
    assert support.calls_to(prakerja, "redeem-code/status")[-1]["signature_valid"] is False


def test_the_redeem_page_says_what_is_wrong(prakerja, learner, client):
    support.programme_course()
    support.fault(prakerja, "redeem-code/status", "error")
    page = client.post("/redeem", data={"code": "PRAT-PAGE"})
    assert page.status_code == 422
    assert b"try again shortly" in page.data
    assert b"PRAT-USED" not in page.data
    page = client.post("/redeem", data={"code": "PRAT-USED-9"})
    assert b"already been used" in page.data


def test_the_builtin_connector_knows_only_its_own_codes(app, learner, client, standin):
    course = support.programme_course()
    assert _redeem(client, "PRAT-ABC").status_code == 404
    own = factories.code(course)
    assert _redeem(client, own.code).status_code == 201
    assert support.calls_to(standin, "redeem-code/status") == []
