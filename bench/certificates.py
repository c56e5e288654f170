"""Certificates: PDFs rendered per second, and the public verification endpoints' throughput
as a ratio to the bare-Flask baseline (same gunicorn settings, same machine, same run).

Run from the repository root:  python -m bench.certificates [--pdfs 20] [--duration 10]

Needs PostgreSQL (BENCH_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/postgres;
a scratch database is created and dropped) and the Debian package `wrk`. Writes
bench/results/certificates.json and prints a table.
"""
from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from datetime import datetime, timezone

# The app reads its instance folder at import: point it at a scratch folder first.
INSTANCE_DIR = tempfile.mkdtemp(prefix="alur-bench-certificates-")
os.environ["ALUR_INSTANCE_DIR"] = INSTANCE_DIR

from flask_migrate import upgrade  # noqa: E402

from bench import common  # noqa: E402
from lms import create_app  # noqa: E402
from lms.accounts.models import Provider, Role, User  # noqa: E402
from lms.catalog import services as catalog  # noqa: E402
from lms.catalog.models import ModuleKind  # noqa: E402
from lms.certificates import services as certificates  # noqa: E402
from lms.certificates.models import Certificate  # noqa: E402
from lms.extensions import db  # noqa: E402
from lms.learning.models import Enrollment, EnrollmentStatus  # noqa: E402
from lms.verification.models import Completion, CompletionStatus

PUBLIC_BASE_URL = "https://alur.example"


def _settings(database_url: str) -> dict:
    return {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "MEDIA_ROOT": os.path.join(INSTANCE_DIR, "media"),
        "HUEY_SQLITE_PATH": os.path.join(INSTANCE_DIR, "jobs.sqlite3"),
        "CREDENTIAL_KEYS_FILE": os.path.join(INSTANCE_DIR, "credential-keys.json"),
        "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
        "HUEY_IMMEDIATE": False,
    }


def seed(count: int) -> list[int]:
    """A provider, a published course and `count` learners who completed it, each with an
    issued certificate (PDFs not rendered yet). Returns the certificate ids."""
    provider = Provider(slug="bench-provider", name="LPK Benchmark Nusantara")
    db.session.add(provider)
    db.session.flush()
    course = catalog.create_course(None, provider, "bench-course", "Pemasaran Digital untuk UMKM",
                                   "Digital marketing for small businesses.")
    for position in range(1, 4):
        catalog.add_module(None, course, ModuleKind.VIDEO, f"Video {position}",
                           duration_seconds=3 * 3600.0)
    catalog.publish_course(None, course)
    now = datetime.now(timezone.utc)
    ids = []
    for n in range(count):
        learner = User(email=f"bench{n}@example.test", name=f"Peserta Benchmark {n}",
                       password_hash="!", role=Role.LEARNER, locale="id")
        enrollment = Enrollment(user=learner, course=course, version=course.current_version,
                                status=EnrollmentStatus.COMPLETED, completed_at=now)
        db.session.add_all([learner, enrollment])
        db.session.flush()
        db.session.add(Completion(enrollment_id=enrollment.id, user_id=learner.id,
                                  course_id=course.id, provider_id=course.provider_id,
                                  status=CompletionStatus.VERIFIED, completed_at=now,
                                  created_at=now, flags=[], flag_codes="", evidence={}))
        db.session.flush()
        ids.append(certificates.issue_certificate(enrollment, now).id)
    # Rendering is what we time below, not what the commit should trigger.
    db.session.info.pop(certificates.PENDING_RENDERS, None)
    db.session.commit()
    return ids


def time_pdfs(ids: list[int]) -> dict:
    """Render and store each certificate's PDF in-process, as the worker task does."""
    certificates.store_pdf(ids[0])  # warm-up: fonts and templates load on first use
    db.session.commit()
    started = time.perf_counter()
    for certificate_id in ids:
        certificates.store_pdf(certificate_id)
        db.session.commit()
    elapsed = time.perf_counter() - started
    return {"count": len(ids), "seconds": round(elapsed, 3),
            "pdfs_per_second": round(len(ids) / elapsed, 2),
            "ms_per_pdf": round(1000 * elapsed / len(ids), 1)}


LABELS = {
    "api": "GET /api/v1/certificates/{number}",
    "page": "GET /verify/{number}",
    "baseline_before": "bare Flask GET / (before)",
    "baseline_after": "bare Flask GET / (after)",
}


def measure(env: dict, number: str, load: dict) -> dict[str, common.WrkResult]:
    """Load each endpoint in turn; both servers stay up (an idle one costs nothing)."""
    ready = f"/api/v1/certificates/{number}"
    with common.gunicorn("wsgi:app", env, ready_path=ready) as app_base, \
            common.gunicorn(common.BASELINE_APP) as bare:
        for url in (f"{bare}/", f"{app_base}{ready}", f"{app_base}/verify/{number}"):
            common.run_wrk(url, duration=2, connections=load["connections"])  # warm-up
        return {
            "baseline_before": common.run_wrk(f"{bare}/", **load),
            "api": common.run_wrk(f"{app_base}/api/v1/certificates/{number}", **load),
            "page": common.run_wrk(f"{app_base}/verify/{number}", **load),
            "baseline_after": common.run_wrk(f"{bare}/", **load),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdfs", type=int, default=20, help="PDFs to render (default 20)")
    parser.add_argument("--duration", type=int, default=common.WRK_DURATION,
                        help="seconds of load per endpoint (default 10)")
    parser.add_argument("--connections", type=int, default=common.WRK_CONNECTIONS)
    args = parser.parse_args()

    with common.scratch_database() as database_url:
        app = create_app("development", **_settings(database_url))
        with app.app_context():
            upgrade()
            ids = seed(args.pdfs)
            pdfs = time_pdfs(ids)
            number = db.session.get(Certificate, ids[0]).number
            db.session.remove()
            db.engine.dispose()

        env = common.app_env(database_url, INSTANCE_DIR, PUBLIC_BASE_URL=PUBLIC_BASE_URL,
                             CREDENTIAL_KEYS_FILE=_settings(database_url)["CREDENTIAL_KEYS_FILE"])
        load = {"duration": args.duration, "connections": args.connections}
        results = measure(env, number, load)

    # The baseline runs before and after the app: the mean absorbs a drift in background load,
    # and the two values show how large that drift was.
    baseline_rps = (results["baseline_before"].requests_per_second
                    + results["baseline_after"].requests_per_second) / 2
    rows = [["PDF render + store (in-process)", f"{pdfs['pdfs_per_second']} PDF/s",
             f"{pdfs['ms_per_pdf']} ms/PDF", "", ""]]
    for key, label in LABELS.items():
        result = results[key]
        rows.append([label, f"{result.requests_per_second:.0f} req/s",
                     f"p50 {result.latency_ms.get('p50', 0):.1f} ms",
                     f"p99 {result.latency_ms.get('p99', 0):.1f} ms",
                     f"{result.requests_per_second / baseline_rps:.2f}x baseline"])
    common.print_table(["what", "throughput", "latency", "tail", "ratio"], rows)
    bad = {k: r.non_2xx_3xx + r.socket_errors for k, r in results.items()
           if r.non_2xx_3xx or r.socket_errors}
    if bad:
        print(f"warning: errors during load: {bad}")

    path = common.write_results("certificates", {
        "benchmark": "certificates",
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform()},
        "gunicorn": {"workers": common.GUNICORN_WORKERS, "threads": common.GUNICORN_THREADS,
                     "worker_class": "gthread"},
        "pdf": pdfs,
        "baseline_requests_per_second": round(baseline_rps, 1),
        "endpoints": {key: {**result.as_dict(),
                            "ratio_to_baseline": round(result.requests_per_second
                                                       / baseline_rps, 3)}
                      for key, result in results.items()},
    })
    print(f"results written to {path.relative_to(common.ROOT)}")


if __name__ == "__main__":
    main()
