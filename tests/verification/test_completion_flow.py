"""From the last module to the certificate: a completion with no flags is verified and
certified without anyone acting; a flagged one waits for an admin; a rejected one never gets a
certificate. Every check fires on a scripted cheater playing through the real API."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert, select

from lms.assessments.models import QuizAttempt
from lms.catalog.models import ModuleKind
from lms.certificates import services as certificates
from lms.extensions import db
from lms.pacing.models import PacingEvidence, PlaybackSession
from lms.verification import services
from lms.verification.models import CompletionStatus
from tests import factories
from tests import factories_assessments as fa
from tests import factories_certificates as fc
from tests.pacing.conftest import watch
from tests.verification.conftest import (CLIP, certificate_for, codes, completion_for,
                                         enrolled_player, watch_to_end)


def test_an_honest_learner_is_verified_and_certified_without_anyone_acting(
        app, clock, video_course):
    player = enrolled_player(app, clock, video_course, device_id="honest-laptop-1")
    watch_to_end(player, clock)
    completion = completion_for(player.learner)
    assert completion.status == CompletionStatus.VERIFIED and completion.flags == []
    assert completion.evidence["heartbeats"] >= CLIP // 10
    assert completion.evidence["devices"] == 1
    assert certificate_for(player.learner) is not None
    answer = player.client.get(f"/api/v1/enrollments/{completion.enrollment_id}").get_json()
    assert answer["completion_status"] == "verified"
    assert answer["eligibility_status"] == "pending_rating"  # certified, not yet rated


def test_before_completion_the_status_is_none(app, clock, video_course):
    player = enrolled_player(app, clock, video_course)
    player.open()
    watch(player, clock, until=20)
    enrollment_id = player.session["enrollment_id"]
    answer = player.client.get(f"/api/v1/enrollments/{enrollment_id}").get_json()
    assert answer["completion_status"] == "none"


def test_two_devices_taking_turns_are_flagged_and_get_no_certificate(app, clock, video_course):
    phone = enrolled_player(app, clock, video_course, device_id="phone-0000-aaaa")
    laptop = enrolled_player(app, clock, video_course, device_id="laptop-000-bbbb",
                             learner=phone.learner)
    # Each takes over in turn and keeps reporting after being replaced.
    position = 0.0
    for turn in range(6):
        current, other = (phone, laptop) if turn % 2 == 0 else (laptop, phone)
        current.open()
        current.fetch_allowed()
        for _ in range(2):
            clock.advance(5)
            position = min(position + 5, CLIP)
            current.fetch_allowed()
            current.beat(position)
            if other.session:
                other.beat(position)  # the replaced device ignores its 410s
    watch(current, clock, until=CLIP)
    completion = completion_for(phone.learner)
    assert completion.status == CompletionStatus.FLAGGED
    assert "overlapping_sessions" in codes(completion)
    assert certificate_for(phone.learner) is None


def test_a_bot_reporting_at_fixed_intervals_is_flagged(app, clock, video_course):
    # The default run (180 reports, half an hour) needs a long video; the 60 s clip's run
    # of exact intervals shows the same rule with a shorter run.
    app.config["VERIFY_REGULAR_RUN_BEATS"] = 5
    bot = enrolled_player(app, clock, video_course)
    watch_to_end(bot, clock)
    completion = completion_for(bot.learner)
    assert codes(completion) == ["machine_regular_heartbeats"]
    assert certificate_for(bot.learner) is None


def test_ten_accounts_on_one_device_are_flagged(app, clock, video_course):
    players = [enrolled_player(app, clock, video_course, device_id="shared-device-42")
               for _ in range(10)]
    for player in players[:-1]:
        player.open()
        watch(player, clock, until=10)
    watch_to_end(players[-1], clock)
    completion = completion_for(players[-1].learner)
    assert codes(completion) == ["shared_device"]
    assert completion.flags[0]["detail"].startswith("10 learners")


def test_a_quiz_answered_in_two_seconds_is_flagged_and_a_read_one_is_not(app, clock):
    course = fa.full_course(kinds=(ModuleKind.QUIZ,), questions=5, time_limit=600)
    module = fa.modules(course)[0]
    results = {}
    for seconds in (2, 60):
        learner = factories.learner()
        factories.enrollment(learner, course)
        headers = factories.api_token(learner)
        started = app.test_client().post(f"/api/v1/modules/{module.id}/attempts",
                                         headers=headers)
        assert started.status_code == 201
        attempt = db.session.get(QuizAttempt, started.get_json()["attempt_id"])
        clock.advance(seconds)
        submitted = app.test_client().post(
            f"/api/v1/attempts/{attempt.id}/submit", headers=headers,
            json={"answers": fa.answers(attempt)})
        assert submitted.get_json()["passed"] is True
        results[seconds] = completion_for(learner)
    assert codes(results[2]) == ["rapid_answers"]
    assert results[60].status == CompletionStatus.VERIFIED


def _forge(enrollment, module, session_id, rows):
    """Evidence a pacing bug (or a hand-run INSERT) could leave: heartbeats crediting media."""
    db.session.execute(insert(PacingEvidence), [
        {"session_id": session_id, "enrollment_id": enrollment.id, "module_id": module.id,
         "kind": "heartbeat", "outcome": "accepted", "active": True, "rate": 1.0,
         "frontier": 0.0, "detail": "", **row} for row in rows])


def _forged_completion(app, clock, video_course, seconds_apart: float, fetch: bool):
    player = enrolled_player(app, clock, video_course)
    opened = player.open()
    if fetch:
        player.fetch_allowed()
    enrollment = db.session.scalar(select(PlaybackSession)
                                   .where(PlaybackSession.id == opened["session_id"])).enrollment
    module = video_course.current_version.modules[0]
    now = clock.now()
    _forge(enrollment, module, opened["session_id"], [
        {"at": now + timedelta(seconds=seconds_apart * n), "seq": n, "position": 10.0 * n,
         "credited_seconds": 10.0, "wall_seconds": 10.0} for n in range(1, 7)])
    db.session.commit()
    enrollment.status, enrollment.completed_at = "completed", now
    services.open_completion(enrollment, now)
    db.session.commit()
    return completion_for(player.learner)


def test_credit_in_less_wall_time_than_the_media_is_flagged_too_fast(app, clock, video_course):
    app.config["VERIFY_TOO_FAST_ALLOWANCE_SECONDS"] = 10
    completion = _forged_completion(app, clock, video_course, seconds_apart=1, fetch=True)
    assert "too_fast" in codes(completion)
    assert completion.evidence["credited_seconds"] == 60


def test_credit_for_media_never_delivered_is_flagged(app, clock, video_course):
    completion = _forged_completion(app, clock, video_course, seconds_apart=10, fetch=False)
    assert codes(completion) == ["delivery_gap"]


def test_study_on_a_day_without_attendance_is_flagged(app, clock, video_course):
    player = enrolled_player(app, clock, video_course)
    player.open()
    watch(player, clock, until=30)  # day 1: the check was not enforced (switched off)
    clock.advance(24 * 3600)
    app.config["ATTENDANCE_REQUIRED"] = True  # day 2: enforced, and passed
    assert player.client.post("/attendance/verify", data={}).status_code == 302
    player.open()
    watch(player, clock, until=CLIP)
    completion = completion_for(player.learner)
    assert codes(completion) == ["attendance_missed"]
    assert completion.flags[0]["params"]["days"] == 1


def test_flagged_gets_a_certificate_only_once_an_admin_verifies(app, clock):
    enrollment = fc.completed_enrollment(render=False)
    completion = completion_for(enrollment.user)
    assert completion.status == CompletionStatus.VERIFIED  # no evidence, no flag
    flagged = fc.completed_without_certificate()
    row = completion_for(flagged.user)
    row.status, row.flags = CompletionStatus.FLAGGED, [{"code": "too_fast", "detail": "x"}]
    db.session.commit()
    admin = factories.admin()
    headers = factories.api_token(admin)
    client = app.test_client()
    learner_headers = factories.api_token(flagged.user)
    refused = client.post(f"/api/v1/enrollments/{flagged.id}/certificate",
                          headers=learner_headers)
    assert refused.status_code == 409
    assert refused.get_json()["error"] == "completion_not_verified"
    assert certificates.certificate_of(flagged) is None
    decided = client.post(f"/api/v1/completions/{row.id}/decision", headers=headers,
                          json={"decision": "verified", "reason": "Checked the recording."})
    assert decided.status_code == 200, decided.get_json()
    assert certificate_for(flagged.user) is not None


def test_rejected_never_gets_a_certificate(app, clock):
    flagged = fc.completed_without_certificate()
    row = completion_for(flagged.user)
    row.status = CompletionStatus.FLAGGED
    db.session.commit()
    headers = factories.api_token(factories.admin())
    client = app.test_client()
    assert client.post(f"/api/v1/completions/{row.id}/decision", headers=headers,
                       json={"decision": "rejected", "reason": "Two people."}).status_code == 200
    learner = factories.api_token(flagged.user)
    assert client.post(f"/api/v1/enrollments/{flagged.id}/certificate",
                       headers=learner).status_code == 409
    assert client.get(f"/api/v1/enrollments/{flagged.id}",
                      headers=learner).get_json()["completion_status"] == "rejected"
    result = app.test_cli_runner().invoke(args=["certificates", "issue-missing"])
    assert result.exit_code == 0
    assert certificate_for(flagged.user) is None
