"""Learners watching a long video, seeded the way `bench.heartbeat` seeds them, and the
honest players that drive them over HTTP while a fault is injected.

Each learner has a bearer token and an open playback session on a 10-minute video whose
segments count as delivered, so an honest 1x player's heartbeats are all accepted and move
the frontier (a test run never completes the video). A player reports the real time elapsed
since its first heartbeat as its position (after a 409, since it jumped back to `resume_at`),
with its own `seq` increasing by 1 per request.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone

import requests
from sqlalchemy import func, select

from lms.accounts import services as accounts
from lms.catalog.models import ModuleKind
from lms.extensions import db
from lms.learning.models import ModuleProgress
from lms.media.models import AssetStatus, VideoAsset
from lms.pacing import rules, sessions
from lms.pacing.models import EvidenceKind, PacingEvidence, PlaybackSession
from tests import factories

VIDEO_SECONDS = 600.0
#: Long enough for a request queued behind a killed worker's or a restarting server's work.
REQUEST_TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class Watcher:
    session_id: int
    token: str
    email: str
    enrollment_id: int


def watching_learners(count: int) -> list[Watcher]:
    """`count` learners, each with a token and an open session on the same long video."""
    course = factories.course(kinds=(ModuleKind.VIDEO,))
    module = course.current_version.modules[0]
    asset = VideoAsset(module_id=module.id, status=AssetStatus.READY, source_key="sources/x",
                       duration_seconds=VIDEO_SECONDS, segment_seconds=rules.SEGMENT_SECONDS,
                       ready_at=datetime.now(timezone.utc))
    db.session.add(asset)
    db.session.flush()
    asset.hls_prefix = f"hls/{asset.id}"
    module.duration_seconds = VIDEO_SECONDS
    everything = rules.encode_segments(range(rules.segment_count(VIDEO_SECONDS)))
    watchers = []
    for _ in range(count):
        learner = factories.learner()
        enrollment = factories.enrollment(learner, course)
        token = accounts.create_api_token(learner, "faults")
        opened = sessions.open_session(learner, module.id)
        opened.progress.delivered_segments = everything
        watchers.append(Watcher(opened.session.id, token, learner.email, enrollment.id))
    db.session.commit()
    return watchers


@dataclass
class Beat:
    session_id: int
    seq: int
    sent_at: float  # time.monotonic()
    status: int | None  # None: no answer (connection refused, reset, cut)
    body: dict | None = None
    retry_after: str | None = None
    error: str = ""


@dataclass
class Player:
    """One honest player: heartbeats for its session, back to back, until told to stop."""

    base_url: str
    watcher: Watcher
    http: requests.Session = field(default_factory=requests.Session)
    seq: int = 0
    started: float | None = None

    def beat(self) -> Beat:
        now = time.monotonic()
        self.started = self.started if self.started is not None else now
        self.seq += 1
        sent = Beat(self.watcher.session_id, self.seq, now, None)
        try:
            response = self.http.post(
                f"{self.base_url}/api/v1/sessions/{self.watcher.session_id}/heartbeats",
                json={"position": round(now - self.started, 3), "playing": True, "rate": 1,
                      "seq": self.seq},
                # A connection per request, as phones behind NAT: every worker gets some.
                headers={"Authorization": f"Bearer {self.watcher.token}",
                         "Connection": "close"},
                timeout=REQUEST_TIMEOUT_SECONDS)
        except requests.RequestException as error:
            sent.error = type(error).__name__
            return sent
        sent.status = response.status_code
        sent.retry_after = response.headers.get("Retry-After")
        if response.headers.get("Content-Type", "").startswith("application/json"):
            sent.body = response.json()
        if response.status_code == 409:
            # As the contract says: jump back to resume_at and play on from there (a request
            # held up for seconds behind a fault makes the next one look like a skip).
            self.started = time.monotonic() - sent.body["resume_at"]
        return sent


def drive(players: list[Player], stop: threading.Event,
          beats: list[Beat]) -> list[threading.Thread]:
    """One thread per player, each sending heartbeats until `stop` is set."""
    lock = threading.Lock()

    def run(player: Player) -> None:
        while not stop.is_set():
            beat = player.beat()
            with lock:
                beats.append(beat)

    threads = [threading.Thread(target=run, args=(p,), daemon=True) for p in players]
    for thread in threads:
        thread.start()
    return threads


def heartbeat_evidence(session_id: int) -> list[PacingEvidence]:
    db.session.commit()  # a fresh snapshot: the server committed in its own transactions
    return list(db.session.scalars(
        select(PacingEvidence).where(PacingEvidence.session_id == session_id,
                                     PacingEvidence.kind == EvidenceKind.HEARTBEAT)
        .order_by(PacingEvidence.id)))


def repeated_seqs() -> list[tuple[int, int, int]]:
    """(session, seq, rows) of every heartbeat sequence number stored more than once."""
    db.session.commit()
    return list(db.session.execute(
        select(PacingEvidence.session_id, PacingEvidence.seq, func.count())
        .where(PacingEvidence.kind == EvidenceKind.HEARTBEAT)
        .group_by(PacingEvidence.session_id, PacingEvidence.seq).having(func.count() > 1)))


def progress_and_session(watcher: Watcher) -> tuple[ModuleProgress, PlaybackSession]:
    db.session.commit()
    session = db.session.get(PlaybackSession, watcher.session_id)
    progress = db.session.scalar(select(ModuleProgress).where(
        ModuleProgress.enrollment_id == watcher.enrollment_id,
        ModuleProgress.module_id == session.module_id))
    return progress, session

