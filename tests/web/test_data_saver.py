"""The data saver ("Hemat kuota"): a learner's setting that caps the video rung, shown with the
data a video uses on the player page."""
from __future__ import annotations

import re

import pytest

from lms.extensions import db
from lms.preferences import services
from lms.preferences.models import LearnerPreference
from tests import factories
from tests.factories_media import ready_video
from tests.factories_video import video_world


def test_the_setting_is_saved_and_shown(app, client, auth):
    learner = factories.learner()
    auth.login(learner.email)
    page = client.get("/settings/")
    assert page.status_code == 200 and b'checked id="data_saver-0"' in page.data
    response = client.post("/settings/", data={"data_saver": "240"})
    assert response.status_code == 302
    assert services.data_saver_height(learner) == 240
    assert b'checked id="data_saver-2"' in client.get("/settings/").data
    client.post("/settings/", data={"data_saver": "off"})
    assert services.data_saver_height(learner) is None


def test_it_goes_back_where_the_learner_came_from(app, client, auth):
    auth.login(factories.learner().email)
    response = client.post("/settings/", data={"data_saver": "360", "next": "/dashboard"})
    assert response.headers["Location"] == "/dashboard"
    evil = client.post("/settings/", data={"data_saver": "360", "next": "//evil.test/"})
    assert evil.headers["Location"] == "/settings/"


@pytest.mark.parametrize("value", ["480", "", "1080", "x" * 300])
def test_unknown_settings_are_refused(app, client, auth, value):
    learner = factories.learner()
    auth.login(learner.email)
    response = client.post("/settings/", data={"data_saver": value})
    assert response.status_code == 422
    assert b"Not a valid choice" in response.data or b"This field is required" in response.data
    assert db.session.get(LearnerPreference, learner.id) is None


def test_the_service_refuses_heights_it_does_not_know(app):
    with pytest.raises(Exception) as refused:
        services.set_data_saver(factories.learner(), 480)
    assert getattr(refused.value, "code", "") == "invalid_field"


def test_the_player_page_caps_the_rung_and_says_how_much_data_it_uses(app, client, auth):
    world = video_world()
    ready_video(world.module, seconds=6, size="640x360")
    auth.login(world.learner.email)
    outline = client.get("/dashboard").get_data(as_text=True)
    enrollment_id = re.search(r"/enrollments/(\d+)", outline).group(1)
    url = f"/enrollments/{enrollment_id}/modules/{world.module.id}"
    page = client.get(url).get_data(as_text=True)
    assert 'data-max-height=""' in page and 'data-capped-rung=""' in page
    assert re.search(r"This video uses up to about [\d.]+ MB \(360p\); with Hemat kuota about "
                     r"[\d.]+ MB\.", page)
    services.set_data_saver(world.learner, 240)
    db.session.commit()
    capped = client.get(url).get_data(as_text=True)
    assert 'data-max-height="240"' in capped and 'data-capped-rung="240p"' in capped
    assert re.search(r"Hemat kuota is on: this video uses about [\d.]+ MB \(at most 240p\)\.",
                     capped)
