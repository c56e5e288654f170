"""Daily attendance (ATTENDANCE_REQUIRED): the first study activity of the learner's local day
waits for a verification; the stub page records one."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from lms.errors import Forbidden
from lms.pacing import attendance
from tests import factories
from tests.pacing.conftest import evidence_of, progress_of, watch


def _set(clock, when: datetime) -> None:
    clock.advance((when - clock.now()).total_seconds())


@pytest.fixture
def required(app):
    app.config["ATTENDANCE_REQUIRED"] = True
    yield
    app.config["ATTENDANCE_REQUIRED"] = False


def test_without_the_setting_nobody_is_asked(player):
    assert player.open()["session_id"]


def test_study_waits_for_todays_verification_then_proceeds(required, player, client, world):
    refused = client.post(f"/api/v1/modules/{world['video'].id}/sessions")
    assert refused.status_code == 403
    body = refused.get_json()
    assert body["error"] == "attendance_required"
    assert body["verify_url"] == "/attendance/verify"
    page = client.get(body["verify_url"] + "?next=/dashboard")
    assert page.status_code == 200 and b"verify-attendance" in page.data
    done = client.post("/attendance/verify?next=/enrollments/1")
    assert done.status_code == 302 and done.headers["Location"].endswith("/enrollments/1")
    assert b"verify-attendance" not in client.get("/attendance/verify").data
    assert player.open()["session_id"]


def test_a_session_running_past_local_midnight_stops_counting_until_verified(
        required, player, clock, client, world):
    # 16:59:45 UTC is 23:59:45 in Jakarta (WIB, the learner's default zone).
    _set(clock, datetime(2026, 1, 5, 16, 59, 45, tzinfo=timezone.utc))
    client.post("/attendance/verify")
    player.open()
    watch(player, clock, until=20)  # crosses into 6 January at 00:00 WIB
    rows = evidence_of(player.sid, "heartbeat")
    assert rows[-1].outcome == "attendance_required"
    frontier = progress_of(world["enrollment"], world["video"]).frontier_seconds
    assert frontier < 20
    response = player.beat(frontier)
    assert response.status_code == 403 and response.get_json()["error"] == "attendance_required"
    client.post("/attendance/verify")
    assert player.beat(frontier).status_code == 200


def test_the_day_is_the_learners_own_day(app, clock):
    jayapura = factories.learner(timezone="Asia/Jayapura")
    app.config["ATTENDANCE_REQUIRED"] = True
    try:
        # 15:30 UTC: 22:30 in Jakarta, already 00:30 the next day in Jayapura (WIT).
        _set(clock, datetime(2026, 1, 5, 14, 0, tzinfo=timezone.utc))  # 23:00 WIT
        attendance.record_verification(jayapura, jayapura, clock.now())
        _set(clock, datetime(2026, 1, 5, 15, 30, tzinfo=timezone.utc))
        assert attendance.needs_verification(jayapura, clock.now())
    finally:
        app.config["ATTENDANCE_REQUIRED"] = False


def test_verifying_twice_a_day_keeps_one_record_and_nobody_verifies_for_someone_else(
        app, clock):
    learner, other = factories.learner(), factories.learner()
    first = attendance.record_verification(learner, learner, clock.now())
    assert attendance.record_verification(learner, learner, clock.now()).id == first.id
    with pytest.raises(Forbidden) as refused:
        attendance.record_verification(other, learner, clock.now())
    assert refused.value.code == "admin_only"
