"""The topology of docs/deploy.md, run on this machine: two app instances (gunicorn, separate
processes and ports, separate instance folders) and two job workers on one database, one Redis
and one S3 server. A learner signs in on one instance and studies through both, alternating
every request; every pacing rule holds as it does on one process, and the completion is
checked, and its certificate issued and rendered, exactly once by whichever worker takes it."""
from __future__ import annotations

import math
import os
import time
import uuid

import pytest
import redis
import requests
from sqlalchemy import func, select

from lms.admin.models import AuditEntry
from lms.catalog.models import ModuleKind
from lms.certificates.models import Certificate
from lms.extensions import db
from lms.learning.models import ModuleProgress
from lms.media.models import Rendition
from lms.media.storage import current_storage
from lms.pacing.models import EvidenceKind, PacingEvidence, SegmentOutcome
from lms.pacing.rules import SPEED_ALLOWANCE_SECONDS
from lms.pacing.rules_common import HeartbeatOutcome
from lms.verification.models import Completion, CompletionStatus
from tests import factories, factories_media
from tests.factories import PASSWORD
from tests.integration.conftest import s3_settings
from tests.scaleout.topology import csrf_token, redis_server, signing_key_pem, topology, wait_for

VIDEO_SECONDS = 12  # two 6-s segments: enough to see the delivery cap, short to watch
BEAT_EVERY = 1.0  # faster than the player's 10 s, so the test watches the video in real time
# Settings a deployment passes to the app and the environment of the test run must not.
NOT_INHERITED = ("TEST_DATABASE_URL", "RATELIMIT_STORAGE_URI", "HUEY_SQLITE_PATH", "MEDIA_ROOT",
                 "CREDENTIAL_KEYS_FILE", "HUEY_IMMEDIATE")


@pytest.fixture
def s3_app(app, s3_endpoint, s3_bucket):
    """The test's app stores media in the bucket, as the instances will."""
    app.config.update(s3_settings(s3_endpoint, s3_bucket))
    app.extensions.pop("alur.media.storage", None)
    yield app
    app.extensions.pop("alur.media.storage", None)


def deployment_environment(app, redis_url: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name not in NOT_INHERITED}
    env.update({
        "ALUR_ENV": "development",  # production would insist on https cookies
        "SECRET_KEY": f"scale-out-{uuid.uuid4().hex}",  # one secret, every instance
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "REDIS_URL": redis_url,
        **{name: str(value).lower() if isinstance(value, bool) else str(value)
           for name, value in s3_settings(app.config["S3_ENDPOINT_URL"],
                                          app.config["S3_BUCKET"]).items()},
        "CREDENTIAL_SIGNING_KEY": signing_key_pem(), "CREDENTIAL_KEY_ID": "scale-out",
        "PUBLIC_BASE_URL": "https://alur.example",
        "PYTHONUNBUFFERED": "1",
    })
    return env


class Learner:
    """One browser: one cookie jar, whichever instance the load balancer picks."""

    def __init__(self, s3_endpoint: str, rendition: str) -> None:
        self.http = requests.Session()
        self.s3_endpoint = s3_endpoint
        self.rendition = rendition
        self.seq = 0
        self.sent: dict[int, list[int]] = {}  # session id: seqs answered with evidence

    def sign_in(self, instance: str, other: str, email: str) -> None:
        form = self.http.get(f"{instance}/login")
        signed_in = self.http.post(f"{instance}/login", allow_redirects=False, data={
            "email": email, "password": PASSWORD, "csrf_token": csrf_token(form.text)})
        assert signed_in.status_code == 302, signed_in.text[:300]
        # The other instance reads the cookie the first one signed: no session store.
        page = self.http.get(other + signed_in.headers["Location"], allow_redirects=False)
        assert page.status_code == 200, page.status_code
        self.http.headers["X-CSRFToken"] = csrf_token(page.text)

    def open(self, instance: str, module_id: int) -> dict:
        opened = self.http.post(f"{instance}/api/v1/modules/{module_id}/sessions")
        assert opened.status_code == 201, opened.text
        self.seq = 0
        return opened.json()

    def segment(self, instance: str, session_id: int, index: int) -> requests.Response:
        return self.http.get(f"{instance}/media/sessions/{session_id}/{self.rendition}/"
                             f"seg_{index:05d}.ts", allow_redirects=False)

    def fetch(self, instance: str, session_id: int, index: int) -> None:
        """The gate answers with a presigned URL; the bytes come from S3, not the app."""
        gate = self.segment(instance, session_id, index)
        assert gate.status_code == 302, gate.text
        assert gate.headers["Location"].startswith(self.s3_endpoint)
        stored = requests.get(gate.headers["Location"], timeout=10)
        assert stored.status_code == 200 and stored.content[:1] == b"\x47"  # MPEG-TS sync

    def beat(self, instance: str, session_id: int, position: float,
             seq: int | None = None) -> requests.Response:
        if seq is None:
            self.seq += 1
            seq = self.seq
        answer = self.http.post(f"{instance}/api/v1/sessions/{session_id}/heartbeats",
                                json={"position": position, "playing": True, "rate": 1.0,
                                      "seq": seq})
        if answer.status_code in (200, 409):
            self.sent.setdefault(session_id, []).append(seq)
        return answer


def fresh(query):
    db.session.commit()  # a new snapshot: the instances commit in their own processes
    return db.session.execute(query)


def test_two_instances_and_two_workers_serve_one_learner_by_every_rule(
        s3_app, s3_endpoint):
    learner_user = factories.learner()
    course = factories.course(kinds=(ModuleKind.VIDEO,))
    enrollment = factories.enrollment(learner_user, course)
    module = course.current_version.modules[0]
    asset = factories_media.ready_video(module, seconds=VIDEO_SECONDS, captions=())
    rendition = db.session.scalars(select(Rendition).where(Rendition.asset_id == asset.id)).one()
    duration, segment_seconds = asset.duration_seconds, asset.segment_seconds
    assert rendition.segment_count == math.ceil(duration / segment_seconds) == 2

    with redis_server() as redis_url, \
            topology(deployment_environment(s3_app, redis_url)) as running:
        a, b = running.app_instance("app-a"), running.app_instance("app-b")
        workers = [running.worker("worker-1"), running.worker("worker-2")]
        try:
            for instance in (a, b):
                running.wait_until_serving(instance)
            answered = study(Learner(s3_endpoint, rendition.name), a.base_url, b.base_url,
                             learner_user, module.id, duration, segment_seconds)
            certificate = wait_for(lambda: fresh(select(Certificate).where(
                Certificate.enrollment_id == enrollment.id,
                Certificate.pdf_key.is_not(None))).scalar_one_or_none(),
                "a worker to issue and render the certificate", timeout=60)
            time.sleep(1)  # room for a second, wrong run of the jobs to show
            assert all(worker.popen.poll() is None for worker in workers)
            queued = redis.Redis.from_url(redis_url)
            assert sum(queued.llen(key) for key in queued.keys("huey.redis.*")
                       if queued.type(key) == b"list") == 0
        except BaseException:
            print(running.logs())
            raise

    completion = fresh(select(Completion).where(Completion.enrollment_id == enrollment.id)
                       ).scalar_one()
    assert completion.status == CompletionStatus.VERIFIED, completion.flag_codes
    checks = fresh(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "completion.checked",
        AuditEntry.subject_id == str(completion.id))).scalar_one()
    certificates = fresh(select(func.count()).select_from(Certificate).where(
        Certificate.enrollment_id == enrollment.id)).scalar_one()
    assert (checks, certificates) == (1, 1)
    assert certificate.credential_kid == "scale-out"
    assert current_storage().exists(certificate.pdf_key)  # rendered by a worker into S3

    evidence_holds_every_rule(enrollment.id, module.id, duration, segment_seconds, answered)


def study(learner: Learner, a: str, b: str, user, module_id: int, duration: float,
          segment_seconds: float) -> dict[int, list[int]]:
    """Sign in on A, study on A and B in turn: a stale and a skipping heartbeat, a frontier
    held at the delivered segment, a second session on B ending the first, then to the end.
    Returns the seqs of the heartbeats answered 200 or 409, per session."""
    learner.sign_in(a, b, user.email)
    first = learner.open(a, module_id)["session_id"]
    learner.fetch(a, first, 0)  # only the first segment for now
    started = time.monotonic()
    instances = [b, a]

    def elapsed() -> float:
        return time.monotonic() - started

    def beat_in_turn(session_id: int, position: float) -> dict:
        instances.reverse()
        answer = learner.beat(instances[0], session_id, position)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        # Never beyond wall time (measured here, a bound on the server's) plus the allowance.
        assert body["frontier"] <= elapsed() + SPEED_ALLOWANCE_SECONDS
        return body

    assert beat_in_turn(first, 0.0)["outcome"] == HeartbeatOutcome.ACCEPTED
    while elapsed() < 3:
        time.sleep(BEAT_EVERY)
        frontier = beat_in_turn(first, elapsed())["frontier"]

    # A seq already used, sent to the other instance: recorded, earns nothing.
    stale = learner.beat(instances[1], first, elapsed(), seq=learner.seq - 1)
    assert stale.status_code == 200 and stale.json()["outcome"] == HeartbeatOutcome.STALE_SEQUENCE
    assert stale.json()["frontier"] == frontier
    # A jump to the end: 409, back to the frontier.
    skip = learner.beat(instances[0], first, duration)
    assert skip.status_code == 409 and skip.json()["resume_at"] == frontier

    while elapsed() < segment_seconds + 2:
        time.sleep(BEAT_EVERY)
        frontier = beat_in_turn(first, elapsed())["frontier"]
    assert frontier == segment_seconds  # held at the end of the one segment delivered

    # The same learner opens the module again on B: the session on A ends.
    second = learner.open(b, module_id)
    assert second["resume_at"] == frontier
    ended = learner.beat(a, first, elapsed())
    assert ended.status_code == 410, ended.text
    assert learner.segment(b, first, 1).status_code >= 400  # its media URLs stop working too
    learner.seq = 0
    for index in range(2):
        learner.fetch([a, b][index], second["session_id"], index)
    position, resumed = frontier, time.monotonic()
    body = beat_in_turn(second["session_id"], position)
    while not body["completed"]:
        assert time.monotonic() - resumed < 30, body
        time.sleep(BEAT_EVERY)
        body = beat_in_turn(second["session_id"],
                            min(frontier + time.monotonic() - resumed, duration))
    assert body["enrollment_status"] == "completed"
    return learner.sent


def evidence_holds_every_rule(enrollment_id: int, module_id: int, duration: float,
                              segment_seconds: float, answered: dict[int, list[int]]) -> None:
    rows = fresh(select(PacingEvidence).where(PacingEvidence.enrollment_id == enrollment_id)
                 .order_by(PacingEvidence.id)).scalars().all()
    progress = fresh(select(ModuleProgress).where(ModuleProgress.enrollment_id == enrollment_id,
                                                  ModuleProgress.module_id == module_id)
                     ).scalar_one()
    # Nothing credited twice: the credits of every row add up to the frontier, once.
    assert math.isclose(sum(r.credited_seconds for r in rows), progress.credited_seconds)
    assert math.isclose(progress.credited_seconds, progress.frontier_seconds)
    assert progress.credited_seconds <= progress.wall_seconds + SPEED_ALLOWANCE_SECONDS
    assert progress.frontier_seconds >= duration - 2 and progress.completed_at is not None

    delivered: set[int] = set()
    last_seq: dict[int, int] = {}
    for row in rows:
        if row.kind == EvidenceKind.SEGMENT:
            if row.outcome == SegmentOutcome.SERVED:
                delivered.add(row.segment_index)
            continue
        # Never beyond the segments delivered before it.
        reach = min(len(delivered_prefix(delivered)) * segment_seconds, duration)
        assert row.frontier <= reach, (row.id, row.frontier, sorted(delivered))
        if row.outcome == HeartbeatOutcome.STALE_SEQUENCE:
            assert row.credited_seconds == 0 and row.seq <= last_seq[row.session_id]
        elif row.outcome in (HeartbeatOutcome.ACCEPTED, HeartbeatOutcome.AHEAD_OF_FRONTIER):
            assert row.seq > last_seq.get(row.session_id, 0)  # increasing across instances
            last_seq[row.session_id] = row.seq
        else:
            assert row.credited_seconds == 0
    assert sum(r.outcome == HeartbeatOutcome.STALE_SEQUENCE for r in rows) == 1
    # Every heartbeat answered 200 or 409, by either instance, left its row.
    for session_id, seqs in answered.items():
        assert sorted(r.seq for r in rows if r.session_id == session_id and r.kind ==
                      EvidenceKind.HEARTBEAT and r.outcome != HeartbeatOutcome.SESSION_ENDED
                      ) == sorted(seqs)


def delivered_prefix(delivered: set[int]) -> list[int]:
    prefix = []
    while len(prefix) in delivered:
        prefix.append(len(prefix))
    return prefix
