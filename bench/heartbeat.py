"""The pacing hot paths under load: heartbeats and the segment gate, as a ratio to the bare-Flask
baseline (same gunicorn settings, same machine, same run).

Run from the repository root:  python -m bench.heartbeat [--sessions 600] [--duration 5]
                                   [--rounds 3] [--backends postgresql,sqlite]

Seeds learners with bearer tokens and an open playback session each, then drives
`POST /api/v1/sessions/{id}/heartbeats` with a wrk Lua script that rotates over the sessions,
each with its own increasing `seq` and a position that advances with real time (an honest 1x
player, so every heartbeat is accepted and moves the frontier), and
`GET /media/sessions/{id}/180p/seg_0000N.ts` over real HLS segments within the look-ahead.
Every request does the real work: authentication, row locks, the rules, an evidence row, one
commit. Needs PostgreSQL (BENCH_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/
postgres; a scratch database is created and dropped), ffmpeg and the Debian package `wrk`.
Every endpoint runs `--rounds` times, interleaved with the others, and the median round is
reported. Two more rows show what Alur's own request stack costs with no work at all (the full
app with an empty route, anonymous and signed in), and the floor endpoints of bench.ceiling
(the same database work with the raw driver, no Alur code) run in the same rounds, so each
ratio is read against the baseline and against the backend's floor measured side by side.
Writes bench/results/heartbeat.json and prints a table. Target: heartbeat and segment gate
>= 0.9 x the floor of the same backend.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import platform
import shutil
import subprocess
import tempfile
from datetime import datetime, timezone
from pathlib import Path

# The app reads its instance folder at import: point it at a scratch folder first.
INSTANCE_DIR = tempfile.mkdtemp(prefix="alur-bench-heartbeat-")
os.environ["ALUR_INSTANCE_DIR"] = INSTANCE_DIR

from flask import current_app, g, session  # noqa: E402
from flask_login import login_user  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from flask_wtf.csrf import generate_csrf  # noqa: E402

from bench import ceiling, common  # noqa: E402
from bench.transcode import make_source  # noqa: E402
from lms import create_app  # noqa: E402
from lms.accounts import services as accounts  # noqa: E402
from lms.accounts.models import Provider, Role, User  # noqa: E402
from lms.catalog import services as catalog  # noqa: E402
from lms.catalog.models import ModuleKind  # noqa: E402
from lms.extensions import db  # noqa: E402
from lms.learning.models import Enrollment  # noqa: E402
from lms.media.models import AssetStatus, VideoAsset  # noqa: E402
from lms.media.probe import probe_video  # noqa: E402
from lms.media.storage import make_storage  # noqa: E402
from lms.media.transcode import transcode_to_hls  # noqa: E402
from lms.pacing import rules, sessions  # noqa: E402

LONG_VIDEO_SECONDS = 3600.0  # heartbeats never complete it during a run
SEGMENTS_IN_LOOKAHEAD = int(rules.LOOKAHEAD_SECONDS // rules.SEGMENT_SECONDS) + 1

# Each session entry: {id, bearer token, session cookie, CSRF token}. `browser` picks the web
# player's credentials (cookie + X-CSRFToken), else the API clients' (bearer token).
HEADERS_LUA = """
function headers(s, extra)
  local h = extra or {}
  if %(browser)s then
    h["Cookie"] = "session=" .. s[3]
    h["X-CSRFToken"] = s[4]
  else
    h["Authorization"] = "Bearer " .. s[2]
  end
  return h
end
"""

HEARTBEAT_LUA = HEADERS_LUA + """
local sessions = {%(sessions)s}
local nthreads = %(threads)d
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end
function init(args)
  mine = {}
  for i, s in ipairs(sessions) do
    if (i - 1) %% nthreads == id then
      table.insert(mine, {s = s, seq = 0, t0 = nil})
    end
  end
  idx = 0
end
function request()
  idx = idx %% #mine + 1
  local m = mine[idx]
  local now = os.time()
  if m.t0 == nil then m.t0 = now end
  m.seq = m.seq + 1
  local body = string.format('{"position": %%d, "playing": true, "rate": 1, "seq": %%d}',
                             now - m.t0, m.seq)
  return wrk.format("POST", "/api/v1/sessions/" .. m.s[1] .. "/heartbeats",
                    headers(m.s, {["Content-Type"] = "application/json"}), body)
end
"""

FLOOR_LUA = HEADERS_LUA + """
local sessions = {%(sessions)s}
local n = 0
function request()
  n = n + 1
  return wrk.format("GET", "%(path)s", headers(sessions[(n - 1) %% #sessions + 1]))
end
"""

SEGMENT_LUA = HEADERS_LUA + """
local sessions = {%(sessions)s}
local segments = %(segments)d
local n = 0
function request()
  n = n + 1
  local s = sessions[(n - 1) %% #sessions + 1]
  local index = math.floor((n - 1) / #sessions) %% segments
  return wrk.format("GET", string.format("/media/sessions/%%d/%(rendition)s/seg_%%05d.ts",
                                         s[1], index), headers(s))
end
"""


def _settings(database_url: str) -> dict:
    return {"SQLALCHEMY_DATABASE_URI": database_url,
            "MEDIA_ROOT": os.path.join(INSTANCE_DIR, "media"),
            "HUEY_SQLITE_PATH": os.path.join(INSTANCE_DIR, "jobs.sqlite3"),
            "HUEY_IMMEDIATE": False}


def make_hls(folder: Path):
    """A real 60 s, 320x180 HLS rendition (the size a phone on a weak link gets)."""
    source = make_source(folder, 60, 320, 180, 10)
    return folder / "hls", transcode_to_hls(source, folder / "hls", probe_video(source))


def _asset(module, duration: float, segment_seconds: int) -> VideoAsset:
    asset = VideoAsset(module_id=module.id, status=AssetStatus.READY, source_key="sources/x",
                       duration_seconds=duration, segment_seconds=segment_seconds,
                       ready_at=datetime.now(timezone.utc))
    db.session.add(asset)
    db.session.flush()
    asset.hls_prefix = f"hls/{asset.id}"
    return asset


def seed(count: int, hls_dir: Path, hls) -> dict:
    """A course with a long video (heartbeats) and a real 60 s one (segments); 2 x `count`
    learners with a token and an open session each. Returns [(session id, token)] per path."""
    provider = Provider(slug="bench-provider", name="LPK Benchmark Nusantara")
    db.session.add(provider)
    db.session.flush()
    course = catalog.create_course(None, provider, "bench-pacing", "Pemasaran Digital", "")
    long_video = catalog.add_module(None, course, ModuleKind.VIDEO, "Long lesson",
                                    required=False, duration_seconds=LONG_VIDEO_SECONDS)
    short_video = catalog.add_module(None, course, ModuleKind.VIDEO, "Short lesson",
                                     duration_seconds=hls.duration)
    catalog.publish_course(None, course)
    _asset(long_video, LONG_VIDEO_SECONDS, 6)
    short_asset = _asset(short_video, hls.duration, hls.segment_seconds)
    make_storage(current_app.config).upload_dir(hls_dir, short_asset.hls_prefix)
    everything = rules.encode_segments(range(rules.segment_count(LONG_VIDEO_SECONDS)))

    pairs: dict[str, list[tuple[int, str, str, str]]] = {"heartbeat": [], "segment": []}
    for path, module in (("heartbeat", long_video), ("segment", short_video)):
        for n in range(count):
            learner = User(email=f"{path}{n}@bench.test", name=f"Peserta {n}", password_hash="!",
                           role=Role.LEARNER, locale="id")
            db.session.add_all([learner, Enrollment(user=learner, course=course,
                                                    version=course.current_version)])
            db.session.flush()
            token = accounts.create_api_token(learner, "bench")
            opened = sessions.open_session(learner, module.id)
            # The long video counts as delivered, so the frontier follows the 1x player.
            opened.progress.delivered_segments = everything if path == "heartbeat" else ""
            pairs[path].append((opened.session.id, token, *browser_credentials(learner)))
    db.session.commit()
    return pairs


def browser_credentials(user: User) -> tuple[str, str]:
    """The session cookie and CSRF token a signed-in browser would send (made the way Flask
    makes them, so no sign-in round trips are needed for hundreds of learners)."""
    app = current_app._get_current_object()
    # The address wrk connects from: Flask-Login's session protection compares it (and the
    # absent User-Agent) with the request's, and rewrites the cookie on every mismatch.
    with app.test_request_context("/", environ_base={"REMOTE_ADDR": "127.0.0.1"}):
        # Flask-WTF caches the token on `g`, which outlives this request in the seeding
        # app context: without this every learner after the first gets no token in the cookie.
        g.pop(app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)
        login_user(user)
        csrf = generate_csrf()
        cookie = app.session_interface.get_signing_serializer(app).dumps(dict(session))
    return cookie, csrf


def _lua(pairs: list[tuple[int, str, str, str]]) -> str:
    return ", ".join(f'{{{sid}, "{token}", "{cookie}", "{csrf}"}}'
                     for sid, token, cookie, csrf in pairs)


def _floor_keys(backend: str) -> list[str]:
    return [key for key, endpoint in ceiling.ENDPOINTS.items() if endpoint.backend == backend]


def bench_backend(backend: str, database_url: str, args, hls_dir: Path, hls) -> dict:
    """Seed, then measure every endpoint `args.rounds` times, interleaved (baseline, app,
    baseline, ...), so a burst of load from elsewhere on the machine hits them alike. Each
    round's heartbeats use sessions of their own, so no run replays another's `seq`."""
    app = create_app("development", **_settings(database_url))
    with app.app_context():
        upgrade()
        pairs = seed(args.sessions, hls_dir, hls)
        rendition = hls.renditions[0].rendition.name
        db.session.remove()
        db.engine.dispose()
    env = common.app_env(database_url, INSTANCE_DIR,
                         MEDIA_ROOT=_settings(database_url)["MEDIA_ROOT"])
    threads = min(common.WRK_THREADS, args.connections)
    load = {"duration": args.duration, "connections": args.connections}
    # One group of sessions per heartbeat run, and one more for warming up.
    groups = 2 * args.rounds + 1
    beat_groups = [pairs["heartbeat"][i::groups] for i in range(groups)]
    segment_groups = [pairs["segment"][i::args.rounds] for i in range(args.rounds)]
    runs: dict[str, list] = {}

    def script(base: str, template: str, **values) -> common.WrkResult:
        return common.run_lua(base, template % values, args.duration, args.connections, threads)

    with contextlib.ExitStack() as stack:
        app_base = stack.enter_context(common.gunicorn("wsgi:app", env,
                                                       ready_path="/api/v1/courses"))
        floor_base = stack.enter_context(common.gunicorn("bench.alur_floor:app", env,
                                                         ready_path="/__floor"))
        bare_base = stack.enter_context(common.gunicorn(common.BASELINE_APP))
        floor_url = stack.enter_context(common.scratch_database(prefix="alur_bench_floor"))
        ceiling_base = stack.enter_context(ceiling.floor_server(floor_url))
        # Each server was warmed on its ready path (common.gunicorn); the app also runs the
        # heartbeat path once, on sessions of its own, before anything is measured.
        common.run_lua(app_base, HEARTBEAT_LUA % dict(sessions=_lua(beat_groups[-1]),
                                                      threads=threads, browser="false"),
                       common.WARMUP_SECONDS, args.connections, threads)
        for number in range(args.rounds):
            beats, more_beats = beat_groups[2 * number], beat_groups[2 * number + 1]
            segments = segment_groups[number]
            measured = {
                "baseline": common.run_wrk(bare_base + "/", **load),
                "heartbeat": script(app_base, HEARTBEAT_LUA, sessions=_lua(beats),
                                    threads=threads, browser="true"),
                "heartbeat_bearer": script(app_base, HEARTBEAT_LUA, sessions=_lua(more_beats),
                                           threads=threads, browser="false"),
                "segment": script(app_base, SEGMENT_LUA, sessions=_lua(segments),
                                  browser="true", segments=SEGMENTS_IN_LOOKAHEAD,
                                  rendition=rendition),
                "alur_floor": common.run_wrk(floor_base + "/__floor", **load),
                "alur_floor_signed_in": script(floor_base, FLOOR_LUA, sessions=_lua(segments),
                                               browser="true", path="/__floor/signed-in"),
                **{f"floor_{key}": ceiling.post(ceiling_base, key, args.duration,
                                                args.connections)
                   for key in _floor_keys(backend)},
            }
            for key, result in measured.items():
                runs.setdefault(key, []).append(result)
    return {key: (ceiling.median(results), [round(r.requests_per_second) for r in results])
            for key, results in runs.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=600,
                        help="learners (and open sessions) per path (default 600)")
    parser.add_argument("--duration", type=int, default=5,
                        help="seconds of load per endpoint and round (default 5)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="interleaved rounds; the median is reported (default 3)")
    parser.add_argument("--connections", type=int, default=common.WRK_CONNECTIONS)
    parser.add_argument("--backends", default="postgresql,sqlite",
                        help="comma-separated: postgresql, sqlite (default both)")
    args = parser.parse_args()

    media = Path(tempfile.mkdtemp(prefix="alur-bench-hls-"))
    hls_dir, hls = make_hls(media)
    report, rows = {}, []
    labels = {"heartbeat": "POST /api/v1/sessions/{id}/heartbeats (cookie, web player)",
              "heartbeat_bearer": "POST /api/v1/sessions/{id}/heartbeats (bearer token)",
              "segment": "GET /media/sessions/{id}/{rendition}/seg_N.ts (cookie)",
              "alur_floor": "Alur, an empty route (the stack's own cost)",
              "alur_floor_signed_in": "Alur, an empty route, signed in (cookie)",
              "baseline": "bare Flask GET / (baseline)"}
    for backend in [b.strip() for b in args.backends.split(",") if b.strip()]:
        if backend == "postgresql":
            with common.scratch_database(prefix="alur_bench_pacing") as url:
                results = bench_backend(backend, url, args, hls_dir, hls)
        elif backend == "sqlite":
            path = Path(INSTANCE_DIR) / "bench.sqlite3"
            results = bench_backend(backend, f"sqlite:///{path}", args, hls_dir, hls)
        else:
            raise SystemExit(f"unknown backend {backend!r}")
        baseline = results["baseline"][0].requests_per_second
        floor_key, floor = ceiling.floor_of(
            backend, {key[len("floor_"):]: result for key, (result, _) in results.items()
                      if key.startswith("floor_")})
        report[backend] = {key: {**result.as_dict(), "rounds_rps": all_rps,
                                 "ratio_to_baseline": round(result.requests_per_second
                                                            / baseline, 3),
                                 "ratio_to_floor": round(result.requests_per_second
                                                         / floor.requests_per_second, 3)}
                           for key, (result, all_rps) in results.items()}
        report[backend]["floor"] = floor_key
        shown = [(labels[key], results[key][0]) for key in labels if key != "baseline"]
        shown += [(f"floor: {ceiling.ENDPOINTS[key[len('floor_'):]].label}", result)
                  for key, (result, _) in results.items() if key.startswith("floor_")]
        shown.append((labels["baseline"], results["baseline"][0]))
        for label, r in shown:
            rows.append([backend, label, f"{r.requests_per_second:.0f}",
                         f"{r.latency_ms.get('p50', 0):.1f}", f"{r.latency_ms.get('p99', 0):.1f}",
                         f"{r.requests_per_second / baseline:.2f}",
                         f"{r.requests_per_second / floor.requests_per_second:.2f}",
                         r.non_2xx_3xx + r.socket_errors])
    shutil.rmtree(media, ignore_errors=True)
    shutil.rmtree(INSTANCE_DIR, ignore_errors=True)  # the SQLite database and stored media

    common.print_table(["backend", "endpoint", "req/s", "p50 ms", "p99 ms", "x baseline",
                        "x floor", "errors"], rows)
    path = common.write_results("heartbeat", {
        "benchmark": "heartbeat",
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": "python -m bench.heartbeat",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform()},
        "gunicorn": {"workers": common.GUNICORN_WORKERS, "threads": common.GUNICORN_THREADS,
                     "worker_class": "gthread"},
        "load": {"duration_s": args.duration, "connections": args.connections,
                 "rounds": args.rounds, "sessions_per_path": args.sessions,
                 "reported": "the round with the median req/s"},
        "target": "heartbeat and segment >= 0.9 x the floor of the same backend "
                  "(its fastest bench.ceiling endpoint doing a heartbeat's work)",
        "backends": report,
    })
    print(f"results written to {path.relative_to(common.ROOT)}")


if __name__ == "__main__":
    main()
