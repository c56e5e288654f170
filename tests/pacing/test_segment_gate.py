"""The segment gate: only the learner's active session, only up to frontier + look-ahead, and
every segment request on the record."""
from __future__ import annotations

import pytest

from lms.clock import utcnow
from lms.extensions import db
from lms.learning import progression
from lms.pacing import rules
from lms.pacing.models import PlaybackSession
from tests import factories
from tests.pacing.conftest import evidence_of, progress_of, watch

JSON_ERROR = {"error", "message"}


@pytest.fixture
def other(app, world):
    """A second learner of the same course, signed in on their own client."""
    intruder = factories.learner()
    factories.enrollment(intruder, world["course"])
    client = app.test_client()
    client.post("/login", data={"email": intruder.email, "password": factories.PASSWORD})
    return client


def _media_paths(sid: int) -> list[str]:
    return [f"/media/sessions/{sid}/master.m3u8", f"/media/sessions/{sid}/180p/index.m3u8",
            f"/media/sessions/{sid}/180p/seg_00000.ts", f"/media/sessions/{sid}/poster.jpg",
            f"/media/sessions/{sid}/captions/en.vtt"]


def test_playlists_resolve_under_the_session_with_their_stored_relative_uris(player):
    player.open()
    master = player.client.get(player.session["playlist_url"])
    assert master.status_code == 200
    assert master.mimetype == "application/vnd.apple.mpegurl"
    assert "180p/index.m3u8" in master.get_data(as_text=True)
    media = player.client.get(f"/media/sessions/{player.sid}/180p/index.m3u8")
    text = media.get_data(as_text=True)
    assert "#EXT-X-ENDLIST" in text and "\nseg_00000.ts" in text
    caption = player.client.get(player.session["captions"][0]["url"])
    assert caption.status_code == 200 and caption.mimetype == "text/vtt"
    assert caption.get_data(as_text=True).startswith("WEBVTT")
    assert player.client.get(player.session["poster_url"]).mimetype == "image/jpeg"


def test_segments_are_served_up_to_frontier_plus_lookahead_and_refused_beyond(
        player, clock, world):
    player.open()
    allowed = [i for i in range(10) if i * 6 <= rules.LOOKAHEAD_SECONDS]
    for index in allowed:
        response = player.segment(index)
        assert response.status_code == 200 and response.mimetype == "video/mp2t"
        assert len(response.data) > 0 and response.data[0] == 0x47  # MPEG-TS sync byte
    refused = player.segment(allowed[-1] + 1)
    assert refused.status_code == 403
    body = refused.get_json()
    assert body["error"] == "beyond_lookahead" and JSON_ERROR <= body.keys()
    progress = progress_of(world["enrollment"], world["video"])
    assert rules.decode_segments(progress.delivered_segments) == set(allowed)
    rows = evidence_of(player.sid, "segment")
    assert [(r.segment_index, r.outcome) for r in rows] == \
        [(i, "served") for i in allowed] + [(allowed[-1] + 1, "beyond_lookahead")]
    assert "past frontier" in rows[-1].detail
    # As the frontier moves, more of the video opens up.
    player.next_segment = len(allowed)
    watch(player, clock, until=20)
    assert player.segment(allowed[-1] + 1).status_code == 200


def test_another_learners_session_media_answers_403(player, other):
    player.open()
    for path in _media_paths(player.sid):
        response = other.get(path)
        assert response.status_code == 403, path
        assert JSON_ERROR <= response.get_json().keys()
    assert evidence_of(player.sid) == []


def test_anonymous_media_requests_answer_401(app, player):
    player.open()
    for path in _media_paths(player.sid):
        response = app.test_client().get(path)
        assert response.status_code == 401, path
        assert response.get_json()["error"] == "unauthorized"


def test_media_of_an_ended_session_answers_410(player):
    player.open()
    old = player.sid
    player.open()
    for path in _media_paths(old):
        response = player.client.get(path)
        assert response.status_code == 410, path
        assert response.get_json()["error"] == "session_ended"


def test_unknown_renditions_languages_and_indexes_answer_404(player):
    player.open()
    sid = player.sid
    for path in (f"/media/sessions/{sid}/999p/index.m3u8",
                 f"/media/sessions/{sid}/180p/seg_00010.ts",
                 f"/media/sessions/{sid}/999p/seg_00000.ts",
                 f"/media/sessions/{sid}/captions/fr.vtt",
                 f"/media/sessions/{sid}/..%2F..%2Fetc/index.m3u8",
                 f"/media/sessions/{sid + 100}/master.m3u8"):
        response = player.client.get(path)
        assert response.status_code == 404, path
        assert JSON_ERROR <= response.get_json().keys()
    assert rules.decode_segments(progress_of_session(sid).delivered_segments) == set()


def progress_of_session(sid: int):
    session = db.session.get(PlaybackSession, sid)
    return progress_of(session.enrollment, session.module)


def test_a_range_request_still_gets_the_whole_segment_and_head_delivers_nothing(player):
    player.open()
    head = player.client.head(f"/media/sessions/{player.sid}/180p/seg_00001.ts")
    assert head.status_code == 200
    assert rules.decode_segments(progress_of_session(player.sid).delivered_segments) == set()
    whole = player.client.get(f"/media/sessions/{player.sid}/180p/seg_00000.ts")
    ranged = player.client.get(f"/media/sessions/{player.sid}/180p/seg_00000.ts",
                               headers={"Range": "bytes=0-0"})
    assert ranged.status_code == 200 and ranged.data == whole.data
    assert rules.decode_segments(progress_of_session(player.sid).delivered_segments) == {0}


def test_a_session_on_a_module_that_is_locked_gets_no_playlist(player, world):
    # Sessions only open on available modules; a row made behind the API's back shows the
    # gate still holds at the playlist.
    row = PlaybackSession(user_id=world["learner"].id, enrollment_id=world["enrollment"].id,
                          module_id=world["video2"].id, kind="video",
                          asset_id=world["asset"].id, target_seconds=60, started_at=utcnow())
    db.session.add(row)
    db.session.commit()
    assert progression.blocking_module(world["enrollment"], world["video2"]) is not None
    response = player.client.get(f"/media/sessions/{row.id}/master.m3u8")
    assert response.status_code == 403
    assert response.get_json()["error"] == "module_locked"
