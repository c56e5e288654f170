"""Eligibility at scale, on PostgreSQL: the payer's listing (first page and a deep cursor page
over 1,000,000 items), webhook deliveries per second through a real `flask worker` to a local
receiver, and the CSV export's rate with its memory use.

Run from the repository root:  python -m bench.eligibility [--items 1000000] [--webhooks 5000]

The ledger's rows are bulk-inserted by SQL (generate_series) into a scratch database whose
eligibility foreign keys are dropped first: a million real certificates would take an hour to
make and change nothing in the queries measured. Writes bench/results/eligibility.json.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import tempfile
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

INSTANCE_DIR = tempfile.mkdtemp(prefix="alur-bench-eligibility-")
os.environ["ALUR_INSTANCE_DIR"] = INSTANCE_DIR

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402

from bench import common  # noqa: E402
from lms import create_app  # noqa: E402
from lms.accounts import services as accounts  # noqa: E402
from lms.accounts.models import Role, User  # noqa: E402
from lms.extensions import db  # noqa: E402
from lms.incentives.services import encode_cursor  # noqa: E402
from lms.outbox.models import OutboxEvent  # noqa: E402

SECRET = "whsec_YmVuY2gtd2ViaG9vay1zZWNyZXQtMzJieXRlcyEh"
STATUSES = ("eligible", "eligible", "eligible", "eligible", "eligible", "eligible", "paid",
            "paid", "pending_rating", "not_eligible")


def _settings(url: str) -> dict:
    return {"SQLALCHEMY_DATABASE_URI": url, "MEDIA_ROOT": os.path.join(INSTANCE_DIR, "media"),
            "HUEY_SQLITE_PATH": os.path.join(INSTANCE_DIR, "jobs.sqlite3"),
            "HUEY_IMMEDIATE": False}


def seed_items(count: int) -> None:
    for fk in ("certificate_id_certificates", "enrollment_id_enrollments", "user_id_users",
               "course_id_courses"):
        db.session.execute(text(f"ALTER TABLE eligibility_items DROP CONSTRAINT "
                                f"fk_eligibility_items_{fk}"))
    statuses = "ARRAY[" + ",".join(f"'{s}'" for s in STATUSES) + "]"
    db.session.execute(text(f"""
        INSERT INTO eligibility_items (certificate_id, enrollment_id, user_id, course_id,
            participant_ref, first_of_participant, certificate_number, course_slug,
            completed_at, status, reason, recovery_required, payer_reference, change_seq,
            created_at, changed_at)
        SELECT n, n, n, 1 + n % 500, 'ALR-' || lpad(n::text, 16, '0'),
            'ALR-' || lpad(n::text, 16, '0'), 'ALR-2026-' || lpad(n::text, 10, '0'),
            'course-' || (n % 500), now() - (n || ' seconds')::interval,
            ({statuses})[1 + n % 10], NULL, false,
            CASE WHEN n % 10 IN (6, 7) THEN 'TRF-' || n END, n, now(), now()
        FROM generate_series(1, :count) AS n"""), {"count": count})
    db.session.commit()
    db.session.execute(text("ANALYZE eligibility_items"))
    db.session.commit()


def timed_get(client, url: str, headers: dict, rounds: int) -> dict:
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        answer = client.get(url, headers=headers)
        samples.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200, answer.data[:200]
    samples.sort()
    return {"median_ms": round(statistics.median(samples), 2),
            "p95_ms": round(samples[int(len(samples) * 0.95) - 1], 2),
            "items": len(answer.get_json()["items"])}


def bench_listing(app, count: int, rounds: int) -> dict:
    with app.app_context():
        payer = User(email="payer@bench.test", name="Payer", role=Role.PAYER,
                     password_hash="x")
        db.session.add(payer)
        db.session.flush()
        token = accounts.create_api_token(payer, "bench")
        db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    client = app.test_client()
    deep = encode_cursor(int(count * 0.9))
    with app.app_context():
        sql = {name: _explain_ms(after) for name, after in (("first_page", 0),
                                                             ("deep_page", int(count * 0.9)))}
    return {
        "sql_execution_ms": sql,
        "first_page": timed_get(client, "/api/v1/eligibility?status=eligible", headers, rounds),
        "deep_page": timed_get(client, f"/api/v1/eligibility?status=eligible&cursor={deep}",
                               headers, rounds),
        "first_page_all_statuses": timed_get(client, "/api/v1/eligibility", headers, rounds),
        "deep_page_all_statuses": timed_get(client, f"/api/v1/eligibility?cursor={deep}",
                                            headers, rounds),
    }


def _explain_ms(after: int) -> float:
    """The database's own time for the page query (EXPLAIN ANALYZE), without the request."""
    plan = db.session.execute(text(
        "EXPLAIN (ANALYZE, FORMAT JSON) SELECT * FROM eligibility_items WHERE change_seq > :a "
        "AND status = 'eligible' ORDER BY change_seq LIMIT 101"), {"a": after}).scalar()
    db.session.rollback()
    return round(plan[0]["Execution Time"], 3)


class _Receiver(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: set = set()
    lock = threading.Lock()

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with self.lock:
            self.seen.add(self.headers.get("webhook-id"))
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()
        del body

    def log_message(self, *args):
        pass


def bench_webhooks(app, url: str, count: int) -> dict:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    now = datetime.now(timezone.utc)
    with app.app_context():
        db.session.execute(OutboxEvent.__table__.insert(), [
            {"destination": "payer", "ordering_key": f"participant:bench-{n}",
             "event_type": "eligibility.eligible", "message_id": f"msg_bench_{n:08d}",
             "body": '{"type":"eligibility.eligible","timestamp":"2026-01-01T00:00:00Z",'
                     f'"data":{{"eligibility_id":{n},"status":"eligible"}}}}',
             "created_at": now, "attempts": 0, "next_attempt_at": now}
            for n in range(count)])
        db.session.commit()
        db.session.execute(text("ANALYZE outbox_events"))
        db.session.commit()
    env = common.app_env(url, INSTANCE_DIR,
                         PAYER_WEBHOOK_URL=f"http://127.0.0.1:{server.server_port}/hook",
                         PAYER_WEBHOOK_SECRET=SECRET, OUTBOX_POLL_SECONDS="0.05",
                         HUEY_SQLITE_PATH=os.path.join(INSTANCE_DIR, "jobs.sqlite3"))
    worker = subprocess.Popen([str(common.VENV_BIN / "flask"), "--app", "wsgi", "worker",
                               "--workers", "1"], cwd=common.ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    try:
        with app.app_context():
            deadline = time.monotonic() + 600
            while time.monotonic() < deadline:
                done = db.session.scalar(select(func.count()).select_from(OutboxEvent)
                                         .where(OutboxEvent.delivered_at.is_not(None)))
                db.session.commit()
                if done >= count:
                    break
                time.sleep(0.2)
            first, last = db.session.execute(
                select(func.min(OutboxEvent.last_attempt_at),
                       func.max(OutboxEvent.delivered_at))).one()
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        server.shutdown()
    seconds = (last - first).total_seconds()
    return {"messages": count, "received": len(_Receiver.seen), "seconds": round(seconds, 2),
            "per_second": round(count / seconds, 1)}


def _rss_kb() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def bench_export(app, rows_expected: int) -> dict:
    with app.app_context():
        admin = User(email="admin@bench.test", name="Admin", role=Role.ADMIN, password_hash="x")
        db.session.add(admin)
        db.session.flush()
        token = accounts.create_api_token(admin, "bench")
        db.session.commit()
    client = app.test_client()
    samples: list[int] = []
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            samples.append(_rss_kb())
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    # The export page is for signed-in admins; a bearer token signs in the same way.
    started = time.perf_counter()
    answer = client.get("/admin/eligibility/export.csv", buffered=False,
                        headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200
    lines, marks = 0, []
    sampler.start()
    for chunk in answer.response:
        lines += chunk.count(b"\n") if isinstance(chunk, bytes) else chunk.count("\n")
        if lines and lines % 100_000 < 2000:
            marks.append((lines, _rss_kb()))
    seconds = time.perf_counter() - started
    stop.set()
    sampler.join()
    answer.close()
    rows = lines - 1
    assert rows == rows_expected, (rows, rows_expected)
    return {"rows": rows, "seconds": round(seconds, 2), "rows_per_second": round(rows / seconds),
            "rss_kb_min": min(samples), "rss_kb_max": max(samples),
            "rss_growth_kb": max(samples) - min(samples),
            "rss_kb_at_rows": marks[::max(len(marks) // 10, 1)]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--webhooks", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    with common.scratch_database(prefix="alur_bench_elig") as url:
        app = create_app("development", **_settings(url))
        with app.app_context():
            upgrade()
            started = time.perf_counter()
            seed_items(args.items)
            seed_seconds = time.perf_counter() - started
        listing = bench_listing(app, args.items, args.rounds)
        export = bench_export(app, args.items)
        webhooks = bench_webhooks(app, url, args.webhooks)
        with app.app_context():
            db.engine.dispose()
    common.print_table(["measure", "result", "target"], [
        ["listing, first page (status=eligible)",
         f"{listing['first_page']['median_ms']} ms median", "≤ 50 ms"],
        ["listing, deep cursor page (90% in)",
         f"{listing['deep_page']['median_ms']} ms median", "≤ 50 ms"],
        ["webhook deliveries through the worker", f"{webhooks['per_second']}/s", "≥ 500/s"],
        ["CSV export", f"{export['rows_per_second']} rows/s, RSS growth "
                       f"{export['rss_growth_kb']} KiB", "≥ 50,000 rows/s, flat"],
    ])
    common.write_results("eligibility", {
        "at": datetime.now(timezone.utc).isoformat(), "machine": platform.platform(),
        "cpus": os.cpu_count(), "items": args.items, "seed_seconds": round(seed_seconds, 1),
        "listing": listing, "webhooks": webhooks, "export": export})


if __name__ == "__main__":
    main()
