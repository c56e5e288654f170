"""Bytes of pacing evidence per learner-hour on PostgreSQL: what the evidence table (its
monthly partitions, their indexes and TOAST) grows by for each hour a learner watches.

Run from the repository root:  python -m bench.evidence_size [--learners 10]

The learners watch a one-hour video at 1x at the same time through the real API, in-process
on a frozen clock (no waiting): a heartbeat every HEARTBEAT_SECONDS and each SEGMENT_SECONDS
segment as the player reaches it, so 360 heartbeat rows and 600 segment rows per hour, written
by the app's own hot paths exactly as in production. The figure is the growth of
pg_total_relation_size over every partition, divided by the learner-hours watched.

Needs PostgreSQL (BENCH_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/postgres;
a scratch database is created and dropped). Writes bench/results/evidence_size.json.
"""
from __future__ import annotations

import argparse
import atexit
import os
import platform
import shutil
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

INSTANCE_DIR = tempfile.mkdtemp(prefix="alur-bench-evidence-")
atexit.register(shutil.rmtree, INSTANCE_DIR, True)  # 600 segment files per run
os.environ["ALUR_INSTANCE_DIR"] = INSTANCE_DIR

from flask import Flask  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import text  # noqa: E402

from bench import common  # noqa: E402
from lms import create_app  # noqa: E402
from lms.accounts import services as accounts  # noqa: E402
from lms.accounts.models import Provider, Role  # noqa: E402
from lms.catalog import services as catalog  # noqa: E402
from lms.catalog.models import ModuleKind  # noqa: E402
from lms.clock import FrozenClock, install_clock  # noqa: E402
from lms.extensions import db  # noqa: E402
from lms.learning import services as learning  # noqa: E402
from lms.media.models import AssetStatus, VideoAsset  # noqa: E402
from lms.pacing.rules import HEARTBEAT_SECONDS, SEGMENT_SECONDS  # noqa: E402
from lms.pacing.segment_gate import SEGMENT_NAME  # noqa: E402

HOUR = 3600
PASSWORD = "bench-evidence-password"
RENDITION = "180p"
# Every partition of the evidence table (or the table itself, unpartitioned) with its indexes
# and TOAST: a partitioned parent has no storage of its own.
EVIDENCE_BYTES = text("SELECT coalesce(sum(pg_total_relation_size(relid)), 0),"
                      " coalesce(sum(pg_relation_size(relid)), 0),"
                      " coalesce(sum(pg_indexes_size(relid)), 0)"
                      " FROM pg_partition_tree('pacing_evidence')")


def seed(learners: int) -> tuple[int, list[str]]:
    """A course with one hour-long video (its segments stored, a few bytes each: the bytes
    served do not matter here) and `learners` enrolled learners; returns the module id and
    one bearer token per learner."""
    provider = Provider(slug="bench-evidence", name="LPK Benchmark")
    db.session.add(provider)
    db.session.flush()
    course = catalog.create_course(None, provider, "bench-evidence", "Satu jam", "")
    module = catalog.add_module(None, course, ModuleKind.VIDEO, "One hour",
                                duration_seconds=float(HOUR))
    catalog.publish_course(None, course)
    asset = VideoAsset(module_id=module.id, status=AssetStatus.READY, source_key="sources/x",
                       duration_seconds=float(HOUR), segment_seconds=int(SEGMENT_SECONDS),
                       ready_at=datetime.now(timezone.utc))
    db.session.add(asset)
    db.session.flush()
    asset.hls_prefix = f"hls/{asset.id}"
    folder = Path(INSTANCE_DIR, "media", asset.hls_prefix, RENDITION)
    folder.mkdir(parents=True)
    for index in range(int(HOUR // SEGMENT_SECONDS)):
        (folder / SEGMENT_NAME.format(index=index)).write_bytes(b"\x47" * 188)
    # Accounts and enrollments as the app makes them: a redeem code each.
    tokens = []
    for n, code in enumerate(learning.generate_codes(None, course, learners)):
        learner = accounts.create_user(None, f"peserta{n}@bench.test", PASSWORD, Role.LEARNER)
        learning.redeem_code(learner, code)
        tokens.append(accounts.create_api_token(learner, "bench"))
    db.session.commit()
    return module.id, tokens


class Viewer:
    """One honest 1x player on the API: each segment when playback reaches it, a heartbeat
    every HEARTBEAT_SECONDS."""

    def __init__(self, app: Flask, module_id: int, token: str) -> None:
        self.client = app.test_client()
        self.headers = {"Authorization": f"Bearer {token}"}
        opened = self.client.post(f"/api/v1/modules/{module_id}/sessions", headers=self.headers)
        assert opened.status_code == 201, opened.get_json()
        self.sid, self.seq = opened.get_json()["session_id"], 0

    def play(self, second: int, answers: dict[str, int]) -> None:
        if second % SEGMENT_SECONDS == 0:
            name = SEGMENT_NAME.format(index=int(second // SEGMENT_SECONDS))
            status = self.client.get(f"/media/sessions/{self.sid}/{RENDITION}/{name}",
                                     headers=self.headers).status_code
            answers[f"segment {status}"] = answers.get(f"segment {status}", 0) + 1
        if second % HEARTBEAT_SECONDS == 0:
            self.seq += 1
            status = self.client.post(f"/api/v1/sessions/{self.sid}/heartbeats",
                                      headers=self.headers,
                                      json={"position": second, "playing": True, "rate": 1.0,
                                            "seq": self.seq}).status_code
            answers[f"heartbeat {status}"] = answers.get(f"heartbeat {status}", 0) + 1


def watch_together(app: Flask, clock: FrozenClock, module_id: int,
                   tokens: list[str]) -> dict[str, int]:
    """Every learner watches the same hour at once, their requests interleaved as they arrive
    in production (index pages then fill as they do under many learners, not as in one
    learner's sorted run). Returns the answers counted by kind and status."""
    viewers, answers = [Viewer(app, module_id, token) for token in tokens], {}
    for second in range(HOUR):
        for viewer in viewers:
            viewer.play(second, answers)
        clock.advance(1)
    return answers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=10,
                        help="learners, each watching one hour")
    args = parser.parse_args()
    with common.scratch_database() as url:
        app = create_app("development", SQLALCHEMY_DATABASE_URI=url, WTF_CSRF_ENABLED=False,
                         MEDIA_ROOT=os.path.join(INSTANCE_DIR, "media"), HUEY_IMMEDIATE=False,
                         HUEY_SQLITE_PATH=os.path.join(INSTANCE_DIR, "jobs.sqlite3"),
                         RATELIMIT_STORAGE_URI="memory://",
                         PASSWORD_HASH_METHOD="pbkdf2:sha256:1000")
        clock = FrozenClock(datetime.now(timezone.utc))  # rows land in this month's partition
        install_clock(app, clock)
        with app.app_context():
            upgrade()
            module_id, tokens = seed(args.learners)
            empty = db.session.execute(EVIDENCE_BYTES).one()
            db.session.commit()
        # Outside any app context: each request then gets its own, as in production (a shared
        # one would keep the first learner signed in on `g` for every request).
        started = time.perf_counter()
        answers = watch_together(app, clock, module_id, tokens)
        elapsed = time.perf_counter() - started
        if set(answers) != {"segment 200", "heartbeat 200"}:
            raise SystemExit(f"the viewers were not all served: {answers}")
        with app.app_context():
            rows = dict(db.session.execute(text(
                "SELECT kind, count(*) FROM pacing_evidence GROUP BY kind")).tuples().all())
            total, heap, indexes = (int(after - before) for after, before in
                                    zip(db.session.execute(EVIDENCE_BYTES).one(), empty))
            partitions = db.session.scalar(text(
                "SELECT count(*) FROM pg_partition_tree('pacing_evidence') WHERE isleaf"))
            server = db.session.scalar(text("SHOW server_version"))
            db.session.remove()
            db.engine.dispose()  # the scratch database is dropped next
    hours, count = args.learners, sum(rows.values())
    per_hour = total / hours
    result = {
        "learner_hours": hours, "rows": rows, "answers": answers,
        "bytes_total": total, "bytes_heap": heap, "bytes_indexes": indexes,
        "bytes_per_learner_hour": round(per_hour),
        "bytes_per_row": round(total / count, 1),
        "heap_bytes_per_row": round(heap / count, 1),
        "index_bytes_per_row": round(indexes / count, 1),
        "gb_per_million_learner_hours": round(per_hour * 1e6 / 1e9, 1),
        "leaf_partitions": partitions,
        "write_seconds": round(elapsed, 1),
        "postgresql": server, "machine": platform.platform(), "date": datetime.now(
            timezone.utc).date().isoformat(),
        "command": "python -m bench.evidence_size" + (
            f" --learners {hours}" if hours != 10 else ""),
    }
    common.print_table(["learner-hours", "rows", "bytes/learner-hour", "bytes/row",
                        "heap/row", "indexes/row", "GB per 10^6 learner-hours"],
                       [[hours, count, result["bytes_per_learner_hour"],
                         result["bytes_per_row"], result["heap_bytes_per_row"],
                         result["index_bytes_per_row"], result["gb_per_million_learner_hours"]]])
    print(f"answers: {answers}")
    print(f"wrote {common.write_results('evidence_size', result)}")


if __name__ == "__main__":
    main()
