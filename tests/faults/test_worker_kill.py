"""kill -9 of app workers while learners watch: gunicorn's master forks new workers, and
what was acknowledged stays acknowledged.

Six honest players send heartbeats back to back (a new connection each, as phones behind
NAT do, so both workers always have some in flight) to gunicorn with two workers of two
threads, while a worker is killed outright three times. A request cut by a kill gets no
answer, which the player survives like a dropped network; what the test holds is the store:
every heartbeat answered has its evidence row as answered, no (session, seq) is stored twice,
and each learner's progress is exactly what the stored evidence adds up to. (The time goes
into the new workers' start: each imports the app, seconds on a loaded machine, and a worker
is killed only while another serves.)
"""
from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from tests.faults.servers import app_env, gunicorn_app
from tests.faults.watching import (REQUEST_TIMEOUT_SECONDS, Beat, Player, drive,
                                   heartbeat_evidence, progress_and_session, repeated_seqs,
                                   watching_learners)

WORKERS = 2
PLAYERS = 6
KILLS = 3
SECONDS_BETWEEN_KILLS = 1.0


def _kill_workers(server, beats: list[Beat]) -> None:
    killed: set[int] = set()
    for _ in range(KILLS):
        time.sleep(SECONDS_BETWEEN_KILLS)
        victim = min(server.serving_pids())
        os.kill(victim, signal.SIGKILL)
        killed.add(victim)
        server.wait_for_workers(WORKERS, without=killed)
    answered_before = len(beats)
    time.sleep(SECONDS_BETWEEN_KILLS)
    assert any(b.status == 200 for b in beats[answered_before:]), "the new workers serve"


def test_killed_workers_lose_no_acknowledged_heartbeat_and_credit_none_twice(
        app, migrated_database, tmp_path):
    watchers = watching_learners(PLAYERS)
    beats: list[Beat] = []
    stop = threading.Event()
    with gunicorn_app(app_env(migrated_database, tmp_path), workers=WORKERS) as server:
        threads = drive([Player(server.url, w) for w in watchers], stop, beats)
        try:
            _kill_workers(server, beats)
        finally:
            stop.set()
            for thread in threads:
                thread.join(REQUEST_TIMEOUT_SECONDS)

    answered = [b for b in beats if b.status is not None]
    # 409: a heartbeat held up behind a kill made the next look like a skip; the player
    # jumps back as the contract says. Anything else (a 500 above all) is a failure.
    assert {b.status for b in answered} <= {200, 409}, \
        [(b.status, b.body) for b in answered if b.status not in (200, 409)][:5]
    assert any(b.status is None for b in beats), "no kill cut a request in flight"
    assert repeated_seqs() == []
    for watcher in watchers:
        rows = heartbeat_evidence(watcher.session_id)
        stored = {row.seq: row for row in rows}
        for beat in (b for b in answered if b.session_id == watcher.session_id):
            row = stored.get(beat.seq)
            assert row is not None, f"heartbeat {beat.seq} of {watcher} answered, not stored"
            outcome = beat.body["outcome"] if beat.status == 200 else beat.body["error"]
            assert (row.outcome, row.frontier) == (outcome, pytest.approx(beat.body["frontier"]))
        progress, session = progress_and_session(watcher)
        assert progress.frontier_seconds == pytest.approx(rows[-1].frontier)
        assert progress.frontier_seconds > 0
        # The frontier started at 0 and only credited seconds move it.
        assert progress.credited_seconds == pytest.approx(sum(r.credited_seconds for r in rows))
        assert progress.credited_seconds == pytest.approx(progress.frontier_seconds)
        assert progress.wall_seconds == pytest.approx(sum(r.wall_seconds for r in rows))
        assert session.last_seq == max(r.seq for r in rows if r.outcome == "accepted")
