"""The daily face verification with Kartu Prakerja: sent to the programme, back through
/programme/callback with a single-use state bound to the learner and the day; the day counts
only when the programme confirms it."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lms.extensions import db
from lms.pacing.models import AttendanceVerification
from lms.programme.models import ProgrammeVerification
from tests import factories
from tests import factories_assessments as fa
from tests.programme import support


@pytest.fixture
def enrolled(prakerja, app, clock, auth, client):
    course = support.programme_course()
    learner = factories.learner()
    auth.login(learner.email)
    assert client.post("/api/v1/enrollments", json={"code": "PRAT-DAY"}).status_code == 201
    pretest = fa.modules(course)[0]
    return {"learner": learner, "course": course, "pretest": pretest}


def _start_attempt(client, module):
    return client.post(f"/api/v1/modules/{module.id}/attempts")


def _go_to_programme(client, next_path="/dashboard"):
    response = client.post(f"/programme/verify?next={next_path}")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response.headers["Location"]


def _verified_days() -> int:
    return db.session.scalar(select(func.count()).select_from(AttendanceVerification))


def test_the_first_study_of_the_day_sends_the_learner_to_the_programme_and_back(
        enrolled, client, prakerja):
    refused = _start_attempt(client, enrolled["pretest"])
    assert refused.status_code == 403
    assert refused.get_json()["error"] == "attendance_required"
    assert refused.get_json()["verify_url"] == "/programme/verify"
    page = client.get("/programme/verify?next=/dashboard")
    assert page.status_code == 200 and b"start-verification" in page.data
    target = _go_to_programme(client)
    assert target.startswith(prakerja.url + "/standin/face")
    (generate,) = support.calls_to(prakerja, "oauth/url-generate")
    body = json.loads(generate["body"])
    assert body["redeem_code"] == "PRAT-DAY" and body["sequence"] == 1
    assert body["email"] == enrolled["learner"].email
    assert body["redirect_uri"].startswith("http://localhost/programme/callback?state=")
    back = support.face_check(target)
    assert back == body["redirect_uri"]
    done = client.get(support.path_of(back))
    assert done.status_code == 302 and done.headers["Location"].endswith("/dashboard")
    assert _verified_days() == 1
    status_calls = [json.loads(c["body"]) for c in support.calls_to(prakerja, "redeem-code/status")]
    assert status_calls[-1] == {"redeem_code": "PRAT-DAY", "sequence": 1}
    assert _start_attempt(client, enrolled["pretest"]).status_code == 201


def test_the_next_day_stops_study_until_verified_again_with_the_next_sequence(
        enrolled, client, clock, prakerja):
    client.get(support.path_of(support.face_check(_go_to_programme(client))))
    assert _start_attempt(client, enrolled["pretest"]).status_code == 201
    clock.advance(24 * 3600)
    assert _start_attempt(client, enrolled["pretest"]).status_code == 403
    client.get(support.path_of(support.face_check(_go_to_programme(client))))
    generated = [json.loads(c["body"]) for c in support.calls_to(prakerja, "url-generate")]
    assert [g["sequence"] for g in generated] == [1, 2]
    assert _start_attempt(client, enrolled["pretest"]).status_code == 201
    assert _verified_days() == 2


def test_a_failed_face_check_does_not_count_and_says_what_to_do(enrolled, client):
    back = support.face_check(_go_to_programme(client), result="fail")
    answer = client.get(support.path_of(back))
    assert answer.status_code == 403
    assert b"Start the verification again" in answer.data
    assert _verified_days() == 0
    assert db.session.scalar(select(ProgrammeVerification.outcome)) == "failed"
    assert client.get(support.path_of(back)).status_code == 409  # spent
    client.get(support.path_of(support.face_check(_go_to_programme(client))))
    assert _verified_days() == 1


def test_a_forged_state_is_not_found(enrolled, client):
    answer = client.get("/programme/callback?state=forged-state-value")
    assert answer.status_code == 404 and b"not valid" in answer.data
    assert client.get("/programme/callback").status_code == 404
    assert _verified_days() == 0


def test_a_replayed_callback_is_refused_and_counts_once(enrolled, client):
    back = support.path_of(support.face_check(_go_to_programme(client)))
    assert client.get(back).status_code == 302
    again = client.get(back)
    assert again.status_code == 409 and b"already used" in again.data
    assert _verified_days() == 1


def test_the_state_of_another_learner_is_refused(enrolled, client, auth):
    back = support.path_of(support.face_check(_go_to_programme(client)))
    auth.logout()
    other = factories.learner()
    auth.login(other.email)
    answer = client.get(back)
    assert answer.status_code == 403 and b"another account" in answer.data
    assert _verified_days() == 0


def test_an_expired_state_is_refused(enrolled, client, clock):
    back = support.path_of(support.face_check(_go_to_programme(client)))
    clock.advance(timedelta(minutes=16).total_seconds())
    answer = client.get(back)
    assert answer.status_code == 410 and b"expired" in answer.data
    assert _verified_days() == 0


def test_a_state_of_yesterday_does_not_verify_today(enrolled, client, clock):
    # 16:55 UTC is 23:55 in Jakarta: the learner comes back after local midnight.
    clock.advance((clock.now().replace(hour=16, minute=55) - clock.now()).total_seconds())
    back = support.path_of(support.face_check(_go_to_programme(client)))
    clock.advance(10 * 60)
    assert client.get(back).status_code == 410


def test_a_programme_down_when_starting_says_try_again_and_writes_nothing(enrolled, client,
                                                                         prakerja):
    support.fault(prakerja, "url-generate", "timeout")
    answer = client.post("/programme/verify?next=/dashboard")
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "30"
    assert b"try again shortly" in answer.data and b"programme-problem" in answer.data
    assert db.session.scalar(select(func.count()).select_from(ProgrammeVerification)) == 0


def test_a_programme_down_on_return_keeps_the_state_so_coming_back_again_works(
        enrolled, client, prakerja):
    back = support.path_of(support.face_check(_go_to_programme(client)))
    support.fault(prakerja, "redeem-code/status", "error")
    first = client.get(back)
    assert first.status_code == 503 and b"try again shortly" in first.data
    assert _verified_days() == 0
    assert client.get(back).status_code == 302
    assert _verified_days() == 1


def test_the_self_check_button_is_gone_with_prakerja(enrolled, client):
    assert client.post("/attendance/verify").status_code == 404
    page = client.get("/attendance/verify?next=/dashboard")
    assert page.status_code == 302 and "/programme/verify" in page.headers["Location"]
    assert _verified_days() == 0


def test_a_learner_without_a_programme_enrollment_is_told_to_redeem_first(prakerja, app,
                                                                          clock, auth, client):
    auth.login(factories.learner().email)
    answer = client.post("/programme/verify")
    assert answer.status_code == 409 and b"Redeem your Kartu Prakerja code" in answer.data


def test_builtin_keeps_the_self_check_and_has_no_programme_pages(app, clock, auth, client):
    app.config["ATTENDANCE_REQUIRED"] = True
    try:
        auth.login(factories.learner().email)
        assert client.get("/programme/verify").status_code == 404
        assert client.get("/programme/callback?state=x").status_code == 404
        assert client.post("/attendance/verify").status_code == 302
        assert _verified_days() == 1
    finally:
        app.config["ATTENDANCE_REQUIRED"] = False
