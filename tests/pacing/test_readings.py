"""Readings: a minimum dwell time counted from visible-page heartbeats on the server's clock."""
from __future__ import annotations

import pytest

from lms.catalog import services as catalog
from lms.catalog.models import ModuleKind
from lms.extensions import db
from tests import factories
from tests.pacing.conftest import evidence_of, progress_of


@pytest.fixture
def reading(app, clock, client, auth):
    """A learner on a course that starts with a reading of the provider's 30 s minimum."""
    learner = factories.learner()
    course = factories.course(kinds=(ModuleKind.READING, ModuleKind.QUIZ))
    enrollment = factories.enrollment(learner, course)
    auth.login(learner.email)
    module, quiz = course.current_version.modules
    return {"learner": learner, "enrollment": enrollment, "module": module, "quiz": quiz,
            "course": course}


class Reader:
    def __init__(self, client, module_id):
        self.client, self.module_id, self.seq = client, module_id, 0
        self.session = client.post(f"/api/v1/modules/{module_id}/sessions").get_json()

    def beat(self, visible: bool = True, **overrides):
        self.seq += 1
        body = {"visible": visible, "seq": self.seq, **overrides}
        return self.client.post(f"/api/v1/sessions/{self.session['session_id']}/heartbeats",
                                json=body)


def test_a_reading_session_says_how_long_to_read(reading, client):
    body = Reader(client, reading["module"].id).session
    assert body["kind"] == "reading" and body["playlist_url"] is None
    assert body["min_dwell_seconds"] == 30 and body["duration_seconds"] == 30
    assert body["dwell_seconds"] == 0 and body["heartbeat_seconds"] == 10


def test_visible_time_completes_the_reading_and_unlocks_the_next_module(
        reading, client, clock):
    reader = Reader(client, reading["module"].id)
    assert reader.beat().get_json()["dwell_seconds"] == 0
    clock.advance(10)
    assert reader.beat().get_json()["completed"] is False
    clock.advance(10)
    reader.beat()
    clock.advance(10)
    body = reader.beat().get_json()
    assert body["completed"] is True and body["newly_completed"] is True
    assert body["dwell_seconds"] == pytest.approx(30)
    assert body["next_module"]["module_id"] == reading["quiz"].id
    assert body["next_module"]["status"] == "available"
    progress = progress_of(reading["enrollment"], reading["module"])
    assert progress.completed_at is not None and progress.frontier_seconds == 30


def test_hidden_time_and_long_silences_do_not_count(reading, client, clock):
    reader = Reader(client, reading["module"].id)
    reader.beat(visible=True)
    clock.advance(5)
    reader.beat(visible=False)  # tab hidden: the next gap earns nothing
    clock.advance(300)
    reader.beat(visible=True)
    clock.advance(3600)  # laptop closed for an hour: at most 30 s
    body = reader.beat(visible=True).get_json()
    assert body["dwell_seconds"] == pytest.approx(5 + 30)
    rows = evidence_of(reader.session["session_id"], "reading")
    assert [r.active for r in rows] == [True, False, True, True]
    assert [r.wall_seconds for r in rows] == [0, 5, 0, 30]


def test_a_replayed_reading_heartbeat_earns_nothing(reading, client, clock):
    reader = Reader(client, reading["module"].id)
    reader.beat()
    clock.advance(10)
    reader.beat()
    clock.advance(10)
    replay = reader.beat(seq=2).get_json()
    assert replay["outcome"] == "stale_sequence" and replay["dwell_seconds"] == 10


def test_invalid_reading_heartbeats_get_422(reading, client):
    reader = Reader(client, reading["module"].id)
    for body in ({"visible": "yes", "seq": 1}, {"seq": 1}, {"visible": True},
                 {"position": 1, "playing": True, "rate": 1, "seq": 1}, [True], None):
        response = client.post(f"/api/v1/sessions/{reader.session['session_id']}/heartbeats",
                               json=body)
        assert response.status_code == 422, body
        assert response.get_json()["error"] == "invalid_heartbeat"


def test_without_a_provider_value_the_minimum_comes_from_the_word_count(reading, client):
    course = factories.course(kinds=(), published=False)
    module = catalog.add_module(None, course, ModuleKind.READING, "Long read",
                                body="<p>" + "kata " * 400 + "</p>", min_dwell_seconds=None,
                                required=False)
    short = catalog.add_module(None, course, ModuleKind.READING, "Note", body="<p>Hi.</p>",
                               min_dwell_seconds=None)
    catalog.publish_course(None, course)
    db.session.commit()
    factories.enrollment(reading["learner"], course)
    assert Reader(client, module.id).session["min_dwell_seconds"] == 120  # 400 words, 200 wpm
    assert Reader(client, short.id).session["min_dwell_seconds"] == 10  # never under 10 s


def test_the_reading_page_shows_the_text_and_the_meter(reading, client):
    page = client.get(f"/enrollments/{reading['enrollment'].id}/modules/{reading['module'].id}",
                      headers={"Accept-Language": "en"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Read this." in html and 'id="reading"' in html and "0:30" in html
    assert 'data-target="30.0"' in html and "js/reading." in html  # fingerprinted after set-up
