"""The honest players of the pacing tests — watching straight through, pausing, coming back
later, moving to another device and back, a client that reports a higher rate — complete
with no flag, and their certificate follows without anyone acting."""
from __future__ import annotations

import pytest

from lms.verification.models import CompletionStatus
from tests.pacing.conftest import watch
from tests.verification.conftest import (CLIP, certificate_for, completion_for,
                                         enrolled_player)


def straight_through(players, clock):
    players[0].open()
    watch(players[0], clock, until=CLIP)


def with_pauses(players, clock):
    player = players[0]
    player.open()
    watch(player, clock, until=20)
    player.beat(20, playing=False)
    clock.advance(300)  # a five-minute pause
    player.beat(20, playing=True)
    watch(player, clock, until=CLIP)


def back_the_next_day(players, clock):
    player = players[0]
    player.open()
    watch(player, clock, until=30)
    clock.advance(20 * 3600)
    player.open()
    watch(player, clock, until=CLIP)


def phone_then_laptop_and_back(players, clock):
    phone, laptop = players
    phone.open()
    watch(phone, clock, until=20)
    clock.advance(3)
    laptop.open()
    phone.beat(21)  # the phone's last report arrives after the takeover: 410
    watch(laptop, clock, until=40)
    clock.advance(5)
    phone.open()
    watch(phone, clock, until=CLIP)


def reports_a_faster_rate(players, clock):
    player = players[0]
    player.open()
    player.fetch_allowed()
    position = 0.0
    while position < CLIP:
        clock.advance(10)
        position = min(position + 10, CLIP)
        player.fetch_allowed()
        answer = player.beat(position, rate=2.0).get_json()
    assert answer["completed"] is True


@pytest.mark.parametrize("scenario", [straight_through, with_pauses, back_the_next_day,
                                      phone_then_laptop_and_back, reports_a_faster_rate])
def test_an_honest_player_is_verified_and_certified(app, clock, video_course, scenario):
    first = enrolled_player(app, clock, video_course, device_id="device-one-0001")
    second = enrolled_player(app, clock, video_course, device_id="device-two-0002",
                             learner=first.learner)
    scenario([first, second], clock)
    completion = completion_for(first.learner)
    assert completion is not None, "the course was not completed"
    assert completion.flags == [] and completion.status == CompletionStatus.VERIFIED
    assert certificate_for(first.learner) is not None
