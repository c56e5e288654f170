"""Extra time on timed quizzes: staff of the course's provider (or an admin) give a learner more
time with a reason kept in the audit log; the next attempt's deadline is longer and the
learner sees it before starting and while answering."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.admin.models import AuditEntry
from lms.assessments import accommodations, quizzes
from lms.assessments.models import TimeAccommodation
from lms.catalog.models import ModuleKind
from lms.errors import Forbidden, Invalid, NotFound
from lms.extensions import db
from tests import factories
from tests import factories_assessments as fa

REASON = "Low vision: uses a screen reader (letter from her doctor)."


@pytest.fixture
def world(app, clock):
    provider = factories.provider(name="Lembaga Satu")
    course = fa.full_course(provider, kinds=(ModuleKind.QUIZ,), time_limit=600)
    learner = factories.learner(name="Siti Screenreader", email="siti@example.test")
    enrollment = factories.enrollment(learner, course)
    other_provider = factories.provider(name="Lembaga Dua")
    return {"course": course, "learner": learner, "enrollment": enrollment,
            "module": fa.modules(course)[0],
            "staff": factories.staff(provider, email="staff1@example.test"),
            "other_staff": factories.staff(other_provider, email="staff2@example.test"),
            "admin": factories.admin(email="admin1@example.test")}


@pytest.mark.parametrize("limit, percent, expected", [
    (600, 100, 600), (600, 150, 900), (600, 125, 750), (601, 150, 902), (None, 150, None),
    (0, 200, 0),
])
def test_accommodated_limit(limit, percent, expected):
    assert accommodations.accommodated_limit(limit, percent) == expected


def test_the_next_attempt_gets_the_extra_time(world, clock):
    accommodations.give_extra_time(world["staff"], world["enrollment"], 150, REASON)
    db.session.commit()
    attempt, _ = quizzes.start_attempt(world["learner"], world["enrollment"], world["module"])
    assert attempt.deadline_at - attempt.started_at == timedelta(seconds=900)
    entry = db.session.scalar(select(AuditEntry).where(
        AuditEntry.action == "quiz_time.accommodated"))
    assert entry is not None and entry.data["percent"] == 150 and entry.data["reason"] == REASON


def test_a_later_decision_replaces_the_earlier_one_and_100_withdraws_it(world, clock):
    accommodations.give_extra_time(world["admin"], world["enrollment"], 200, REASON)
    accommodations.give_extra_time(world["staff"], world["enrollment"], 100, "Withdrawn: typo.")
    db.session.commit()
    assert accommodations.extra_time_percent(world["enrollment"]) == 100
    attempt, _ = quizzes.start_attempt(world["learner"], world["enrollment"], world["module"])
    assert attempt.deadline_at - attempt.started_at == timedelta(seconds=600)
    assert db.session.query(TimeAccommodation).count() == 2  # both decisions stay on record


@pytest.mark.parametrize("actor, percent, reason, error", [
    ("learner", 150, REASON, Forbidden),
    ("other_staff", 150, REASON, NotFound),
    ("staff", 175, REASON, Invalid),
    ("staff", 150, "   ", Invalid),
    ("staff", 150, "x" * 501, Invalid),
])
def test_refusals(world, actor, percent, reason, error):
    with pytest.raises(error):
        accommodations.give_extra_time(world[actor], world["enrollment"], percent, reason)
    assert db.session.query(TimeAccommodation).count() == 0


def test_staff_give_extra_time_through_the_page(world, client, auth):
    auth.login(world["staff"].email)
    page = client.get("/grading/extra-time/")
    assert page.status_code == 200 and b"No learner has been given extra time yet" in page.data
    response = client.post("/grading/extra-time/", data={
        "email": "SITI@example.test", "course": world["course"].id, "percent": 150,
        "reason": REASON})
    assert response.status_code == 302
    listing = client.get("/grading/extra-time/").get_data(as_text=True)
    assert "Siti Screenreader" in listing and "1.5×" in listing and REASON in listing


@pytest.mark.parametrize("form, message", [
    ({"email": "nobody@example.test", "percent": 150, "reason": REASON},
     "No learner with this e-mail address is enrolled in this course."),
    ({"email": "siti@example.test", "percent": 150, "reason": ""}, "This field is required."),
    ({"email": "siti@example.test", "percent": 175, "reason": REASON},
     "Choose one of the extra time options."),
])
def test_the_page_says_what_is_wrong(world, client, auth, form, message):
    auth.login(world["staff"].email)
    response = client.post("/grading/extra-time/", data={"course": world["course"].id, **form})
    assert response.status_code == 422 or response.status_code == 404
    assert message in response.get_data(as_text=True)
    assert db.session.query(TimeAccommodation).count() == 0


def test_other_providers_courses_are_not_offered(world, client, auth):
    auth.login(world["other_staff"].email)
    response = client.post("/grading/extra-time/", data={
        "email": "siti@example.test", "course": world["course"].id, "percent": 150,
        "reason": REASON})
    assert response.status_code == 404
    assert world["course"].title not in client.get("/grading/extra-time/").get_data(as_text=True)
    assert db.session.query(TimeAccommodation).count() == 0


def test_the_learner_sees_the_extra_time(world, client, auth):
    accommodations.give_extra_time(world["staff"], world["enrollment"], 150, REASON)
    db.session.commit()
    auth.login(world["learner"].email)
    module_page = client.get(
        f"/enrollments/{world['enrollment'].id}/modules/{world['module'].id}")
    text = module_page.get_data(as_text=True)
    assert "extra time: 1.5×" in text and "15 min" in text
    attempt, _ = quizzes.start_attempt(world["learner"], world["enrollment"], world["module"])
    db.session.commit()
    paper = client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    assert "You have extra time on timed quizzes: 1.5× the time limit." in paper
