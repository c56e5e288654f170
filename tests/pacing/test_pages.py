"""The module page's video partial: what the learner sees before the player script runs."""
from __future__ import annotations

import json
import re

from tests import factories
from tests.pacing.conftest import watch

# The English source strings, whatever the Indonesian catalogue says.
ENGLISH = {"Accept-Language": "en"}


def _page(client, world, module):
    response = client.get(f"/enrollments/{world['enrollment'].id}/modules/{module.id}",
                          headers=ENGLISH)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_video_page_has_custom_controls_and_no_way_to_speed_up(player, client, world):
    html = _page(client, world, world["video"])
    video_tag = re.search(r"<video[^>]*>", html).group(0)
    assert "controls" not in video_tag  # no native scrubber or speed menu
    assert 'data-action="toggle"' in html and 'data-action="back"' in html
    assert 'data-action="captions"' in html and 'class="pc-seek"' in html
    controls = html[html.index('id="player"'):html.index('id="player-strings"')]
    assert "<select" not in controls and "rate" not in controls.lower()
    # Fingerprinted names once set-up has built them (lms.web.static_files), plain before.
    assert re.search(r'data-hls-src="/static/vendor/hls\.light\.min(\.[0-9a-f]{12})?\.js"', html)
    assert re.search(r'src="/static/js/player(\.[0-9a-f]{12})?\.js"', html)
    strings = json.loads(re.search(r'id="player-strings">(.*?)</script>', html, re.S).group(1))
    assert strings["no_skip"].startswith("You can't skip ahead")
    assert strings["resume"] == "Continue from {time}?"
    assert 'aria-label="Video controls"' in html and "Keys: Space plays or pauses" in html


def test_the_outline_beside_the_video_marks_the_current_and_locked_modules(
        player, client, world):
    html = _page(client, world, world["video"])
    outline = html[html.index('id="module-outline"'):]
    current = re.search(r'<li[^>]*data-module="%d"[^>]*>' % world["video"].id, outline).group(0)
    assert 'aria-current="step"' in current
    locked = re.search(r'<li[^>]*data-module="%d".*?</li>' % world["video2"].id, outline,
                       re.S).group(0)
    assert 'data-status="locked"' in locked and "<a " not in locked


def test_a_completed_video_page_offers_the_next_module(player, clock, client, world):
    player.open()
    watch(player, clock, until=60)
    html = _page(client, world, world["video"])
    assert "You have completed this video." in html
    assert re.search(r'id="next-module" href="/enrollments/%d/modules/%d"'
                     % (world["enrollment"].id, world["video2"].id), html)


def test_a_video_module_without_media_says_it_is_being_prepared(app, client, auth):
    learner = factories.learner()
    course = factories.course()
    enrollment = factories.enrollment(learner, course)
    auth.login(learner.email)
    module = course.current_version.modules[0]
    html = client.get(f"/enrollments/{enrollment.id}/modules/{module.id}",
                      headers=ENGLISH).get_data(as_text=True)
    assert "This module's video is being prepared" in html and 'id="player"' not in html
