"""Heartbeats through the API: what honest watching earns, and what forged clients do not."""
from __future__ import annotations

import pytest

from lms import signals
from lms.pacing.models import PacingEvidence
from tests import factories
from tests.pacing.conftest import Player, evidence_of, progress_of, watch


def _status(client, enrollment) -> dict[int, str]:
    body = client.get(f"/api/v1/enrollments/{enrollment.id}").get_json()
    return {m["module_id"]: m["status"] for m in body["modules"]}


def test_watching_at_normal_speed_completes_the_video_and_unlocks_exactly_the_next_module(
        player, clock, client, world):
    completed = []

    def on_completed(sender, **kwargs):
        completed.append(sender.module_id)

    with signals.module_completed.connected_to(on_completed):
        player.open()
        last = watch(player, clock, until=60)
    body = last.get_json()
    assert last.status_code == 200
    assert body["completed"] is True and body["module_status"] == "completed"
    assert body["newly_completed"] is True
    assert body["next_module"]["module_id"] == world["video2"].id
    assert body["next_module"]["status"] == "available"
    assert completed == [world["video"].id]
    statuses = _status(client, world["enrollment"])
    assert statuses == {world["video"].id: "completed", world["video2"].id: "available",
                        world["reading"].id: "locked", world["quiz"].id: "locked"}
    enrollment = client.get(f"/api/v1/enrollments/{world['enrollment'].id}").get_json()
    video = next(m for m in enrollment["modules"] if m["module_id"] == world["video"].id)
    assert video["frontier_seconds"] == pytest.approx(60)
    # Exactly the next one: the module after it stays locked to the API too.
    response = client.post(f"/api/v1/modules/{world['reading'].id}/sessions")
    assert response.status_code == 403 and response.get_json()["error"] == "module_locked"


def test_a_forged_heartbeat_jumping_ahead_gets_409_with_resume_at_and_no_credit(
        player, clock, world):
    player.open()
    watch(player, clock, until=20)
    before = progress_of(world["enrollment"], world["video"])
    frontier, credited = before.frontier_seconds, before.credited_seconds
    clock.advance(1)
    response = player.beat(55)
    assert response.status_code == 409
    body = response.get_json()
    assert body["error"] == "ahead_of_frontier" and body["message"]
    assert body["resume_at"] == pytest.approx(frontier)
    after = progress_of(world["enrollment"], world["video"])
    assert after.frontier_seconds == frontier and after.credited_seconds == credited
    assert after.completed_at is None
    row = evidence_of(player.sid, "heartbeat")[-1]
    assert row.outcome == "ahead_of_frontier" and row.position == 55
    assert row.credited_seconds == 0 and "past frontier" in row.detail


@pytest.mark.parametrize("strategy", ["four_times_elapsed", "four_times_from_frontier"])
def test_a_client_reporting_four_times_real_speed_cannot_complete_60s_in_under_55s(
        player, clock, world, strategy):
    """position = 4 x elapsed every second, naively or restarting from each answer's frontier;
    the client also fetches every segment the gate will give it. The naive one is snapped back
    for ever once it runs too far ahead; the adaptive one completes, but not before 55 s."""
    player.open()
    elapsed, frontier, completed_at = 0, 0.0, None
    player.fetch_allowed()
    player.beat(0)
    while elapsed < 65 and completed_at is None:
        clock.advance(1)
        elapsed += 1
        player.fetch_allowed()
        if strategy == "four_times_elapsed":
            position = min(4 * elapsed, 60)
        else:
            position = min(frontier + 4, 60)
        response = player.beat(position)
        body = response.get_json()
        frontier = body.get("frontier", body.get("resume_at", frontier))
        if response.status_code == 200 and body["completed"]:
            completed_at = elapsed
    assert completed_at is None or completed_at >= 55
    if strategy == "four_times_from_frontier":
        assert completed_at is not None and completed_at <= 60
    progress = progress_of(world["enrollment"], world["video"])
    assert progress.credited_seconds <= progress.wall_seconds + 3 + 1e-6


def test_a_heartbeat_to_an_ended_session_gets_410_and_changes_nothing(player, clock, world):
    player.open()
    watch(player, clock, until=10)
    old = player.sid
    player.open()  # another tab: ends the first session
    clock.advance(10)
    before = progress_of(world["enrollment"], world["video"]).frontier_seconds
    response = player.beat(20, session_id=old, seq=99)
    assert response.status_code == 410
    assert response.get_json()["error"] == "session_ended"
    assert progress_of(world["enrollment"], world["video"]).frontier_seconds == before
    assert evidence_of(old, "heartbeat")[-1].outcome == "session_ended"


def test_another_learners_session_is_not_found_and_earns_them_nothing(
        app, player, clock, world):
    player.open()
    intruder = factories.learner()
    factories.enrollment(intruder, world["course"])
    other = app.test_client()
    other.post("/login", data={"email": intruder.email, "password": factories.PASSWORD})
    response = Player(other, clock, world["video"].id).beat(0, session_id=player.sid)
    assert response.status_code == 404
    assert response.get_json()["error"] == "session_not_found"
    assert evidence_of(player.sid) == []
    missing = player.beat(0, session_id=player.sid + 1000)
    assert missing.status_code == 404


GARBAGE = [
    ("not json", b"position=10&playing=true"),
    ("json array", b"[1, 2, 3]"),
    ("json string", b'"heartbeat"'),
    ("empty object", b"{}"),
    ("empty body", b""),
    ("missing rate", b'{"position": 1, "playing": true, "seq": 1}'),
    ("position as text", b'{"position": "10", "playing": true, "rate": 1, "seq": 1}'),
    ("NaN position", b'{"position": NaN, "playing": true, "rate": 1, "seq": 1}'),
    ("infinite position", b'{"position": Infinity, "playing": true, "rate": 1, "seq": 1}'),
    ("overflowing number", b'{"position": 1e400, "playing": true, "rate": 1, "seq": 1}'),
    ("huge integer", b'{"position": 1' + b"0" * 400 + b', "playing": true, "rate": 1, "seq": 1}'),
    ("negative position", b'{"position": -1, "playing": true, "rate": 1, "seq": 1}'),
    ("past the end", b'{"position": 62, "playing": true, "rate": 1, "seq": 1}'),
    ("zero rate", b'{"position": 1, "playing": true, "rate": 0, "seq": 1}'),
    ("absurd rate", b'{"position": 1, "playing": true, "rate": 100, "seq": 1}'),
    ("playing as text", b'{"position": 1, "playing": "yes", "rate": 1, "seq": 1}'),
    ("seq as float", b'{"position": 1, "playing": true, "rate": 1, "seq": 1.5}'),
    ("seq as bool", b'{"position": 1, "playing": true, "rate": 1, "seq": true}'),
    ("negative seq", b'{"position": 1, "playing": true, "rate": 1, "seq": -1}'),
    ("huge seq", b'{"position": 1, "playing": true, "rate": 1, "seq": 99999999999999}'),
    ("nested", b'{"position": {"$gt": 0}, "playing": true, "rate": 1, "seq": 1}'),
    ("oversized", b'{"position": 1, "playing": true, "rate": 1, "seq": 1, "pad": "'
     + b"x" * 10_000 + b'"}'),
]


def test_garbage_bodies_get_422_in_the_contract_shape_and_change_nothing(
        player, client, world):
    player.open()
    for name, body in GARBAGE:
        response = client.post(f"/api/v1/sessions/{player.sid}/heartbeats", data=body,
                               content_type="application/json")
        assert response.status_code == 422, name
        payload = response.get_json()
        assert payload["error"] == "invalid_heartbeat", name
        assert isinstance(payload["message"], str) and b"Traceback" not in response.data
    progress = progress_of(world["enrollment"], world["video"])
    assert progress.frontier_seconds == 0 and progress.wall_seconds == 0
    rows = evidence_of(player.sid, "heartbeat")
    assert len(rows) == len(GARBAGE)
    assert all(r.outcome == "invalid_heartbeat" and r.detail.startswith("invalid") for r in rows)
    # The session still works afterwards: garbage does not poison its sequence.
    assert player.beat(0, seq=1).status_code == 200


def test_a_repeated_or_reordered_seq_is_recorded_but_earns_nothing(player, clock, world):
    player.open()
    player.fetch_allowed()
    player.beat(0, seq=1)
    clock.advance(10)
    assert player.beat(10, seq=2).status_code == 200
    frontier = progress_of(world["enrollment"], world["video"]).frontier_seconds
    clock.advance(10)
    replay = player.beat(20, seq=2)
    assert replay.status_code == 200 and replay.get_json()["outcome"] == "stale_sequence"
    progress = progress_of(world["enrollment"], world["video"])
    assert progress.frontier_seconds == frontier and progress.wall_seconds == pytest.approx(10)


def test_paused_time_and_long_silences_earn_nothing_beyond_the_rules(player, clock, world):
    player.open()
    player.fetch_allowed()
    player.beat(0, playing=True)
    clock.advance(5)
    player.beat(5, playing=False)  # paused: the next gap earns nothing
    clock.advance(600)
    player.beat(5, playing=True)
    clock.advance(600)  # a silence: at most 30 s counts
    player.beat(5, playing=True)
    progress = progress_of(world["enrollment"], world["video"])
    assert progress.wall_seconds == pytest.approx(5 + 30)


def test_a_client_that_never_downloads_the_media_cannot_move_the_frontier(player, clock, world):
    player.open()
    player.beat(0)
    for second in range(10, 70, 10):
        clock.advance(10)
        player.beat(min(second, 60))
    progress = progress_of(world["enrollment"], world["video"])
    assert progress.frontier_seconds == 0 and progress.completed_at is None


def test_a_reported_rate_above_one_does_not_speed_up_credit(player, clock, world):
    player.open()
    player.fetch_allowed()
    player.beat(0, rate=4)
    clock.advance(5)
    response = player.beat(9.5, rate=4).get_json()
    # 5 s of wall time plus the 3 s allowance, not the 9.5 s of media played at 4x (2 s later
    # than 4x would have it, within what jitter may explain, so not refused as a skip).
    assert response["frontier"] == pytest.approx(8)


def test_every_heartbeat_leaves_an_evidence_row_with_server_time_credit_and_reason(
        player, clock, world):
    player.open()
    player.fetch_allowed()
    start = clock.now()
    player.beat(0)
    clock.advance(10)
    player.beat(10)
    clock.advance(1)
    player.beat(50)
    rows = evidence_of(player.sid, "heartbeat")
    assert [r.outcome for r in rows] == ["accepted", "accepted", "ahead_of_frontier"]
    assert [r.seq for r in rows] == [1, 2, 3]
    assert rows[0].at == start and (rows[1].at - start).total_seconds() == 10
    assert rows[1].credited_seconds == pytest.approx(10) and rows[1].wall_seconds == 10
    assert rows[1].frontier == pytest.approx(10) and rows[1].active is True
    assert rows[1].rate == 1 and rows[1].position == 10
    assert all(r.enrollment_id == world["enrollment"].id for r in rows)
    assert PacingEvidence.__tablename__ == "pacing_evidence"


def test_resume_is_at_the_last_position_on_any_device_and_never_past_the_frontier(
        app, player, clock, world):
    player.open()
    watch(player, clock, until=30)
    clock.advance(2)
    player.beat(25, playing=False)  # rewound a little, then paused
    phone = app.test_client()
    phone.post("/login", data={"email": world["learner"].email,
                               "password": factories.PASSWORD})
    session = Player(phone, clock, world["video"].id).open()
    assert session["resume_at"] == pytest.approx(25)
    assert session["frontier"] == pytest.approx(30)
