"""Completion review on PostgreSQL: the time to check one completion of a 9-hour course
(about 3,300 heartbeats and 5,400 segment rows of evidence), to render its evidence timeline
page, and to render the review queue's first page among 100,000 completions.

Run from the repository root:  python -m bench.verification [--repeat 10]

Needs PostgreSQL (BENCH_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/postgres;
a scratch database is created and dropped). In-process: what is timed is the check and the
page renders themselves, not an HTTP server. Writes bench/results/verification.json.
Targets: check <= 200 ms, timeline <= 300 ms, queue <= 100 ms (medians).
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone

INSTANCE_DIR = tempfile.mkdtemp(prefix="alur-bench-verification-")
os.environ["ALUR_INSTANCE_DIR"] = INSTANCE_DIR

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import insert, text  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from bench import common  # noqa: E402
from lms import create_app  # noqa: E402
from lms.accounts.models import Provider, Role, User  # noqa: E402
from lms.catalog import services as catalog  # noqa: E402
from lms.catalog.models import ModuleKind  # noqa: E402
from lms.extensions import db  # noqa: E402
from lms.learning.models import Enrollment, EnrollmentStatus  # noqa: E402
from lms.pacing.models import PacingEvidence, PlaybackSession  # noqa: E402
from lms.verification import services  # noqa: E402
from lms.verification.models import Completion  # noqa: E402

PASSWORD = "bench-password"
MODULES, MODULE_SECONDS, BEAT, SEGMENT = 9, 3600, 10.0, 6.0
QUEUE_SIZE = 100_000
START = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)


def seed_course() -> tuple[int, int]:
    """A 9-hour course watched honestly, one session per hour-long module; returns the
    completion's id and the admin's id."""
    provider = Provider(slug="bench-lpk", name="LPK Benchmark")
    admin = User(email="admin@bench.test", name="Admin", role=Role.ADMIN,
                 password_hash=generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000"))
    learner = User(email="learner@bench.test", name="Peserta", role=Role.LEARNER,
                   password_hash="!")
    db.session.add_all([provider, admin, learner])
    db.session.flush()
    course = catalog.create_course(None, provider, "bench-9h", "Nine hours", "Benchmark")
    for n in range(MODULES):
        catalog.add_module(None, course, ModuleKind.VIDEO, f"Hour {n + 1}",
                           duration_seconds=float(MODULE_SECONDS))
    catalog.publish_course(None, course)
    db.session.flush()
    enrollment = Enrollment(user=learner, course=course, version=course.current_version,
                            status=EnrollmentStatus.COMPLETED,
                            completed_at=START + timedelta(hours=MODULES + 1))
    db.session.add(enrollment)
    db.session.flush()
    rng = random.Random(7)
    rows = []
    for index, module in enumerate(course.current_version.modules):
        opened = START + timedelta(hours=index, minutes=index)
        session = PlaybackSession(
            user_id=learner.id, enrollment_id=enrollment.id, module_id=module.id,
            kind="video", target_seconds=MODULE_SECONDS, segment_seconds=SEGMENT,
            started_at=opened, ended_at=opened + timedelta(seconds=MODULE_SECONDS + 5),
            client_ip="10.1.2.3", user_agent="Mozilla/5.0 Chrome/120", device_id="bench-dev-1")
        db.session.add(session)
        db.session.flush()
        base = {"session_id": session.id, "enrollment_id": enrollment.id,
                "module_id": module.id, "detail": ""}
        for i in range(int(MODULE_SECONDS / SEGMENT)):
            rows.append({**base, "kind": "segment", "outcome": "served", "segment_index": i,
                         "rendition": "360p",
                         "at": opened + timedelta(seconds=max(0.0, i * SEGMENT - 30))})
        t = 0.0
        for n in range(int(MODULE_SECONDS / BEAT) + 1):
            rows.append({**base, "kind": "heartbeat", "outcome": "accepted", "seq": n + 1,
                         "position": n * BEAT, "active": True, "rate": 1.0,
                         "frontier": n * BEAT, "credited_seconds": BEAT if n else 0.0,
                         "wall_seconds": BEAT if n else 0.0,
                         "at": opened + timedelta(seconds=t)})
            t += BEAT + rng.uniform(-0.005, 0.005)
    db.session.execute(insert(PacingEvidence), sorted(rows, key=lambda r: r["at"]))
    completion = services.open_completion(enrollment, enrollment.completed_at)
    db.session.info.pop(services.PENDING_CHECKS, None)  # timed below, not queued
    db.session.commit()
    return completion.id, admin.id


def seed_queue(course_id: int, version_id: int, provider_id: int, count: int) -> None:
    """`count` completed enrollments of as many learners, one in ten flagged."""
    db.session.execute(text("""
        INSERT INTO users (email, name, password_hash, role, timezone, active, created_at,
                           participant_ref)
        SELECT 'q' || g || '@bench.test', 'Peserta ' || g, '!', 'learner', 'Asia/Jakarta',
               true, now(), 'ALR-BENCH-' || g FROM generate_series(1, :n) g"""), {"n": count})
    db.session.execute(text("""
        INSERT INTO enrollments (user_id, course_id, version_id, status, enrolled_at,
                                 completed_at)
        SELECT u.id, :course, :version,
               'completed', now(), now() - (u.id || ' minutes')::interval
        FROM users u WHERE u.email LIKE 'q%@bench.test'"""),
        {"course": course_id, "version": version_id})
    db.session.execute(text("""
        INSERT INTO completions (enrollment_id, user_id, course_id, provider_id, status,
                                 completed_at, created_at, flags, flag_codes, evidence)
        SELECT e.id, e.user_id, e.course_id, :provider,
               CASE WHEN e.id % 10 = 0 THEN 'flagged' ELSE 'verified' END,
               e.completed_at, e.completed_at,
               CASE WHEN e.id % 10 = 0
                    THEN '[{"code": "shared_device", "detail": "5 learners on one device",
                            "params": {"learners": 5, "kind": "address", "device": "x"}}]'
                    ELSE '[]' END::json,
               CASE WHEN e.id % 10 = 0 THEN 'shared_device' ELSE '' END, '{}'::json
        FROM enrollments e JOIN users u ON u.id = e.user_id
        WHERE u.email LIKE 'q%@bench.test'"""), {"provider": provider_id})
    db.session.commit()
    # What autovacuum does to a table of this size in production: statistics, and the
    # visibility map that lets the queue's counts read the status index alone.
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE completions"))
        conn.execute(text("VACUUM ANALYZE enrollments"))
        conn.execute(text("VACUUM ANALYZE users"))


def _median_ms(samples: list[tuple[float, float]]) -> dict:
    """Wall-clock medians, and the app process's own CPU time (what a busy machine's other
    processes do not inflate; the database server's share is not in it)."""
    wall = [w for w, _cpu in samples]
    return {"median_ms": round(statistics.median(wall) * 1000, 1),
            "min_ms": round(min(wall) * 1000, 1), "max_ms": round(max(wall) * 1000, 1),
            "cpu_median_ms": round(statistics.median(c for _w, c in samples) * 1000, 1),
            "runs": len(samples)}


def _timed(action) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def time_check(completion_id: int, repeat: int) -> dict:
    samples = []
    for _ in range(repeat + 1):
        db.session.remove()
        samples.append(_timed(lambda: (services.check_completion(completion_id),
                                       db.session.flush())))
        db.session.rollback()  # back to pending for the next run
    return _median_ms(samples[1:])  # the first run warms caches and imports


def time_page(client, path: str, repeat: int) -> dict:
    samples = []
    for _ in range(repeat + 1):
        responses = []
        samples.append(_timed(lambda: responses.append(client.get(path))))
        assert responses[0].status_code == 200, (path, responses[0].status_code)
    return _median_ms(samples[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--queue", type=int, default=QUEUE_SIZE)
    args = parser.parse_args()
    with common.scratch_database() as url:
        app = create_app("development", SQLALCHEMY_DATABASE_URI=url, WTF_CSRF_ENABLED=False,
                         MEDIA_ROOT=os.path.join(INSTANCE_DIR, "media"),
                         HUEY_IMMEDIATE=False, RATELIMIT_STORAGE_URI="memory://")
        with app.app_context():
            upgrade()
            completion_id, _admin_id = seed_course()
            completion = db.session.get(Completion, completion_id)
            evidence = db.session.scalar(text(
                "SELECT count(*) FROM pacing_evidence WHERE enrollment_id = :e"),
                {"e": completion.enrollment_id})
            check = time_check(completion_id, args.repeat)
            services.check_completion(completion_id)
            db.session.commit()
            completion = db.session.get(Completion, completion_id)
            course_id, provider_id = completion.course_id, completion.provider_id
            version_id = completion.enrollment.version_id
            status, flags = completion.status, completion.flag_codes
            # Shown with its decision form, as a reviewer sees a flagged one.
            db.session.execute(text("UPDATE completions SET status = 'flagged' WHERE id = :i"),
                               {"i": completion_id})
            db.session.commit()
            started = time.perf_counter()
            seed_queue(course_id, version_id, provider_id, args.queue)
            seeded = time.perf_counter() - started
            client = app.test_client()
            assert client.post("/login", data={"email": "admin@bench.test",
                                               "password": PASSWORD}).status_code == 302
            timeline = time_page(client, f"/admin/completions/{completion_id}", args.repeat)
            queue = time_page(client, "/admin/completions/", args.repeat)
            queue_all = time_page(client, "/admin/completions/?status=all", args.repeat)
            api_first = time_page(client, "/api/v1/completions?status=flagged", args.repeat)
            db.session.remove()
            db.engine.dispose()
    def row(label: str, result: dict, target: str) -> list[str]:
        return [label, f"{result['median_ms']} ms", f"{result['cpu_median_ms']} ms", target]
    rows = [row("check one 9-hour completion", check, "200 ms"),
            row("timeline page of it", timeline, "300 ms"),
            row(f"queue first page, flagged, of {args.queue:,}", queue, "100 ms"),
            row(f"queue first page, all, of {args.queue:,}", queue_all, ""),
            row("API first page, flagged", api_first, "")]
    common.print_table(["what", "median", "app CPU", "target"], rows)
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"evidence rows of the completion: {evidence}; its check: {status} {flags!r}; "
          f"queue seeded in {seeded:.1f} s")
    path = common.write_results("verification", {
        "benchmark": "verification",
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform()},
        "evidence_rows": evidence, "queue_size": args.queue,
        "load_average": round(os.getloadavg()[0], 1),
        "check": check, "timeline_page": timeline, "queue_page_flagged": queue,
        "queue_page_all": queue_all, "api_page_flagged": api_first,
    })
    print(f"results written to {path.relative_to(common.ROOT)}")


if __name__ == "__main__":
    main()
