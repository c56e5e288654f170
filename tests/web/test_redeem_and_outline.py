"""Redeeming codes on the pages, the course outline and the sequence gate on module pages."""
from __future__ import annotations

import re

import pytest

from lms.accounts.models import User
from lms.catalog.models import ModuleKind, TrainingType
from lms.learning import services
from lms.learning.models import CodeState, Enrollment, RedeemCode
from lms.extensions import db
from tests import factories
from tests.concurrency import race


@pytest.fixture
def learner(auth):
    user = factories.learner()
    auth.login(user.email)
    return user


def test_redeeming_a_fresh_code_enrolls_and_uses_up_the_code(client, learner):
    course = factories.course()
    code = factories.code(course, text="ABCD2345EFGH")
    response = client.post("/redeem", data={"code": "abcd-2345 efgh"})
    enrollment = db.session.query(Enrollment).filter_by(user_id=learner.id).one()
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/enrollments/{enrollment.id}")
    db.session.refresh(code)
    assert code.state == CodeState.USED and code.used_by_id == learner.id
    assert enrollment.version_id == course.current_version.id


@pytest.mark.parametrize("setup, message", [
    (lambda c: None, "We could not find this code."),
    (lambda c: factories.code(c, text="USEDCODE0001", state=CodeState.USED),
     "This code has already been used."),
    (lambda c: factories.code(c, text="CANCELLED001", state=CodeState.CANCELLED),
     "This code has been cancelled"),
    (lambda c: factories.code(c, text="TXCANCELLED1", transaction_cancelled=True),
     "The purchase behind this code was cancelled"),
    (lambda c: factories.code(c, text="WEBINAR00001", training_type=TrainingType.WEBINAR),
     "This code is for another type of training"),
])
def test_each_redeem_failure_has_its_own_message_and_enrolls_nobody(client, learner, setup,
                                                                    message):
    course = factories.course()
    created = setup(course)
    text = created.code if created else "NOSUCHCODE99"
    response = client.post("/redeem", data={"code": text})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.query(Enrollment).count() == 0


def test_a_code_of_another_provider_is_refused_on_this_providers_course_page(client, learner):
    here = factories.course()
    elsewhere = factories.course()
    code = factories.code(elsewhere)
    response = client.post("/redeem", data={"code": code.code, "course_slug": here.slug})
    assert "belongs to another training provider" in response.get_data(as_text=True)
    db.session.refresh(code)
    assert code.state == CodeState.FRESH


def test_an_empty_or_overlong_code_is_explained(client, learner):
    empty = client.post("/redeem", data={"code": ""})
    assert "Enter the redeem code you received." in empty.get_data(as_text=True)
    long = client.post("/redeem", data={"code": "X" * 65})
    assert "at most 64 characters" in long.get_data(as_text=True)


def test_outline_shows_first_module_available_and_later_ones_locked(client, learner):
    enrollment = factories.enrollment(learner, factories.course())
    page = client.get(f"/enrollments/{enrollment.id}").get_data(as_text=True)
    statuses = re.findall(r'<li class="outline-item" data-module="\d+" data-status="(\w+)"', page)
    assert statuses == ["available", "locked", "locked", "locked"]


def test_completing_a_module_unlocks_exactly_the_next_one(client, learner):
    enrollment = factories.enrollment(learner, factories.course())
    factories.complete_module(enrollment, 1)
    data = client.get(f"/api/v1/enrollments/{enrollment.id}").get_json()
    assert [m["status"] for m in data["modules"]] == ["completed", "available", "locked", "locked"]
    assert data["progress_percent"] == 25


def test_optional_modules_do_not_block_the_ones_after_them(client, learner):
    course = factories.course(kinds=(ModuleKind.VIDEO, ModuleKind.READING, ModuleKind.VIDEO),
                              optional_positions=(2,))
    enrollment = factories.enrollment(learner, course)
    factories.complete_module(enrollment, 1)
    data = client.get(f"/api/v1/enrollments/{enrollment.id}").get_json()
    assert [m["status"] for m in data["modules"]] == ["completed", "available", "available"]


def test_a_locked_modules_url_answers_403_naming_what_to_finish_first(client, learner):
    enrollment = factories.enrollment(learner, factories.course())
    first, second = enrollment.version.modules[:2]
    response = client.get(f"/enrollments/{enrollment.id}/modules/{second.id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert first.title in page
    assert f"/modules/{first.id}" in page
    assert client.get(f"/enrollments/{enrollment.id}/modules/{first.id}").status_code == 200


def test_another_learners_enrollment_is_not_found(client, learner):
    someone = factories.learner()
    theirs = factories.enrollment(someone, factories.course())
    assert client.get(f"/enrollments/{theirs.id}").status_code == 404
    module = theirs.version.modules[0]
    assert client.get(f"/enrollments/{theirs.id}/modules/{module.id}").status_code == 404


def test_a_module_of_another_course_cannot_be_reached_through_my_enrollment(client, learner):
    mine = factories.enrollment(learner, factories.course())
    other_module = factories.course().current_version.modules[0]
    response = client.get(f"/enrollments/{mine.id}/modules/{other_module.id}")
    assert response.status_code == 404


def test_dashboard_has_a_helpful_empty_state(client, learner):
    page = client.get("/dashboard").get_data(as_text=True)
    assert "You are not enrolled in any course yet" in page


def test_catalog_paginates(client):
    provider = factories.provider()
    for _ in range(21):
        factories.course(provider, kinds=(ModuleKind.READING,))
    first = client.get("/").get_data(as_text=True)
    assert "Page 1 of 2" in first
    second = client.get("/?page=2").get_data(as_text=True)
    assert second.count('class="card course-card"') == 1
    assert client.get("/?page=abc").status_code == 200


def test_redeem_codes_are_single_use_even_when_learners_race(app):
    course = factories.course()
    code = factories.code(course)
    code_text = code.code
    learner_ids = [factories.learner().id for _ in range(6)]
    answers = race(app, [
        lambda uid=uid: services.redeem_code(db.session.get(User, uid), code_text)
        for uid in learner_ids])
    assert sorted(answers) == ["code_already_used"] * 5 + ["ok"]
    db.session.expire_all()
    assert db.session.query(Enrollment).count() == 1
