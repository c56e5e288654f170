"""Each check is a pure function of an evidence summary: it fires on the cheater built for it
and stays silent on an honest learner's evidence."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.verification import checks
from lms.verification.summary import (AttemptFacts, BeatFacts, DeviceUse, EvidenceSummary,
                                      SegmentFacts, SessionFacts, Thresholds)

T0 = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)
LIMITS = Thresholds()
SEG = 6.0
#: Intervals measured between a real Chromium player's heartbeats (the browser tests).
CHROMIUM_JITTER = (-0.0032, -0.0002, 0.0048, -0.0005, -0.0005, 0.0021, -0.0017, 0.0009)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def session(sid: int = 1, start: float = 0, seen: float = 600, device_id: str = "dev-a",
            ip: str = "10.0.0.1", ended: float | None = None, reason: str | None = None,
            kind: str = "video") -> SessionFacts:
    return SessionFacts(session_id=sid, module_id=1, kind=kind, started_at=at(start),
                        last_seen_at=at(seen), ended_at=None if ended is None else at(ended),
                        end_reason=reason, device_id=device_id, ip=ip,
                        user_agent="Mozilla/5.0 Chrome/120", segment_seconds=SEG)


def honest_beats(sid: int = 1, start: float = 0, seconds: int = 600,
                 jitter=CHROMIUM_JITTER) -> list[BeatFacts]:
    """A browser at 1x: a report every ~10 s with a timer's millisecond jitter, credited 10 s."""
    beats, t = [], start
    for n in range(seconds // 10 + 1):
        beats.append(BeatFacts(sid, at(t), float(n * 10), True, "accepted",
                               10.0 if n else 0.0, 10.0 if n else 0.0))
        t += 10 + jitter[n % len(jitter)]
    return beats


def served(sid: int = 1, seconds: int = 600, start: float = 0) -> list[SegmentFacts]:
    return [SegmentFacts(sid, at(start + i * SEG - 20), i, True)
            for i in range(int(seconds // SEG) + 1)]


def honest(**changes) -> EvidenceSummary:
    values = dict(sessions=(session(),), beats=tuple(honest_beats()),
                  segments=tuple(served()), media_seconds=600.0,
                  attempts=(AttemptFacts(2, "Post-test", at(700), at(760), 5),),
                  device_uses=(DeviceUse("dev-a", "device_id", 1),))
    values.update(changes)
    return EvidenceSummary(**values)


def bot_beats(count: int) -> tuple[BeatFacts, ...]:
    return tuple(BeatFacts(1, at(n * 10.0), n * 10.0, True, "accepted", 10.0 if n else 0.0,
                           10.0) for n in range(count))


CHEATERS = {
    checks.TOO_FAST: honest(sessions=(session(seen=120),)),
    checks.OVERLAPPING_SESSIONS: honest(sessions=tuple(
        session(sid=n + 1, start=n * 60, seen=n * 60 + 58, device_id="dev-b" if n % 2 else "dev-a",
                ended=n * 60 + 60, reason="replaced") for n in range(10))),
    checks.MACHINE_REGULAR_HEARTBEATS: honest(
        sessions=(session(seen=2000),), beats=bot_beats(200), segments=tuple(served(seconds=2000))),
    checks.SHARED_DEVICE: honest(device_uses=(DeviceUse("dev-a", "device_id", 10),)),
    checks.DELIVERY_GAP: honest(segments=tuple(served(seconds=300))),
    checks.ATTENDANCE_MISSED: honest(attendance_required=True,
                                     study_days=frozenset({date(2026, 3, 2), date(2026, 3, 3)}),
                                     attended_days=frozenset({date(2026, 3, 2)})),
    checks.RAPID_ANSWERS: honest(attempts=(AttemptFacts(2, "Post-test", at(700), at(702), 5),)),
}


def test_every_flag_code_has_a_cheater():
    assert set(CHEATERS) == set(checks.CODES)


def test_an_honest_learner_raises_no_flag():
    assert checks.run_checks(honest(), LIMITS) == []


@pytest.mark.parametrize("code", checks.CODES)
def test_each_check_fires_on_its_cheater_and_only_that_check(code):
    flags = checks.run_checks(CHEATERS[code], LIMITS)
    assert [f.code for f in flags] == [code]
    assert flags[0].detail and flags[0].params


@pytest.mark.parametrize(("summary", "silent"), [
    # One takeover and back (phone to laptop and back) is how people study.
    (honest(sessions=(session(1, 0, 200, "a", ended=200, reason="replaced"),
                      session(2, 200, 400, "b", ended=400, reason="replaced"),
                      session(3, 400, 600, "a"))), True),
    # The replaced player's last report arrives a few seconds after the takeover.
    (honest(sessions=(session(1, 0, 208, "a", ended=200, reason="replaced"),
                      session(2, 200, 600, "b"))), True),
    (honest(sessions=(session(1, 0, 300, "a"), session(2, 100, 600, "b"))), False),
    # The same browser (reading page and player) without a device id on one of them.
    (honest(sessions=(session(1, 0, 300, "a"), session(2, 100, 600, "", kind="reading"))), True),
])
def test_overlap_needs_two_devices_active_together(summary, silent):
    assert (checks.overlapping_sessions(summary, LIMITS) is None) is silent


@pytest.mark.parametrize(("beats", "silent"), [
    (bot_beats(LIMITS.regular_run_beats + 1), False),
    (bot_beats(LIMITS.regular_run_beats - 1), True),  # short exact runs: too little evidence
    (tuple(honest_beats(seconds=3600)), True),  # an hour of a real browser's timer
])
def test_regular_heartbeats_need_a_long_run_exact_to_the_millisecond(beats, silent):
    summary = honest(beats=beats, sessions=(session(seen=4000),))
    assert (checks.machine_regular_heartbeats(summary, LIMITS) is None) is silent


def test_a_pause_breaks_a_regular_run():
    beats = list(bot_beats(300))
    beats[150] = BeatFacts(1, beats[150].at, beats[150].position, False, "accepted", 0, 0)
    summary = honest(beats=tuple(beats), sessions=(session(seen=4000),))
    assert checks.machine_regular_heartbeats(summary, LIMITS) is None


@pytest.mark.parametrize(("learners", "silent"), [(1, True), (3, True), (4, False), (10, False)])
def test_shared_device_counts_learners_beyond_the_threshold(learners, silent):
    summary = honest(device_uses=(DeviceUse("10.0.0.1 UA", "address", learners),))
    assert (checks.shared_device(summary, LIMITS) is None) is silent


@pytest.mark.parametrize(("seconds", "questions", "silent"), [
    (2, 5, False), (14, 5, False), (15, 5, True), (600, 20, True), (0, 0, True)])
def test_rapid_answers_compares_time_with_the_questions(seconds, questions, silent):
    summary = honest(attempts=(AttemptFacts(2, "Quiz", at(0), at(seconds), questions),))
    assert (checks.rapid_answers(summary, LIMITS) is None) is silent


def test_attendance_is_checked_only_where_required():
    summary = honest(study_days=frozenset({date(2026, 3, 2)}))
    assert checks.attendance_missed(summary, LIMITS) is None
    assert checks.attendance_missed(
        honest(attendance_required=True, study_days=frozenset({date(2026, 3, 2)}),
               attended_days=frozenset({date(2026, 3, 2)})), LIMITS) is None


@settings(max_examples=60, deadline=None)
@given(seconds=st.integers(min_value=10, max_value=3600),
       jitter=st.lists(st.floats(min_value=0.0015, max_value=0.05), min_size=2, max_size=8)
       .map(lambda xs: tuple(x if i % 2 else -x for i, x in enumerate(xs))),
       quiz_seconds=st.integers(min_value=15, max_value=3600))
def test_no_honest_browser_session_is_flagged(seconds, jitter, quiz_seconds):
    """Any length of watching at 1x with a browser timer's jitter, every segment delivered
    and a quiz taken at reading speed raises no flag."""
    summary = honest(sessions=(session(seen=seconds + 5),),
                     beats=tuple(honest_beats(seconds=seconds, jitter=jitter)),
                     segments=tuple(served(seconds=seconds)), media_seconds=float(seconds),
                     attempts=(AttemptFacts(2, "Quiz", at(0), at(quiz_seconds), 5),))
    assert checks.run_checks(summary, LIMITS) == []
