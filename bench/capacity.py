"""Capacity: how many learners can watch at once before the slowest answers pass 200 ms.

Run from the repository root:  python -m bench.capacity [--backends postgresql,sqlite]
                                   [--storage s3|local] [--max-learners 10000]
                                   [--learners 250,500,1000,...] [--step-seconds 25]

Each step serves N simulated learners, each on its own open video session, against gunicorn
(the same settings as every benchmark, bench/common.py) on PostgreSQL or SQLite, with media
on S3 (moto's S3 server on loopback, as tests/integration/conftest.py starts it) or local
storage. The load is open-loop: a wrk Lua script keeps a schedule per learner and paces each
request with wrk's `delay()`, so the offered rate is N x the per-learner rate below whatever
the server does, and the script also measures how late each request left against that
schedule (a saturated server shows up as lateness, not as a politely lower rate). wrk rather
than Locust because the load generator shares the two cores with the server: wrk's C event
loop with a small Lua script costs about 0.2 ms of CPU per request here (the `wrk cores`
column), where Locust runs every simulated user in Python at several times that. wrk's
Lua hooks do not say which connection asks, so the script keeps one schedule per wrk thread
and hands each request to whichever connection is free next.

What one learner sends (an app client with a bearer token, like bench.heartbeat's bearer row;
`mix_per_learner` has the rates):

* a heartbeat every 10 s (increasing seq, position advancing at 1x from its first heartbeat);
* a segment every 6 s, the next one the player needs: the web player buffers 12 s ahead
  (static/js/player.js), so segment k is fetched once 6k <= position + 12; while the buffer
  is full it re-requests its newest segment instead, so the rate stays one per 6 s from the
  first second. With S3 the gate answers a redirect to a presigned URL and the simulated
  player stops there (in production the bytes come from the store, not from this box);
* per module watched (`--module-minutes`, 9 by default: a 9-hour course of 60 modules): the
  outline (`GET /api/v1/enrollments/{id}`), a session opened on a module (`POST
  /api/v1/modules/{id}/sessions`), the master and the media playlist;
* per `--quiz-every` modules (5): a quiz attempt, started and submitted (wrong answers, so
  the quiz never completes and stays open to the next attempt).

Opening a session ends the learner's previous one, so the per-module session openings are
sent by a pool of other enrolled learners; the watchers' own sessions, each step on a fresh
video module, are opened in-process before the step (with the first 3 segments delivered,
what the player fetches before it starts). Quiz attempts are started in-process too, so the
script knows each attempt's id for its submit; its `POST .../attempts` then resumes that
attempt (the same checks and reads, without the insert).

Steps go up the `--learners` ladder (capped by `--max-learners`) until one fails, then
`--refine` bisection steps between the last pass and the first failure. A step passes with
no errors (non-2xx/3xx answers or socket errors) and p99 latency + p99 lateness <= 200 ms.
For each step, CPU is sampled from /proc over the step: the gunicorn processes (app), the
PostgreSQL backends of the bench's database, PostgreSQL's own background processes, wrk
(the load generator, on the same two cores) and this process (moto's S3 server), and what
the rest of the machine used. Then (`--calibrate`, on by default) each kind of request is
sent alone at a light load (400 learners, 40 requests/s) to cost it: CPU per request in the
app and the database, weighted by the mix into each kind's share of a learner's cost.
Writes bench/results/capacity.json and prints the tables.
Target: >= 10,000 learners on PostgreSQL with media on S3 (issue #15).
"""
from __future__ import annotations

import argparse
import contextlib
import json
import logging
import math
import os
import platform
import resource
import shutil
import string
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

# The app reads its instance folder at import: point it at a scratch folder first.
INSTANCE_DIR = tempfile.mkdtemp(prefix="alur-bench-capacity-")
os.environ["ALUR_INSTANCE_DIR"] = INSTANCE_DIR

import boto3  # noqa: E402
import psycopg  # noqa: E402
from flask import Flask, current_app  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from moto.server import ThreadedMotoServer  # noqa: E402
from sqlalchemy import select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench import common  # noqa: E402
from bench.transcode import make_source  # noqa: E402
from lms import create_app  # noqa: E402
from lms.accounts import services as accounts  # noqa: E402
from lms.accounts.models import Provider, Role, User  # noqa: E402
from lms.assessments import authoring, presenters, quizzes  # noqa: E402
from lms.assessments.models import QuizAttempt, QuizRole  # noqa: E402
from lms.assessments.rules import MAX_ATTEMPTS_ALLOWED  # noqa: E402
from lms.catalog import services as catalog  # noqa: E402
from lms.catalog.models import Course, Module, ModuleKind  # noqa: E402
from lms.extensions import db  # noqa: E402
from lms.learning.models import Enrollment  # noqa: E402
from lms.media.models import AssetStatus, VideoAsset  # noqa: E402
from lms.media.probe import probe_video  # noqa: E402
from lms.media.storage import make_storage  # noqa: E402
from lms.media.transcode import HlsResult, transcode_to_hls  # noqa: E402
from lms.pacing import rules, sessions  # noqa: E402

P99_LIMIT_MS = 200.0
TARGET_LEARNERS = 10_000
#: Each kind of request is also measured alone: this many learners, each sending it this
#: often (40 requests/s in all, a light load, so the cost is not inflated by queueing).
CALIBRATION_LEARNERS = 400
CALIBRATION_RATE = 0.1
DEFAULT_LADDER = "250,500,1000,1500,2000,3000,4000,6000,8000,10000"
#: What the player has fetched before it starts playing (12 s buffer + the segment playing).
PREDELIVERED_SEGMENTS = 3
#: The web player's forward buffer (static/js/player.js: hls.js maxBufferLength).
PLAYER_BUFFER_SECONDS = 12
HLS_PREFIX = "hls/capacity"
QUIZ_QUESTIONS = 5
QUIZ_TIME_LIMIT_SECONDS = 1800
S3_REGION, S3_KEY, S3_SECRET = "us-east-1", "bench", "bench-secret"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def mix_per_learner(module_seconds: float, quiz_every: int) -> dict[str, float]:
    """Requests per second one watching learner sends, by kind (module_seconds: how long a
    module's video lasts; quiz_every: modules per quiz attempt)."""
    per_module = 1.0 / module_seconds
    per_quiz = per_module / quiz_every
    return {"heartbeat": 1.0 / rules.HEARTBEAT_SECONDS, "segment": 1.0 / rules.SEGMENT_SECONDS,
            "outline": per_module, "open_session": per_module, "master_playlist": per_module,
            "media_playlist": per_module, "quiz_start": per_quiz, "quiz_submit": per_quiz}


# --- the load: a wrk Lua script with one schedule per learner --------------------------------

# Lists arrive as one string each ("a b c;a b c;..."), parsed in init(): a table constructor
# with thousands of entries would hit LuaJIT's per-function constant limit.
LUA = string.Template(r"""
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } capacity_timespec;
int clock_gettime(int clock, capacity_timespec *ts);
]]
local clock = ffi.new("capacity_timespec")
local function now()  -- wrk's Lua has no sub-second clock; CLOCK_MONOTONIC
  ffi.C.clock_gettime(1, clock)
  return tonumber(clock.tv_sec) + tonumber(clock.tv_nsec) * 1e-9
end

local nthreads = $threads
local rates = {$rates}
local video_module, quiz_module, rendition = $video_module, $quiz_module, "$rendition"
local segment_seconds, segment_total = $segment_seconds, $segment_total
local buffer_seconds, predelivered = $buffer_seconds, $predelivered
local json = {["Content-Type"] = "application/json"}

local threads = {}
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

-- This thread's share of a list "f1 f2 f3;f1 f2 f3;..." as tables of fields.
local function mine(packed)
  local out, i = {}, 0
  for entry in string.gmatch(packed, "[^;]+") do
    if i % nthreads == id then
      local fields = {}
      for f in string.gmatch(entry, "%S+") do table.insert(fields, f) end
      table.insert(out, fields)
    end
    i = i + 1
  end
  return out
end

-- A stream sends one kind of request for each of its items in turn, evenly spaced so that
-- each learner's own requests of that kind are 1/rate apart; `once` streams stop at the end.
local function add_stream(kind, items, per_learner_rate, once)
  if #items == 0 or per_learner_rate <= 0 then return end
  local period = 1 / (per_learner_rate * #learners)
  table.insert(streams, {kind = kind, items = items, period = period, once = once, next = 1,
                         due = start + period * ((#streams * 0.37) % 1)})
end

function init(args)
  learners = {}
  for _, w in ipairs(mine([==[$watchers]==])) do
    table.insert(learners, {sid = w[1], auth = {Authorization = "Bearer " .. w[2]},
                            eid = w[3], seq = 0, t0 = nil, next_segment = predelivered})
  end
  local starters = {}
  for _, s in ipairs(mine([==[$starters]==])) do
    table.insert(starters, {auth = {Authorization = "Bearer " .. s[1]}})
  end
  local quiz = {}
  for _, q in ipairs(mine([==[$takers]==])) do
    local taker = {auth = {Authorization = "Bearer " .. q[1]}, attempt = q[2], answers = q[3]}
    table.insert(quiz, {start = true, taker = taker})
    table.insert(quiz, {start = false, taker = taker})
  end
  start = now() + 0.05
  streams, pending, head, tail = {}, {}, 1, 0
  late, sent, statuses, errors = {}, {}, {}, {}
  if #learners == 0 then return end
  add_stream("heartbeat", learners, rates.heartbeat)
  add_stream("segment", learners, rates.segment)
  add_stream("outline", learners, rates.outline)
  add_stream("master_playlist", learners, rates.master_playlist)
  add_stream("media_playlist", learners, rates.media_playlist)
  add_stream("open_session", starters, rates.open_session)
  add_stream("quiz", quiz, rates.quiz_start + rates.quiz_submit, true)
end

-- The next request due on any stream, reserved for the connection asking.
local function reserve()
  local best = nil
  for _, s in ipairs(streams) do
    if not s.finished and (best == nil or s.due < best.due) then best = s end
  end
  if best == nil then return nil end
  local item = best.items[best.next]
  tail = tail + 1
  pending[tail] = {best.kind, item, best.due}
  best.due = best.due + best.period
  best.next = best.next + 1
  if best.next > #best.items then
    if best.once then best.finished = true else best.next = 1 end
  end
  return best
end

-- Called before each request of each connection: that request is the next one due.
function delay()
  if reserve() == nil then return 1000 end
  local wait = (pending[tail][3] - now()) * 1000
  if wait <= 0 then return 0 end
  return math.floor(wait)
end

local function media(learner, path)
  return wrk.format("GET", "/media/sessions/" .. learner.sid .. "/" .. path, learner.auth)
end

local build = {}
function build.heartbeat(learner, t)
  if learner.t0 == nil then learner.t0 = t end
  learner.seq = learner.seq + 1
  local body = string.format('{"position": %.1f, "playing": true, "rate": 1, "seq": %d}',
                             t - learner.t0, learner.seq)
  learner.auth["Content-Type"] = "application/json"
  local request = wrk.format("POST", "/api/v1/sessions/" .. learner.sid .. "/heartbeats",
                             learner.auth, body)
  learner.auth["Content-Type"] = nil
  return request
end
function build.segment(learner, t)
  -- The next segment once the 12 s buffer has room for it, else the newest one again.
  local index = learner.next_segment - 1
  if learner.t0 == nil and rates.heartbeat == 0 then learner.t0 = start end  -- calibration
  local playing = learner.t0 and t - learner.t0 or -1
  if playing >= 0 and learner.next_segment < segment_total
      and learner.next_segment * segment_seconds <= playing + buffer_seconds then
    index = learner.next_segment
    learner.next_segment = learner.next_segment + 1
  end
  return media(learner, string.format("%s/seg_%05d.ts", rendition, index))
end
function build.outline(learner)
  return wrk.format("GET", "/api/v1/enrollments/" .. learner.eid, learner.auth)
end
function build.master_playlist(learner) return media(learner, "master.m3u8") end
function build.media_playlist(learner) return media(learner, rendition .. "/index.m3u8") end
function build.open_session(starter)
  starter.auth["Content-Type"] = "application/json"
  local request = wrk.format("POST", "/api/v1/modules/" .. video_module .. "/sessions",
                             starter.auth, "{}")
  starter.auth["Content-Type"] = nil
  return request
end
function build.quiz(step)
  local taker = step.taker
  taker.auth["Content-Type"] = "application/json"
  local request
  if step.start then
    request = wrk.format("POST", "/api/v1/modules/" .. quiz_module .. "/attempts",
                         taker.auth, "{}")
  else
    request = wrk.format("POST", "/api/v1/attempts/" .. taker.attempt .. "/submit",
                         taker.auth, taker.answers)
  end
  taker.auth["Content-Type"] = nil
  return request
end

function request()
  if tail < head then reserve() end  -- a reconnection skips delay()
  local event = pending[head]
  if event == nil then  -- every stream ran out (takers are planned with room to spare)
    sent.spare = (sent.spare or 0) + 1
    return wrk.format("GET", "/api/v1/courses")
  end
  pending[head] = nil
  head = head + 1
  local t = now()
  local bucket = math.floor(math.max(0, t - event[3]) * 1000)
  late[bucket] = (late[bucket] or 0) + 1
  local kind = event[1]
  if kind == "quiz" then kind = event[2].start and "quiz_start" or "quiz_submit" end
  sent[kind] = (sent[kind] or 0) + 1
  return build[event[1]](event[2], t)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status >= 400 and #errors < 5 then
    table.insert(errors, status .. " " .. string.sub(body, 1, 160))
  end
end

function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    for name, values in pairs({late = thread:get("late"), sent = thread:get("sent"),
                               status = thread:get("statuses")}) do
      for key, count in pairs(values) do
        io.write(string.format("capacity: %s %s %d\n", name, key, count))
      end
    end
    for _, text in ipairs(thread:get("errors")) do
      io.write("capacity: error " .. string.gsub(text, "%s+", " ") .. "\n")
    end
  end
end
""")


# --- seeding -------------------------------------------------------------------------------

@dataclass
class World:
    """The seeded course: one video module per step (fresh progress each step) and a quiz."""

    course_id: int
    video_modules: list[int]
    quiz_module: int
    rendition: str
    segment_seconds: float
    segment_total: int
    learners: list[tuple[int, str, int]] = field(default_factory=list)  # user, token, enrollment


def make_hls(folder: Path, seconds: int) -> tuple[Path, HlsResult]:
    """A real HLS ladder of a 320x180 clip, transcoded once and shared by every module."""
    source = make_source(folder, seconds, 320, 180, 10)
    return folder / "hls", transcode_to_hls(source, folder / "hls", probe_video(source))


def _add_video(course: Course, number: int, hls: HlsResult) -> int:
    module = catalog.add_module(None, course, ModuleKind.VIDEO, f"Pelajaran {number}",
                                required=False, duration_seconds=hls.duration)
    db.session.add(VideoAsset(module_id=module.id, status=AssetStatus.READY,
                              source_key="sources/capacity", hls_prefix=HLS_PREFIX,
                              duration_seconds=hls.duration,
                              segment_seconds=hls.segment_seconds,
                              ready_at=datetime.now(timezone.utc)))
    return module.id


def _add_quiz(course: Course) -> int:
    """A quiz of five single-choice questions, 20 attempts, 30 minutes, not required (so the
    video modules stay open whatever the attempts score)."""
    module = catalog.add_module(None, course, ModuleKind.QUIZ, "Kuis", required=False)
    bank = authoring.create_bank(None, course, "Kuis pemasaran")
    authoring.add_questions(None, bank, [authoring.NewQuestion(
        "single", f"Soal {n}", [("Benar", True), ("Salah", False), ("Keliru", False)])
        for n in range(1, QUIZ_QUESTIONS + 1)])
    authoring.configure_quiz(None, module, bank, role=QuizRole.QUIZ, pass_percent=70,
                             attempts_allowed=MAX_ATTEMPTS_ALLOWED,
                             time_limit_seconds=QUIZ_TIME_LIMIT_SECONDS)
    return module.id


def seed_course(hls_dir: Path, hls: HlsResult, steps: int) -> World:
    provider = Provider(slug="bench-capacity", name="LPK Benchmark Kapasitas")
    db.session.add(provider)
    db.session.flush()
    course = catalog.create_course(None, provider, "bench-capacity", "Pemasaran Digital", "")
    videos = [_add_video(course, n + 1, hls) for n in range(steps)]
    quiz = _add_quiz(course)
    catalog.publish_course(None, course)
    make_storage(current_app.config).upload_dir(hls_dir, HLS_PREFIX)
    db.session.commit()
    return World(course.id, videos, quiz, hls.renditions[0].rendition.name,
                 float(hls.segment_seconds),
                 rules.segment_count(hls.duration, hls.segment_seconds))


def seed_learners(world: World, total: int) -> None:
    """Enroll learners until there are `total`, each with a bearer token."""
    course = db.session.get(Course, world.course_id)
    batch = []
    for n in range(len(world.learners), total):
        learner = User(email=f"peserta{n}@capacity.test", name=f"Peserta {n}",
                       password_hash="!", role=Role.LEARNER, locale="id")
        enrollment = Enrollment(user=learner, course=course, version=course.current_version)
        db.session.add_all([learner, enrollment])
        batch.append((learner, enrollment, accounts.create_api_token(learner, "capacity")))
    db.session.commit()
    world.learners.extend((u.id, token, e.id) for u, e, token in batch)


def _users(ids: list[int]) -> dict[int, User]:
    found: dict[int, User] = {}
    for start in range(0, len(ids), 1000):
        chunk = ids[start:start + 1000]
        found.update((u.id, u) for u in db.session.scalars(select(User).where(User.id.in_(chunk))))
    return found


def open_watch_sessions(world: World, count: int, module_id: int) -> list[int]:
    """Open a session for each of the first `count` learners on the step's module, with what
    the player fetched before it started playing counted as delivered."""
    users = _users([user_id for user_id, _, _ in world.learners[:count]])
    buffered = rules.encode_segments(range(PREDELIVERED_SEGMENTS))
    opened_ids = []
    for user_id, _, _ in world.learners[:count]:
        opened = sessions.open_session(users[user_id], module_id)
        opened.progress.delivered_segments = buffered
        opened_ids.append(opened.session.id)
    db.session.commit()
    return opened_ids


def wrong_answers(attempt: QuizAttempt) -> str:
    """The submit body choosing a wrong option of every question (the quiz stays open)."""
    right = presenters.correct_tokens(attempt)
    answers = {str(q.question_id): [next(o.option_id for o in q.options
                                         if o.option_id not in right.get(str(q.question_id), []))]
               for q in presenters.paper(attempt)}
    return json_compact({"answers": answers})


def json_compact(value: object) -> str:
    """JSON without spaces: the Lua lists split their fields on whitespace."""
    return json.dumps(value, separators=(",", ":"))


def start_quiz_attempts(world: World, takers: list[tuple[int, str, int]]) -> list[tuple]:
    """Start an attempt for each taker; (token, attempt id, submit body) each."""
    users = _users([user_id for user_id, _, _ in takers])
    quiz = db.session.get(Module, world.quiz_module)
    started = []
    for user_id, token, enrollment_id in takers:
        attempt, _ = quizzes.start_attempt(users[user_id], db.session.get(Enrollment,
                                                                            enrollment_id), quiz)
        db.session.flush()
        started.append((token, attempt.id, wrong_answers(attempt)))
    db.session.commit()
    return started


# --- one step --------------------------------------------------------------------------------

@dataclass
class StepPlan:
    """Who sends what in one step, packed for the Lua script."""

    learners: int
    module_id: int
    watchers: str  # "session token enrollment;..."
    starters: str  # "token;..."
    takers: str  # "token attempt answers;..."
    mix: dict[str, float]  # requests per learner-second, by kind
    seconds: int  # how long the load runs
    prepare_seconds: float


def _pack(rows: list[tuple]) -> str:
    return ";".join(" ".join(str(value) for value in row) for row in rows)


def plan_step(world: World, learners: int, index: int, mix: dict[str, float], seconds: int,
              args: argparse.Namespace) -> StepPlan:
    """Seed what the step needs (in-process, before the clock starts): enough learners, the
    watchers' sessions on this step's module, the quiz attempts the script will submit."""
    began = time.monotonic()
    starters = math.ceil(learners * seconds * mix["open_session"]) + args.wrk_threads
    # A fifth more attempts than the step's schedule reaches, so the quiz never runs out.
    takers = min(learners, math.ceil(learners * seconds * mix["quiz_start"] * 1.2)
                 + 2 * args.wrk_threads)
    seed_learners(world, learners + starters)
    module_id = world.video_modules[index]
    session_ids = open_watch_sessions(world, learners, module_id)
    watching = world.learners[:learners]
    offset = (index * takers) % learners  # a different few take the quiz each step
    attempts = start_quiz_attempts(world, (watching + watching)[offset:offset + takers])
    return StepPlan(
        learners=learners, module_id=module_id,
        watchers=_pack([(sid, token, enrollment) for sid, (_, token, enrollment)
                        in zip(session_ids, watching)]),
        starters=_pack([(token,) for _, token, _ in
                        world.learners[learners:learners + starters]]),
        takers=_pack(attempts), mix=mix, seconds=seconds,
        prepare_seconds=round(time.monotonic() - began, 1))


def lua_script(world: World, plan: StepPlan, args: argparse.Namespace) -> str:
    return LUA.substitute(
        threads=args.wrk_threads,
        rates=", ".join(f"{k} = {v!r}" for k, v in plan.mix.items()),
        video_module=plan.module_id, quiz_module=world.quiz_module, rendition=world.rendition,
        segment_seconds=world.segment_seconds, segment_total=world.segment_total,
        buffer_seconds=PLAYER_BUFFER_SECONDS, predelivered=PREDELIVERED_SEGMENTS,
        watchers=plan.watchers, starters=plan.starters, takers=plan.takers)


@dataclass
class ScriptReport:
    """What the Lua script counted: lateness against the schedule, requests sent by kind,
    answers by status, the first error bodies."""

    late_ms: dict[int, int] = field(default_factory=dict)
    sent: dict[str, int] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def late_percentile(self, fraction: float) -> float:
        total = sum(self.late_ms.values())
        seen = 0
        for bucket in sorted(self.late_ms):
            seen += self.late_ms[bucket]
            if seen >= fraction * total:
                return float(bucket)
        return 0.0


def parse_script_report(output: str) -> ScriptReport:
    report = ScriptReport()
    for line in output.splitlines():
        if not line.startswith("capacity: "):
            continue
        _, name, rest = line.split(" ", 2)
        if name == "error":
            report.errors.append(rest)
            continue
        key, count = rest.rsplit(" ", 1)
        if name == "late":
            report.late_ms[int(key)] = report.late_ms.get(int(key), 0) + int(count)
        else:
            target = report.sent if name == "sent" else report.statuses
            target[key] = target.get(key, 0) + int(count)
    return report


# --- where the CPU goes ----------------------------------------------------------------------

def process_ticks(pid: int) -> int | None:
    """User + system CPU ticks of a process (None once it is gone)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)


def gunicorn_pids(base: str) -> list[int]:
    """The gunicorn master and workers serving `base` (workers share the master's command)."""
    bind = f"127.0.0.1:{urlsplit(base).port}".encode()
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if b"gunicorn" in command and bind in command:
            pids.append(int(entry.name))
    return pids


def postgres_pids(database_url: str) -> dict[str, list[int]]:
    """The backends connected to the bench's database, and PostgreSQL's own background
    processes (WAL writer, checkpointer, ...: shared with anything else on the server)."""
    groups: dict[str, list[int]] = {"database": [], "database_background": []}
    if not database_url.startswith("postgresql"):
        return groups
    name = make_url(database_url).database
    with psycopg.connect(common.psycopg_dsn(database_url)) as conn:
        rows = conn.execute("SELECT pid, datname, backend_type FROM pg_stat_activity "
                            "WHERE pid <> pg_backend_pid()").fetchall()
    for pid, datname, kind in rows:
        if datname == name:
            groups["database"].append(pid)
        elif datname is None and kind != "client backend":
            groups["database_background"].append(pid)
    return groups


def machine_ticks() -> tuple[int, int, int]:
    """(busy, waiting on disk, total) CPU ticks of the whole machine, all cores."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    idle, iowait = values[3], values[4]
    return sum(values) - idle - iowait, iowait, sum(values)


def _rusage_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


class CpuProbe:
    """CPU used over one step by the app, the database, wrk (a child of this process, counted
    when reaped) and this process (moto's S3 server thread), and by the rest of the machine."""

    def __init__(self, base: str, database_url: str) -> None:
        self.base, self.database_url = base, database_url

    def _groups(self) -> dict[str, dict[int, int]]:
        pids = {"app": gunicorn_pids(self.base), **postgres_pids(self.database_url)}
        return {group: {pid: ticks for pid in members
                        if (ticks := process_ticks(pid)) is not None}
                for group, members in pids.items()}

    def start(self) -> None:
        self.before = self._groups()
        self.machine_before = machine_ticks()
        self.wrk_before = _rusage_seconds(resource.RUSAGE_CHILDREN)
        self.self_before = _rusage_seconds(resource.RUSAGE_SELF)
        self.began = time.monotonic()

    def stop(self) -> dict[str, float]:
        """CPU seconds per group over the step, plus `wall` seconds, the machine's busy
        seconds (`machine`), its idle seconds spent waiting on the disk (`iowait`) and its
        capacity (`machine_capacity` = cores x wall)."""
        after = self._groups()
        busy, iowait, total = (b - a for b, a in zip(machine_ticks(), self.machine_before))
        used = {group: sum(ticks - self.before.get(group, {}).get(pid, 0)
                           for pid, ticks in members.items()) / CLOCK_TICKS
                for group, members in after.items()}
        used["load_generator"] = _rusage_seconds(resource.RUSAGE_CHILDREN) - self.wrk_before
        used["bench_and_s3"] = _rusage_seconds(resource.RUSAGE_SELF) - self.self_before
        used["machine"] = busy / CLOCK_TICKS
        used["other"] = max(0.0, used["machine"] - sum(
            used[k] for k in ("app", "database", "database_background", "load_generator",
                              "bench_and_s3")))
        # Idle cores waiting on the disk: commits' fsyncs, when the app is not CPU-bound.
        used["iowait"] = iowait / CLOCK_TICKS
        used["machine_capacity"] = total / CLOCK_TICKS
        used["wall"] = time.monotonic() - self.began
        return {key: round(value, 2) for key, value in used.items()}


def offered_rps(plan: StepPlan) -> float:
    return plan.learners * sum(plan.mix.values())


def connections_for(plan: StepPlan, args: argparse.Namespace) -> int:
    """Enough connections that a request waits for a free one only once answers take longer
    than the 200 ms limit (offered rate x 0.2 s in flight), so lateness blames the server."""
    return max(args.connections, math.ceil(offered_rps(plan) * P99_LIMIT_MS / 1000))


def run_step(base: str, world: World, plan: StepPlan, args: argparse.Namespace,
             probe: CpuProbe) -> dict:
    """Drive one step with wrk and judge it."""
    binary = shutil.which("wrk")
    if binary is None:
        raise RuntimeError("wrk is not installed (Debian package `wrk`)")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(lua_script(world, plan, args))
    connections = connections_for(plan, args)
    command = [binary, "--latency", f"-t{args.wrk_threads}", f"-c{connections}",
               f"-d{plan.seconds}s", "--timeout=5s", "-s", handle.name, base]
    probe.start()
    try:
        completed = subprocess.run(command, capture_output=True, text=True,
                                   timeout=plan.seconds + 60)
    finally:
        os.unlink(handle.name)
    cpu = probe.stop()
    if completed.returncode or completed.stderr.strip():
        # A Lua error in init() leaves wrk sending its default request: never a result.
        raise RuntimeError(f"wrk failed ({completed.returncode}): {completed.stderr.strip()}")
    wrk = common.parse_wrk(completed.stdout, base, plan.seconds, connections)
    script = parse_script_report(completed.stdout)
    return judge(plan, wrk, script, cpu, args)


def judge(plan: StepPlan, wrk: common.WrkResult, script: ScriptReport, cpu: dict[str, float],
          args: argparse.Namespace) -> dict:
    offered = offered_rps(plan)
    p99, late_p99 = wrk.latency_ms.get("p99", 0.0), script.late_percentile(0.99)
    errors = wrk.non_2xx_3xx + wrk.socket_errors
    requests = max(wrk.requests, 1)
    return {
        "learners": plan.learners,
        "passed": errors == 0 and p99 + late_p99 <= P99_LIMIT_MS,
        "offered_rps": round(offered, 1),
        "achieved_rps": wrk.requests_per_second,
        "connections": wrk.connections,
        "latency_ms": wrk.latency_ms,
        "late_ms": {"p50": script.late_percentile(0.5), "p99": late_p99,
                    "max": float(max(script.late_ms, default=0))},
        "errors": errors, "non_2xx_3xx": wrk.non_2xx_3xx, "socket_errors": wrk.socket_errors,
        "sent": script.sent, "statuses": script.statuses, "first_errors": script.errors,
        "cpu_seconds": cpu,
        "cpu_ms_per_request": {group: round(cpu[group] * 1000 / requests, 2)
                               for group in ("app", "database", "database_background",
                                             "load_generator")},
        "prepare_seconds": plan.prepare_seconds,
    }


# --- backends, storage, the ladder -----------------------------------------------------------

@contextlib.contextmanager
def database(backend: str) -> Iterator[str]:
    """A scratch PostgreSQL database, or a SQLite file in the instance folder."""
    if backend == "postgresql":
        with common.scratch_database(prefix="alur_bench_capacity") as url:
            yield url
    elif backend == "sqlite":
        path = Path(INSTANCE_DIR) / f"capacity-{uuid.uuid4().hex[:8]}.sqlite3"
        try:
            yield f"sqlite:///{path}"
        finally:
            for leftover in path.parent.glob(path.name + "*"):
                leftover.unlink()
    else:
        raise SystemExit(f"unknown backend {backend!r}")


@contextlib.contextmanager
def media_store(kind: str) -> Iterator[dict[str, str]]:
    """The app's media settings (as environment strings): a bucket on a moto S3 server on
    loopback, stopped at the end, or a local folder."""
    if kind == "local":
        yield {"MEDIA_ROOT": os.path.join(INSTANCE_DIR, "media")}
        return
    if kind != "s3":
        raise SystemExit(f"unknown storage {kind!r}")
    port = common.free_port()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's server logs every request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        endpoint, bucket = f"http://127.0.0.1:{port}", f"alur-capacity-{uuid.uuid4().hex[:8]}"
        boto3.client("s3", endpoint_url=endpoint, region_name=S3_REGION,
                     aws_access_key_id=S3_KEY, aws_secret_access_key=S3_SECRET
                     ).create_bucket(Bucket=bucket)
        yield {"S3_BUCKET": bucket, "S3_ENDPOINT_URL": endpoint, "S3_PATH_STYLE": "true",
               "S3_REGION": S3_REGION, "S3_ACCESS_KEY_ID": S3_KEY,
               "S3_SECRET_ACCESS_KEY": S3_SECRET}
    finally:
        server.stop()


def app_settings(database_url: str, store: dict[str, str]) -> dict:
    """Settings of the in-process app that seeds (the served one reads the environment)."""
    settings = {"SQLALCHEMY_DATABASE_URI": database_url, "HUEY_IMMEDIATE": False,
                "HUEY_SQLITE_PATH": os.path.join(INSTANCE_DIR, "jobs.sqlite3"), **store}
    if "S3_PATH_STYLE" in store:
        settings["S3_PATH_STYLE"] = True
    return settings


def ladder(args: argparse.Namespace) -> list[int]:
    """The steps below --max-learners, then --max-learners itself."""
    below = sorted({int(n) for n in args.learners.split(",") if 0 < int(n) < args.max_learners})
    return below + [args.max_learners]


def bisect(passed: int, failed: int) -> int | None:
    """A step between the last pass and the first failure, rounded to 50 learners; None when
    they are already that close."""
    middle = int(round((passed + failed) / 2 / 50) * 50)
    return middle if passed < middle < failed else None


class Served:
    """One backend's seeded world and its gunicorn; each step takes the next fresh module."""

    def __init__(self, backend: str, app: Flask, world: World, base: str, database_url: str,
                 args: argparse.Namespace) -> None:
        self.backend, self.app, self.world, self.base, self.args = \
            backend, app, world, base, args
        self.probe = CpuProbe(base, database_url)
        self.used = 0

    def step(self, learners: int, mix: dict[str, float], seconds: int) -> dict:
        with self.app.app_context():
            plan = plan_step(self.world, learners, self.used, mix, seconds, self.args)
            db.session.remove()
            db.engine.dispose()  # no idle connection of ours among the backends
        self.used += 1
        return run_step(self.base, self.world, plan, self.args, self.probe)


def climb(served: Served, args: argparse.Namespace) -> dict:
    """Up the ladder to the first failing step, then bisect towards the last passing one."""
    mix = mix_per_learner(args.module_minutes * 60, args.quiz_every)
    results: list[dict] = []

    def passes(learners: int) -> bool:
        results.append(served.step(learners, mix, args.step_seconds))
        print(f"{served.backend}/{args.storage}: {step_line(results[-1])}", flush=True)
        return results[-1]["passed"]

    passed, failed = 0, None
    for learners in ladder(args):
        if not passes(learners):
            failed = learners
            break
        passed = learners
    for _ in range(args.refine):
        middle = bisect(passed, failed) if failed else None
        if middle is None:
            break
        if passes(middle):
            passed = middle
        else:
            failed = middle
    served_steps = [r for r in results if r["passed"]]
    return {"largest_passing": passed, "first_failing": failed, "steps": results,
            "projection": projection(max(served_steps, key=lambda r: r["learners"]))
            if served_steps else None}


def calibration_mixes() -> dict[str, dict[str, float]]:
    """One mix per kind of request, that kind alone at CALIBRATION_RATE per learner (a quiz
    attempt: its start and its submit)."""
    silent = {kind: 0.0 for kind in mix_per_learner(60, 1)}
    mixes = {kind: {**silent, kind: CALIBRATION_RATE} for kind in silent
             if not kind.startswith("quiz_")}
    mixes["quiz"] = {**silent, "quiz_start": CALIBRATION_RATE / 2,
                     "quiz_submit": CALIBRATION_RATE / 2}
    return mixes


def calibrate(served: Served, args: argparse.Namespace) -> dict[str, dict]:
    """What each kind of request costs alone, at a light load: CPU per request of the app and
    the database, and its latency."""
    costs = {}
    for kind, mix in calibration_mixes().items():
        costs[kind] = served.step(CALIBRATION_LEARNERS, mix, args.calibrate_seconds)
        print(f"{served.backend}/{args.storage}: {kind} alone: "
              f"{step_line(costs[kind])}", flush=True)
    return costs


def learner_cost(costs: dict[str, dict], mix: dict[str, float]) -> dict:
    """CPU milliseconds per second one watching learner costs (app + database), from each
    kind's cost alone weighted by the mix, and each kind's share of it."""
    groups = ("app", "database", "database_background")
    by_kind: dict[str, float] = {}
    for kind, rate in mix.items():
        cost = costs[kind if kind in costs else "quiz"]["cpu_ms_per_request"]
        by_kind[kind] = rate * sum(cost[group] for group in groups)
    total = sum(by_kind.values())
    return {"cpu_ms_per_learner_second": round(total, 3),
            "share_by_kind": {kind: round(value / total, 3) for kind, value in by_kind.items()}
            if total else {}}


def projection(step: dict) -> dict:
    """From a served step: app and database cores per 1,000 learners, and the cores the
    10,000-learner target would need at that cost (the load generator not included)."""
    cpu, per = step["cpu_seconds"], step["learners"] / 1000
    wall = cpu["wall"] or 1
    app = cpu["app"] / wall / per
    database = (cpu["database"] + cpu["database_background"]) / wall / per
    return {"learners": step["learners"], "app_cores_per_1000": round(app, 3),
            "database_cores_per_1000": round(database, 3),
            "cores_for_target": round((app + database) * TARGET_LEARNERS / 1000, 1)}


def bench_backend(backend: str, args: argparse.Namespace, hls_dir: Path,
                  hls: HlsResult) -> dict:
    modules = len(ladder(args)) + args.refine + (len(calibration_mixes()) if args.calibrate
                                                 else 0)
    with database(backend) as url, media_store(args.storage) as store:
        app = create_app("development", **app_settings(url, store))
        with app.app_context():
            upgrade()
            world = seed_course(hls_dir, hls, modules)
            db.session.remove()
        env = common.app_env(url, INSTANCE_DIR, HUEY_SQLITE_PATH=os.path.join(
            INSTANCE_DIR, "jobs.sqlite3"), **store)
        with common.gunicorn("wsgi:app", env, ready_path="/api/v1/courses") as base:
            served = Served(backend, app, world, base, url, args)
            outcome = climb(served, args)
            if args.calibrate:
                outcome["cost_by_kind"] = calibrate(served, args)
                outcome["cost_per_learner"] = learner_cost(
                    outcome["cost_by_kind"],
                    mix_per_learner(args.module_minutes * 60, args.quiz_every))
    return outcome


def step_line(result: dict) -> str:
    cpu = result["cpu_seconds"]
    wall = cpu["wall"] or 1
    return (f"{result['learners']} learners: {result['achieved_rps']:.0f}/"
            f"{result['offered_rps']:.0f} req/s, p99 {result['latency_ms'].get('p99', 0):.0f} ms"
            f" + late {result['late_ms']['p99']:.0f} ms, errors {result['errors']}, "
            f"app {cpu['app'] / wall:.2f} cores, db {cpu['database'] / wall:.2f}, "
            f"wrk {cpu['load_generator'] / wall:.2f}, machine {cpu['machine'] / wall:.2f}"
            f" -> {'pass' if result['passed'] else 'FAIL'}")


def cpu_split(result: dict) -> list[str]:
    """The step's CPU as cores used (CPU-seconds per second) per group."""
    cpu = result["cpu_seconds"]
    wall = cpu["wall"] or 1
    return [f"{cpu[k] / wall:.2f}" for k in ("app", "database", "database_background",
                                             "load_generator", "bench_and_s3", "other")]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="postgresql,sqlite",
                        help="comma-separated: postgresql, sqlite (default both)")
    parser.add_argument("--storage", default="s3", choices=["s3", "local"],
                        help="media on moto's S3 server (default) or the local folder")
    parser.add_argument("--learners", default=DEFAULT_LADDER,
                        help=f"the ladder of learners per step (default {DEFAULT_LADDER})")
    parser.add_argument("--max-learners", type=int, default=TARGET_LEARNERS,
                        help="the last step of the ladder (default 10000, the target)")
    parser.add_argument("--refine", type=int, default=2,
                        help="bisection steps after the first failure (default 2)")
    parser.add_argument("--step-seconds", type=int, default=25,
                        help="seconds of load per step (default 25)")
    parser.add_argument("--module-minutes", type=float, default=9.0,
                        help="video minutes per module: sets the outline, session and "
                             "playlist rates (default 9)")
    parser.add_argument("--quiz-every", type=int, default=5,
                        help="modules per quiz attempt (default 5)")
    parser.add_argument("--connections", type=int, default=64,
                        help="fewest wrk connections (default 64; more when the offered rate "
                             "x 0.2 s is more)")
    parser.add_argument("--calibrate", action=argparse.BooleanOptionalAction, default=True,
                        help="also measure each kind of request alone (default on)")
    parser.add_argument("--calibrate-seconds", type=int, default=10,
                        help="seconds of load per kind when costing it alone (default 10)")
    parser.add_argument("--wrk-threads", type=int, default=1,
                        help="wrk threads (default 1: the load generator shares the cores)")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    media = Path(tempfile.mkdtemp(prefix="alur-bench-capacity-hls-"))
    # Long enough that no learner reaches the end within a step.
    longest = max(args.step_seconds, args.calibrate_seconds)
    seconds = 6 * math.ceil(max(60, longest + 2 * PLAYER_BUFFER_SECONDS) / 6)
    load_at_start = os.getloadavg()
    report: dict[str, dict] = {}
    try:
        hls_dir, hls = make_hls(media, seconds)
        for backend in [b.strip() for b in args.backends.split(",") if b.strip()]:
            report[backend] = bench_backend(backend, args, hls_dir, hls)
    finally:
        shutil.rmtree(media, ignore_errors=True)
        shutil.rmtree(INSTANCE_DIR, ignore_errors=True)
    print_report(report, args)
    path = save(report, args, load_at_start)
    print(f"results written to {path.relative_to(common.ROOT)}")


def save(report: dict[str, dict], args: argparse.Namespace,
         load_at_start: tuple[float, float, float]) -> Path:
    return common.write_results("capacity", {
        "benchmark": "capacity",
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": "python -m bench.capacity",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform(),
                    "load_average_at_start": [round(v, 2) for v in load_at_start],
                    "load_average_at_end": [round(v, 2) for v in os.getloadavg()]},
        "gunicorn": {"workers": common.GUNICORN_WORKERS, "threads": common.GUNICORN_THREADS,
                     "worker_class": "gthread"},
        "storage": args.storage,
        "load": {"step_seconds": args.step_seconds, "min_connections": args.connections,
                 "calibrate_seconds": args.calibrate_seconds if args.calibrate else None,
                 "wrk_threads": args.wrk_threads, "module_minutes": args.module_minutes,
                 "quiz_every_modules": args.quiz_every,
                 "per_learner_rps": mix_per_learner(args.module_minutes * 60,
                                                    args.quiz_every)},
        "pass_rule": f"no errors and p99 latency + p99 lateness <= {P99_LIMIT_MS:.0f} ms",
        "target": f"largest_passing >= {TARGET_LEARNERS} on postgresql with media on s3",
        "backends": report,
    })


def print_report(report: dict[str, dict], args: argparse.Namespace) -> None:
    print_steps(report, args)
    print_costs(report)
    print_projections(report)
    for backend, outcome in report.items():
        print(f"{backend}/{args.storage}: largest N served with p99 <= {P99_LIMIT_MS:.0f} ms "
              f"and no errors: {outcome['largest_passing']}")


def print_steps(report: dict[str, dict], args: argparse.Namespace) -> None:
    rows = []
    for backend, outcome in report.items():
        for result in outcome["steps"]:
            rows.append([backend, args.storage, result["learners"],
                         f"{result['achieved_rps']:.0f} / {result['offered_rps']:.0f}",
                         f"{result['latency_ms'].get('p99', 0):.0f}",
                         f"{result['late_ms']['p99']:.0f}", result["errors"],
                         *cpu_split(result), "pass" if result["passed"] else "FAIL"])
    common.print_table(["backend", "media", "learners", "req/s done / offered", "p99 ms",
                        "late p99 ms", "errors", "app cores", "db cores", "db bg cores",
                        "wrk cores", "s3+bench cores", "other cores", "step"], rows)


def print_costs(report: dict[str, dict]) -> None:
    """Each kind's cost alone, then what one learner costs and what the target would take."""
    rows = []
    for backend, outcome in report.items():
        for kind, result in outcome.get("cost_by_kind", {}).items():
            cost = result["cpu_ms_per_request"]
            rows.append([backend, kind, f"{result['achieved_rps']:.0f}",
                         f"{result['latency_ms'].get('p50', 0):.1f}",
                         f"{result['latency_ms'].get('p99', 0):.1f}", result["errors"],
                         cost["app"], cost["database"], cost["database_background"]])
    if not rows:
        return
    print()
    common.print_table(["backend", "alone", "req/s", "p50 ms", "p99 ms", "errors",
                        "app CPU ms/req", "db CPU ms/req", "db bg CPU ms/req"], rows)
    for backend, outcome in report.items():
        cost = outcome.get("cost_per_learner")
        if cost:
            shares = ", ".join(f"{kind} {share:.0%}" for kind, share
                               in sorted(cost["share_by_kind"].items(), key=lambda kv: -kv[1]))
            print(f"{backend}: one learner, each kind costed alone: "
                  f"{cost['cpu_ms_per_learner_second']} ms CPU per second ({shares})")


def print_projections(report: dict[str, dict]) -> None:
    for backend, outcome in report.items():
        seen = outcome.get("projection")
        if seen:
            print(f"{backend}: at {seen['learners']} learners the app used "
                  f"{seen['app_cores_per_1000']} cores and the database "
                  f"{seen['database_cores_per_1000']} cores per 1,000 learners: "
                  f"{TARGET_LEARNERS:,} learners would need {seen['cores_for_target']} cores "
                  f"without the load generator")


if __name__ == "__main__":
    main()
