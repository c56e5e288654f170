"""A learner enrolled in a course whose first module is a real 60 s video, and a scripted
player that talks to the API the way `static/js/player.js` does, on the test's frozen clock."""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from sqlalchemy import select

from lms.catalog.models import ModuleKind
from lms.extensions import db
from lms.learning.models import ModuleProgress
from lms.pacing.models import PacingEvidence
from tests import factories, factories_media

V, R, Q = ModuleKind.VIDEO, ModuleKind.READING, ModuleKind.QUIZ


@dataclass
class Player:
    """Drives one playback session through the API: segments, then heartbeats."""

    client: object
    clock: object
    module_id: int
    session: dict = field(default_factory=dict)
    seq: int = 0
    next_segment: int = 0

    def open(self, status: int = 201) -> dict:
        response = self.client.post(f"/api/v1/modules/{self.module_id}/sessions")
        assert response.status_code == status, response.get_json()
        self.session = response.get_json()
        self.seq = 0
        self.next_segment = 0
        return self.session

    @property
    def sid(self) -> int:
        return self.session["session_id"]

    def rendition(self) -> str:
        master = self.client.get(self.session["playlist_url"])
        assert master.status_code == 200, master.data[:200]
        return next(line for line in master.get_data(as_text=True).splitlines()
                    if line and not line.startswith("#")).split("/")[0]

    def segment(self, index: int, rendition: str = "180p"):
        return self.client.get(f"/media/sessions/{self.sid}/{rendition}/seg_{index:05d}.ts")

    def fetch_allowed(self, rendition: str = "180p") -> int:
        """What a buffering player does: fetch the following segments in order until one is
        refused (403 beyond the look-ahead, or 404 past the end). Returns how many arrived."""
        fetched = 0
        while self.segment(self.next_segment, rendition).status_code == 200:
            self.next_segment += 1
            fetched += 1
        return fetched

    def beat(self, position: float, playing: bool = True, rate: float = 1.0,
             seq: int | None = None, session_id: int | None = None):
        if seq is None:
            self.seq += 1
            seq = self.seq
        return self.client.post(f"/api/v1/sessions/{session_id or self.sid}/heartbeats",
                                json={"position": position, "playing": playing, "rate": rate,
                                      "seq": seq})


@pytest.fixture
def world(app, clock):
    learner = factories.learner()
    course = factories.course(kinds=(V, V, R, Q))
    enrollment = factories.enrollment(learner, course)
    modules = course.current_version.modules
    asset = factories_media.ready_video(modules[0], seconds=60)
    return {"learner": learner, "asset": asset, "course": course, "enrollment": enrollment,
            "modules": modules, "video": modules[0], "video2": modules[1], "reading": modules[2], "quiz": modules[3]}


@pytest.fixture
def player(world, client, auth, clock):
    auth.login(world["learner"].email)
    return Player(client, clock, world["video"].id)


def progress_of(enrollment, module):
    """The learner's progress row, read fresh (requests commit in their own transactions)."""
    db.session.expire_all()
    return db.session.scalar(select(ModuleProgress).where(
        ModuleProgress.enrollment_id == enrollment.id, ModuleProgress.module_id == module.id))


def evidence_of(session_id: int, kind: str | None = None) -> list:
    db.session.expire_all()
    query = select(PacingEvidence).where(PacingEvidence.session_id == session_id)
    if kind:
        query = query.where(PacingEvidence.kind == kind)
    return list(db.session.scalars(query.order_by(PacingEvidence.id)))


def watch(player: Player, clock, until: float, step: float = 10.0, rendition: str = "180p"):
    """An honest 1x viewer from the current frontier: fetch what may be fetched, then report
    every `step` seconds of real (clock) time. Returns the last heartbeat response."""
    response = None
    position = player.session.get("resume_at", 0.0)
    player.fetch_allowed(rendition)
    response = player.beat(position)
    while position < until:
        clock.advance(step)
        position = min(position + step, until)
        player.fetch_allowed(rendition)
        response = player.beat(position)
    return response
