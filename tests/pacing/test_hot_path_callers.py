"""Heartbeats and segments check the caller inside the query that locks the session (no user
load of their own): every kind of credential must still be judged as everywhere else."""
from __future__ import annotations

from flask.testing import FlaskClient

from lms.accounts import services as accounts
from lms.clock import utcnow
from lms.extensions import db
from tests import factories
from tests.pacing.conftest import evidence_of, progress_of


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _beat(client: FlaskClient, sid: int, seq: int, headers: dict | None = None):
    return client.post(f"/api/v1/sessions/{sid}/heartbeats", headers=headers or {},
                       json={"position": 0, "playing": True, "rate": 1, "seq": seq})


def _segment(client: FlaskClient, sid: int, headers: dict | None = None):
    return client.get(f"/media/sessions/{sid}/180p/seg_00000.ts", headers=headers or {})


def test_an_api_client_with_its_bearer_token_is_served(app, player, world):
    player.open()
    token = accounts.create_api_token(world["learner"], "phone app")
    db.session.commit()
    api = app.test_client()
    assert _segment(api, player.sid, _bearer(token)).status_code == 200
    answer = _beat(api, player.sid, 1, _bearer(token))
    assert answer.status_code == 200, answer.get_json()
    assert [e.outcome for e in evidence_of(player.sid)] == ["served", "accepted"]


def test_a_revoked_token_is_refused_with_401_and_leaves_no_evidence(app, player, world):
    player.open()
    token = accounts.create_api_token(world["learner"], "lost phone")
    db.session.commit()
    db.session.execute(db.text("UPDATE api_tokens SET revoked_at = :now"), {"now": utcnow()})
    db.session.commit()
    api = app.test_client()
    for response in (_beat(api, player.sid, 1, _bearer(token)),
                     _segment(api, player.sid, _bearer(token))):
        assert response.status_code == 401
        assert response.get_json()["error"] == "unauthorized"
    assert evidence_of(player.sid) == []


def test_another_learners_token_gets_404_for_heartbeats_and_403_for_segments(
        app, player, world):
    player.open()
    intruder = factories.learner()
    factories.enrollment(intruder, world["course"])
    token = accounts.create_api_token(intruder, "script")
    db.session.commit()
    api = app.test_client()
    beat = _beat(api, player.sid, 1, _bearer(token))
    assert (beat.status_code, beat.get_json()["error"]) == (404, "session_not_found")
    segment = _segment(api, player.sid, _bearer(token))
    assert segment.status_code == 403
    assert evidence_of(player.sid) == []


def test_a_deactivated_learner_with_a_live_cookie_earns_nothing(app, player, clock, world):
    player.open()
    assert player.segment(0).status_code == 200
    world["learner"].active = False
    db.session.commit()
    clock.advance(10)
    before = progress_of(world["enrollment"], world["video"]).frontier_seconds
    answer = player.beat(6)
    assert answer.status_code == 401
    assert player.segment(1).status_code == 401
    assert progress_of(world["enrollment"], world["video"]).frontier_seconds == before
    assert [e.outcome for e in evidence_of(player.sid)] == ["served"]


def test_a_bad_token_beside_a_good_cookie_does_not_lock_the_learner_out(player, clock):
    """Flask-Login tries the session cookie first; so does the hot path."""
    player.open()
    assert player.segment(0).status_code == 200
    clock.advance(5)
    answer = player.client.post(f"/api/v1/sessions/{player.sid}/heartbeats",
                                headers=_bearer("alur_not-a-real-token"),
                                json={"position": 4, "playing": True, "rate": 1, "seq": 1})
    assert answer.status_code == 200, answer.get_json()
