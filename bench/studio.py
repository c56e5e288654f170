"""The provider studio at scale: importing the package of a 9-hour course's structure (60
modules, 400 questions, small stand-in videos; transcoding excluded: the jobs are only
queued), and the analytics page of a course with 100,000 enrollments.

Run from the repository root:  python -m bench.studio [--enrollments 100000] [--runs 5]

Needs PostgreSQL (BENCH_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/postgres;
a scratch database is created and dropped) and ffmpeg. Writes bench/results/studio.json.
Targets: import ≤ 5 s, analytics page ≤ 300 ms.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import statistics
import tempfile
import time
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

INSTANCE_DIR = tempfile.mkdtemp(prefix="alur-bench-studio-")
os.environ["ALUR_INSTANCE_DIR"] = INSTANCE_DIR

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from bench import common  # noqa: E402
from lms import create_app  # noqa: E402
from lms.accounts import services as accounts  # noqa: E402
from lms.accounts.models import Provider, Role, User  # noqa: E402
from lms.catalog import services as catalog  # noqa: E402
from lms.catalog.models import ModuleKind  # noqa: E402
from lms.extensions import db  # noqa: E402
from lms.learning.models import Enrollment, ModuleProgress  # noqa: E402
from lms.media.clips import make_clip  # noqa: E402

PASSWORD = "bench-password-2026"
VIDEO_MODULES, READINGS, QUIZZES = 45, 7, 5  # + pre-test, post-test, skill task = 60
QUESTIONS = {"pretest": 100, "quiz": 40, "posttest": 100}  # 100 + 5 × 40 + 100 = 400


def stand_in_video(folder: str) -> bytes:
    path = make_clip(Path(folder) / "clip.mp4", 2, width=320, height=180, fps=5, audio=False)
    return path.read_bytes()


def _quiz(role: str, title: str) -> dict:
    questions = [{"kind": "single", "text": f"{title}: pertanyaan {n}?",
                  "options": [{"text": "benar", "correct": True},
                              {"text": "salah", "correct": False},
                              {"text": "mungkin", "correct": False}]}
                 for n in range(1, QUESTIONS[role] + 1)]
    return {"kind": "quiz", "title": title, "quiz": {
        "role": role, "pass_percent": None if role == "pretest" else 70, "attempts": 3,
        "time_limit_seconds": 1800, "questions": questions}}


def nine_hour_package(clip: bytes) -> bytes:
    modules = [_quiz("pretest", "Pre-test")]
    content = ["video"] * VIDEO_MODULES + ["reading"] * READINGS
    random.Random(7).shuffle(content)
    quiz_every = len(content) // (QUIZZES + 1)
    files = {}
    for index, kind in enumerate(content, start=1):
        if kind == "video":
            name = f"media/module-{len(modules) + 1:03d}.mp4"
            files[name] = clip
            modules.append({"kind": "video", "title": f"Video {index}", "video": name})
        else:
            modules.append({"kind": "reading", "title": f"Bacaan {index}",
                            "body_html": "<p>" + "kata " * 600 + "</p>", "min_seconds": 180})
        if index % quiz_every == 0 and sum(m["kind"] == "quiz" for m in modules) <= QUIZZES:
            modules.append(_quiz("quiz", f"Kuis {index}"))
    modules.append(_quiz("posttest", "Post-test"))
    modules.append({"kind": "assignment", "title": "Unjuk keterampilan", "task": {
        "instructions": "<p>Buat rencana pemasaran.</p>", "allow_link": True,
        "kinds": ["pdf"], "max_mb": 10}})
    doc = {"format": "alur-course/1", "title": "Kursus 9 jam", "description": "Benchmark.",
           "language": "id", "training_type": "self_paced", "finish_within_days": 30,
           "programme_course_code": "BENCH-9H", "modules": modules}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("course.json", json.dumps(doc))
        for name, data in files.items():
            archive.writestr(name, data, compress_type=zipfile.ZIP_STORED)
    return out.getvalue()


def _login(client, email: str) -> None:
    answer = client.post("/login", data={"email": email, "password": PASSWORD})
    assert answer.status_code == 302, answer.status_code


def time_import(app, package: bytes, runs: int) -> dict:
    client = app.test_client()
    _login(client, "staff@bench.test")
    seconds, modules = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        answer = client.post("/api/v1/course-packages", content_type="multipart/form-data",
                             data={"package": (io.BytesIO(package), "course.zip")})
        seconds.append(time.perf_counter() - started)
        assert answer.status_code == 201, answer.get_data(as_text=True)[:500]
        modules = len(catalog.get_course(_staff(), answer.json["course_id"]).versions[-1].modules)
    return {"runs": runs, "modules": modules, "questions": sum(QUESTIONS.values()) +
            (QUIZZES - 1) * QUESTIONS["quiz"], "package_mb": round(len(package) / 2**20, 2),
            "median_seconds": round(statistics.median(seconds), 3),
            "max_seconds": round(max(seconds), 3)}


def _staff() -> User:
    return db.session.scalar(select(User).where(User.email == "staff@bench.test"))


def seed_enrollments(course, count: int) -> None:
    """`count` learners enrolled in the course; each started the first k modules and
    completed all but possibly the last of them (a funnel), with plausible times."""
    rng = random.Random(42)
    modules = course.current_version.modules
    now = datetime.now(timezone.utc)
    batch = 5000
    for start in range(0, count, batch):
        size = min(batch, count - start)
        first_user = db.session.execute(insert(User).returning(User.id), [
            {"email": f"l{start + n}@bench.test", "name": f"Peserta {start + n}",
             "password_hash": "!", "role": Role.LEARNER, "locale": "id"}
            for n in range(size)]).scalars().all()
        enrollment_ids = db.session.execute(insert(Enrollment).returning(Enrollment.id), [
            {"user_id": uid, "course_id": course.id, "version_id": course.current_version.id,
             "enrolled_at": now - timedelta(days=rng.randint(1, 60))}
            for uid in first_user]).scalars().all()
        rows = []
        for eid in enrollment_ids:
            reached = rng.choices(range(1, len(modules) + 1),
                                  weights=[len(modules) + 1 - k for k in range(len(modules))])[0]
            for m in modules[:reached]:
                done = m.position < reached or rng.random() < 0.5
                rows.append({"enrollment_id": eid, "module_id": m.id,
                             "wall_seconds": (m.duration_seconds or 120) * rng.uniform(1, 1.6),
                             "completed_at": now if done else None, "started_at": now,
                             "updated_at": now})
        db.session.execute(insert(ModuleProgress), rows)
        db.session.commit()


def time_analytics(app, course_id: int, runs: int) -> dict:
    client = app.test_client()
    _login(client, "staff@bench.test")
    url = f"/provider/courses/{course_id}/analytics"
    client.get(url)  # warm-up
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        answer = client.get(url)
        seconds.append(time.perf_counter() - started)
        assert answer.status_code == 200
    return {"runs": runs, "median_ms": round(1000 * statistics.median(seconds), 1),
            "max_ms": round(1000 * max(seconds), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enrollments", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with common.scratch_database() as url:
        app = create_app("development", SQLALCHEMY_DATABASE_URI=url, HUEY_IMMEDIATE=False,
                         MEDIA_ROOT=os.path.join(INSTANCE_DIR, "media"),
                         HUEY_SQLITE_PATH=os.path.join(INSTANCE_DIR, "jobs.sqlite3"),
                         WTF_CSRF_ENABLED=False, PASSWORD_HASH_METHOD="pbkdf2:sha256:1000")
        with app.app_context():
            upgrade()
            provider = Provider(slug="bench-lpk", name="LPK Benchmark")
            db.session.add(provider)
            db.session.flush()
            accounts.create_user(None, "staff@bench.test", PASSWORD, Role.PROVIDER,
                                      "Staf Benchmark", "bench-lpk")
            db.session.commit()
            clip = stand_in_video(INSTANCE_DIR)
            imported = time_import(app, nine_hour_package(clip), args.runs)
            print(f"import: {imported}", flush=True)
            course = catalog.create_course(None, provider, "bench-analytics", "Analitik", "")
            for position in range(1, 9):
                kind = ModuleKind.VIDEO if position % 3 else ModuleKind.READING
                catalog.add_module(None, course, kind, f"Modul {position}",
                                   duration_seconds=600.0 if kind == ModuleKind.VIDEO else None,
                                   body="<p>teks</p>", min_dwell_seconds=120)
            catalog.publish_course(None, course)
            db.session.commit()
            started = time.perf_counter()
            seed_enrollments(course, args.enrollments)
            seeded = time.perf_counter() - started
            print(f"seeded {args.enrollments} enrollments in {seeded:.1f} s", flush=True)
            analytics = time_analytics(app, course.id, args.runs * 2)
            analytics.update(enrollments=args.enrollments,
                             progress_rows=db.session.query(ModuleProgress).count(),
                             seed_seconds=round(seeded, 1))
    results = {"when": datetime.now(timezone.utc).isoformat(), "machine": platform.platform(),
               "cpus": os.cpu_count(), "database": "postgresql", "import": imported,
               "analytics": analytics}
    common.print_table(["measure", "value", "target"], [
        ["import 9-hour package (median)", f"{imported['median_seconds']} s", "≤ 5 s"],
        ["analytics page, 100k enrollments (median)", f"{analytics['median_ms']} ms",
         "≤ 300 ms"]])
    print(f"written: {common.write_results('studio', results)}")


if __name__ == "__main__":
    main()
