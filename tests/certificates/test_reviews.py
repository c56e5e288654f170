"""Rating and review after completion: asked for on the outline, recorded once, readable by
the course's own provider staff only."""
from __future__ import annotations

from lms.reviews import services
from tests import factories
from tests import factories_certificates as fc

REVIEW = "The videos were clear and the tasks matched real work."


def test_after_completion_the_outline_asks_for_a_rating_until_it_is_given(app, client, auth):
    enrollment = fc.completed_enrollment(render=False)
    auth.login(enrollment.user.email)
    outline = client.get(f"/enrollments/{enrollment.id}?lang=en").get_data(as_text=True)
    assert 'id="certificate-panel"' in outline and "rating-prompt" in outline
    assert f"/enrollments/{enrollment.id}/certificate" in outline
    assert not services.has_rated(enrollment)

    response = client.post(f"/enrollments/{enrollment.id}/rating",
                           data={"stars": "5", "review": REVIEW})
    assert response.status_code == 302
    assert services.has_rated(enrollment)
    outline = client.get(f"/enrollments/{enrollment.id}?lang=en").get_data(as_text=True)
    assert "rating-prompt" not in outline
    page = client.get(f"/enrollments/{enrollment.id}/rating?lang=en").get_data(as_text=True)
    assert REVIEW in page and "★★★★★" in page


def test_an_unfinished_course_shows_no_panel_and_cannot_be_rated(app, client, auth):
    learner = factories.learner()
    enrollment = factories.enrollment(learner, factories.course())
    auth.login(learner.email)
    assert b"certificate-panel" not in client.get(f"/enrollments/{enrollment.id}").data
    response = client.post(f"/api/v1/enrollments/{enrollment.id}/rating",
                           json={"stars": 5, "review": REVIEW})
    assert response.status_code == 409 and response.get_json()["error"] == "not_completed"
    assert client.post(f"/enrollments/{enrollment.id}/rating",
                       data={"stars": "5", "review": REVIEW}).status_code == 409
    assert not services.has_rated(enrollment)


INVALID = [
    ({"stars": 0, "review": REVIEW}, "invalid_stars"),
    ({"stars": 6, "review": REVIEW}, "invalid_stars"),
    ({"stars": 4.5, "review": REVIEW}, "invalid_stars"),
    ({"stars": True, "review": REVIEW}, "invalid_stars"),
    ({"stars": "five", "review": REVIEW}, "invalid_stars"),
    ({"review": REVIEW}, "invalid_stars"),
    ({"stars": 4, "review": "Too short"}, "invalid_review"),
    ({"stars": 4, "review": "          \n\n   ok   "}, "invalid_review"),
    ({"stars": 4, "review": "x" * 2001}, "invalid_review"),
    ({"stars": 4, "review": ["a list"]}, "invalid_review"),
]


def test_invalid_ratings_are_refused_with_the_field_named(app, client):
    enrollment = fc.completed_without_certificate()
    headers = factories.api_token(enrollment.user)
    for body, code in INVALID:
        response = client.post(f"/api/v1/enrollments/{enrollment.id}/rating", json=body,
                               headers=headers)
        assert response.status_code == 422, body
        assert response.get_json()["error"] == code, body
        assert response.get_json()["field"] == code.removeprefix("invalid_")
    assert not services.has_rated(enrollment)


def test_a_course_is_rated_once_and_the_learner_can_read_it_back(app, client):
    enrollment = fc.completed_without_certificate()
    headers = factories.api_token(enrollment.user)
    url = f"/api/v1/enrollments/{enrollment.id}/rating"
    assert client.get(url, headers=headers).get_json()["error"] == "rating_not_found"
    bad = client.post(url, data="not json", headers=headers)
    assert bad.status_code == 400 and bad.get_json()["error"] == "malformed_json"

    created = client.post(url, json={"stars": 4, "review": f"  {REVIEW}\r\n\u202e  "},
                          headers=headers)
    assert created.status_code == 201
    assert created.get_json()["stars"] == 4 and created.get_json()["review"] == REVIEW
    again = client.post(url, json={"stars": 1, "review": "Changed my mind entirely."},
                        headers=headers)
    assert again.status_code == 409 and again.get_json()["error"] == "already_rated"
    assert client.get(url, headers=headers).get_json()["stars"] == 4
    other = factories.api_token(factories.learner())
    assert client.get(url, headers=other).status_code == 404
    assert client.post(url, json={"stars": 5, "review": REVIEW}, headers=other).status_code == 404


def test_provider_staff_see_their_courses_ratings_with_the_average(app, client, auth):
    provider = factories.provider()
    course = factories.course(provider)
    for stars in (5, 4, 2):
        fc.rating(fc.completed_without_certificate(course=course), stars=stars)
    unrated = factories.course(provider)
    staff = factories.staff(provider)
    auth.login(staff.email)

    overview = client.get("/provider/ratings?lang=en").get_data(as_text=True)
    assert course.title in overview and unrated.title in overview and "3.7" in overview
    page = client.get(f"/provider/ratings/{course.slug}?lang=en")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'data-average="3.67"' in html and 'data-count="3"' in html
    assert html.count("review-item") == 3
    assert "No one has rated this course yet" in client.get(
        f"/provider/ratings/{unrated.slug}?lang=en").get_data(as_text=True)


def test_staff_of_another_provider_and_learners_cannot_read_them(app, client, auth):
    course = factories.course()
    enrollment = fc.completed_without_certificate(course=course)
    fc.rating(enrollment, review="A secret opinion about this course.")
    outsider = factories.staff(factories.provider())

    auth.login(outsider.email)
    assert client.get(f"/provider/ratings/{course.slug}").status_code == 404
    assert course.title not in client.get("/provider/ratings").get_data(as_text=True)
    auth.logout()
    auth.login(enrollment.user.email)
    assert client.get(f"/provider/ratings/{course.slug}").status_code == 403
    assert client.get("/provider/ratings").status_code == 403
    auth.logout()
    auth.login(factories.admin().email)
    assert b"A secret opinion" in client.get(f"/provider/ratings/{course.slug}").data


def test_a_review_with_markup_is_shown_as_text_to_staff(app, client, auth):
    course = factories.course()
    fc.rating(fc.completed_without_certificate(course=course),
              review='<script>alert("x")</script> <b>great</b> course')
    auth.login(factories.staff(course.provider).email)
    html = client.get(f"/provider/ratings/{course.slug}").get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_ratings_are_paginated(app, client, auth):
    course = factories.course()
    for _ in range(22):
        fc.rating(fc.completed_without_certificate(course=course))
    auth.login(factories.staff(course.provider).email)
    first = client.get(f"/provider/ratings/{course.slug}?lang=en").get_data(as_text=True)
    second = client.get(f"/provider/ratings/{course.slug}?page=2&lang=en").get_data(as_text=True)
    assert first.count("review-item") == 20 and second.count("review-item") == 2
    assert "Page 1 of 2" in first
