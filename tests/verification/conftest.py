"""Learners in a one-video course (the pacing tests' real 60 s clip), the scripted player of
the pacing tests, and helpers to read where a completion stands."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from lms.catalog.models import ModuleKind
from lms.certificates.models import Certificate
from lms.extensions import db
from lms.verification.models import Completion
from tests import factories, factories_media
from tests.pacing.conftest import Player, watch

V = ModuleKind.VIDEO
CLIP = 60


@pytest.fixture
def video_course(app, clock):
    course = factories.course(kinds=(V,))
    module = course.current_version.modules[0]
    factories_media.ready_video(module, seconds=CLIP)
    return course


def enrolled_player(app, clock, course, device_id: str = "", learner=None) -> Player:
    """A learner enrolled in `course` (a new one unless `learner` is given) with a client of
    their own, signed in, whose player sends `device_id` when it opens a session."""
    if learner is None:  # a second device of a learner already enrolled
        learner = factories.learner()
        factories.enrollment(learner, course)
    client = app.test_client()
    response = client.post("/login", data={"email": learner.email,
                                           "password": factories.PASSWORD})
    assert response.status_code == 302
    player = DevicePlayer(client, clock, course.current_version.modules[0].id)
    player.device_id = device_id
    player.learner = learner
    return player


class DevicePlayer(Player):
    """The pacing tests' player, sending the optional device id on opening like player.js."""

    device_id: str = ""
    learner = None

    def open(self, status: int = 201) -> dict:
        body = {"device_id": self.device_id} if self.device_id else {}
        response = self.client.post(f"/api/v1/modules/{self.module_id}/sessions", json=body)
        assert response.status_code == status, response.get_json()
        self.session = response.get_json()
        self.seq = 0
        self.next_segment = 0
        return self.session


def watch_to_end(player: Player, clock) -> None:
    player.open()
    watch(player, clock, until=CLIP)


def completion_for(learner) -> Completion | None:
    db.session.expire_all()
    return db.session.scalar(select(Completion).where(Completion.user_id == learner.id))


def certificate_for(learner) -> Certificate | None:
    db.session.expire_all()
    return db.session.scalar(select(Certificate).where(Certificate.user_id == learner.id))


def codes(completion: Completion) -> list[str]:
    return [f["code"] for f in completion.flags]
