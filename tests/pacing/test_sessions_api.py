"""Opening playback sessions: the contract's answer, the gate, one active session, deadlines."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lms.extensions import db
from lms.pacing.models import PlaybackSession
from tests import factories, factories_media
from tests.pacing.conftest import evidence_of, progress_of, watch

CONTRACT_FIELDS = {"session_id", "resume_at", "frontier", "duration_seconds", "playlist_url",
                   "heartbeat_seconds"}


def test_opening_a_video_answers_the_contract_fields_and_starts_progress(
        player, client, world):
    body = player.open()
    assert CONTRACT_FIELDS <= body.keys()
    assert body["resume_at"] == 0 and body["frontier"] == 0
    assert body["duration_seconds"] == pytest.approx(60, abs=0.5)
    assert body["heartbeat_seconds"] == 10 and body["lookahead_seconds"] == 30
    assert body["playlist_url"] == f"/media/sessions/{body['session_id']}/master.m3u8"
    assert {c["language"] for c in body["captions"]} == {"en", "id"}
    statuses = client.get(f"/api/v1/enrollments/{world['enrollment'].id}").get_json()["modules"]
    assert statuses[0]["status"] == "in_progress"
    session = db.session.get(PlaybackSession, body["session_id"])
    assert session.kind == "video" and session.client_ip == "127.0.0.1"


def test_a_locked_module_answers_403_module_locked(player, client, world):
    response = client.post(f"/api/v1/modules/{world['video2'].id}/sessions")
    assert response.status_code == 403
    body = response.get_json()
    assert body["error"] == "module_locked"
    assert body["finish_first"]["module_id"] == world["video"].id


def test_a_module_of_a_course_the_learner_is_not_enrolled_in_answers_404(player, client):
    other_course = factories.course()
    response = client.post(f"/api/v1/modules/{other_course.current_version.modules[0].id}"
                           "/sessions")
    assert response.status_code == 404
    assert response.get_json()["error"] == "enrollment_not_found"
    assert client.post("/api/v1/modules/999999/sessions").status_code == 404


def test_a_quiz_is_not_playable_and_a_video_without_media_is_not_ready(
        player, clock, client, world):
    course = factories.course(kinds=("quiz", "video"), optional_positions=(1,))
    factories.enrollment(world["learner"], course)
    quiz, video = course.current_version.modules
    assert client.post(f"/api/v1/modules/{quiz.id}/sessions").get_json()["error"] \
        == "not_playable"
    response = client.post(f"/api/v1/modules/{video.id}/sessions")
    assert response.status_code == 409 and response.get_json()["error"] == "media_not_ready"


def test_anonymous_callers_get_401_in_the_contract_shape(app, world):
    response = app.test_client().post(f"/api/v1/modules/{world['video'].id}/sessions")
    assert response.status_code == 401
    assert response.get_json()["error"] == "unauthorized"


def test_opening_a_session_ends_the_previous_one_whatever_its_module(player, clock, world):
    first = player.open()
    watch(player, clock, until=60)  # completes the video; video 2 opens
    factories_media.ready_video(world["video2"], seconds=8)
    player.module_id = world["video2"].id
    second = player.open()
    active = db.session.scalars(select(PlaybackSession).where(
        PlaybackSession.user_id == world["learner"].id,
        PlaybackSession.ended_at.is_(None))).all()
    assert [s.id for s in active] == [second["session_id"]]
    ended = db.session.get(PlaybackSession, first["session_id"])
    assert ended.end_reason == "replaced" and ended.ended_at is not None


def test_a_bearer_token_client_opens_beats_and_streams_without_cookies_or_csrf(
        app, clock, world):
    headers = factories.api_token(world["learner"])
    client = app.test_client()
    opened = client.post(f"/api/v1/modules/{world['video'].id}/sessions", headers=headers)
    assert opened.status_code == 201
    sid = opened.get_json()["session_id"]
    master = client.get(opened.get_json()["playlist_url"], headers=headers)
    assert master.status_code == 200
    assert client.get(f"/media/sessions/{sid}/180p/seg_00000.ts", headers=headers) \
        .status_code == 200
    beat = client.post(f"/api/v1/sessions/{sid}/heartbeats", headers=headers,
                       json={"position": 0, "playing": True, "rate": 1, "seq": 1})
    assert beat.status_code == 200


def test_cookie_sessions_need_the_csrf_token_to_open_or_beat(app, world):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    client.get("/login")
    with client.session_transaction() as cookie:
        cookie["_user_id"] = str(world["learner"].id)
        cookie["_fresh"] = True
    response = client.post(f"/api/v1/modules/{world['video'].id}/sessions")
    assert response.status_code == 400 and response.get_json()["error"] == "csrf_failed"
    assert db.session.scalar(select(func.count(PlaybackSession.id))) == 0


def test_after_the_finish_by_date_nothing_opens_and_nothing_is_credited(
        player, clock, world):
    enrollment = world["enrollment"]
    enrollment.finish_by = clock.now() + timedelta(seconds=25)
    db.session.commit()
    player.open()
    watch(player, clock, until=20)
    credited = progress_of(enrollment, world["video"]).credited_seconds
    clock.advance(10)
    response = player.beat(30)
    assert response.status_code == 403 and response.get_json()["error"] == "deadline_passed"
    assert progress_of(enrollment, world["video"]).credited_seconds == credited
    assert evidence_of(player.sid, "heartbeat")[-1].outcome == "deadline_passed"
    reopened = player.client.post(f"/api/v1/modules/{world['video'].id}/sessions")
    assert reopened.status_code == 403 and reopened.get_json()["error"] == "deadline_passed"
