"""PostgreSQL restarted while learners watch and browse: every answer is 200 or a 503 that
says when to come back, never a 500, and the app recovers by itself.

The app (gunicorn, two workers of two threads) runs on a PostgreSQL cluster of the test's
own, never the shared server the suite runs on. Two players send heartbeats and a signed-in
learner reloads "My learning" while the server is stopped (`pg_ctl stop -m fast`: running
transactions are cut, connections dropped), kept down until the clients have met the outage a
few times, and started again. The app is not touched: after the restart its pools replace the
dead connections themselves.

Only on the PostgreSQL run: the SQLite run would repeat the very same test (it brings its own
server, whatever the suite's database) on the same cores at the same time.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import pytest
import requests
from flask_babel import force_locale
from flask_migrate import upgrade

from lms.errors import DATABASE_RETRY_AFTER_SECONDS, DatabaseUnavailable
from lms.extensions import db
from tests.conftest import BACKEND, make_test_app
from tests.factories import PASSWORD
from tests.faults.servers import app_env, gunicorn_app, postgres_cluster, wait_until
from tests.faults.watching import REQUEST_TIMEOUT_SECONDS, Beat, Player, drive, \
    watching_learners

pytestmark = pytest.mark.skipif(BACKEND != "postgresql",
                                reason="a database server restart; SQLite has no server")

OUTAGE_ANSWERS = 6  # 503s seen before the server comes back: every worker has met it


@dataclass
class PageLoad:
    sent_at: float
    status: int | None
    content_type: str = ""
    retry_after: str | None = None
    text: str = ""


def _read_pages(base_url: str, email: str, stop: threading.Event,
                loads: list[PageLoad]) -> threading.Thread:
    """A signed-in learner reloading "My learning" (in Indonesian, the default) until `stop`."""
    browser = requests.Session()
    signed_in = browser.post(f"{base_url}/login", data={"email": email, "password": PASSWORD},
                             allow_redirects=False, timeout=REQUEST_TIMEOUT_SECONDS)
    assert signed_in.status_code == 302, signed_in.text[:300]

    def run() -> None:
        while not stop.is_set():
            sent_at = time.monotonic()
            try:
                page = browser.get(f"{base_url}/dashboard", allow_redirects=False,
                                   headers={"Connection": "close"},
                                   timeout=REQUEST_TIMEOUT_SECONDS)
            except requests.RequestException:
                loads.append(PageLoad(sent_at, None))
                continue
            loads.append(PageLoad(sent_at, page.status_code, page.headers.get("Content-Type", ""),
                                  page.headers.get("Retry-After"), page.text))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def _served_again(answers: list, back_at: float) -> bool:
    """Once a client is served after the restart, it is never refused again. (A request sent
    after the restart may still meet a pooled connection the restart killed: it is refused
    with a 503 and the pool replaces every connection that old.)"""
    served = [a.status != 503 for a in answers if a.sent_at >= back_at]
    return bool(served) and served[-1] and all(served[served.index(True):])


def test_a_restarted_database_answers_503_with_retry_after_then_recovers(tmp_path):
    with postgres_cluster() as cluster:
        seeding = make_test_app(cluster.url.replace("postgresql://", "postgresql+psycopg://"),
                                tmp_path)
        with seeding.app_context():
            upgrade()
            watchers = watching_learners(3)
            with force_locale("id"):
                refusal = str(DatabaseUnavailable.default_message)
            with force_locale("en"):
                assert refusal != str(DatabaseUnavailable.default_message), "not translated"
            db.session.remove()
            db.engine.dispose()

        beats: list[Beat] = []
        loads: list[PageLoad] = []
        stop = threading.Event()
        with gunicorn_app(app_env(cluster.url, tmp_path)) as server:
            threads = drive([Player(server.url, w) for w in watchers[1:]], stop, beats)
            threads.append(_read_pages(server.url, watchers[0].email, stop, loads))
            try:
                wait_until(lambda: sum(b.status == 200 for b in beats) > 4
                           and any(p.status == 200 for p in loads), 30, "served before")
                cluster.stop("fast")
                wait_until(lambda: sum(b.status == 503 for b in beats) >= OUTAGE_ANSWERS
                           and sum(p.status == 503 for p in loads) >= OUTAGE_ANSWERS,
                           30, "the outage answered")
                cluster.start()
                back_at = time.monotonic()
                wait_until(lambda: _served_again(beats, back_at) and _served_again(loads, back_at)
                           and sum(b.sent_at > back_at + 1 for b in beats) > 4, 30,
                           "served again")
            finally:
                stop.set()
                for thread in threads:
                    thread.join(REQUEST_TIMEOUT_SECONDS)

    # A heartbeat held up behind the restart may make the next look like a skip (409: the
    # player jumps back, as the contract says).
    assert {b.status for b in beats} <= {200, 409, 503}, {b.status for b in beats}
    assert {p.status for p in loads} <= {200, 503}, {p.status for p in loads}
    for beat in (b for b in beats if b.status == 503):
        assert beat.retry_after == str(DATABASE_RETRY_AFTER_SECONDS)
        assert beat.body == {"error": "database_unavailable", "message": refusal}
    for page in (p for p in loads if p.status == 503):
        assert page.retry_after == str(DATABASE_RETRY_AFTER_SECONDS)
        assert page.content_type.startswith("text/html") and refusal in page.text
    assert _served_again(beats, back_at) and _served_again(loads, back_at)
