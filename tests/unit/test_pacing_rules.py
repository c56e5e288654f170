"""Table-driven tests of the pacing rules: each asserts something a learner or the payer relies on."""
from __future__ import annotations

import math
from datetime import date, datetime, timedelta, timezone

import pytest

from lms.pacing.rules import (
    HeartbeatOutcome as O,
    ModuleRef,
    ModuleStatus as S,
    ProgressState as P,
    Heartbeat,
    ReadingHeartbeat,
    ReadingProgress,
    VideoProgress,
    apply_heartbeat,
    apply_reading_heartbeat,
    blocking_module,
    course_requirements_met,
    decode_segments,
    delivered_until,
    encode_segments,
    end_session,
    may_open_module,
    may_serve_segment,
    module_statuses,
    needs_attendance_check,
    open_session,
    reading_min_dwell_seconds,
    record_segment_delivery,
    resume_position,
    segment_count,
)

T0 = datetime(2026, 1, 5, 2, 0, tzinfo=timezone.utc)
D = 60.0  # a one-minute video, ten 6-second segments


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def delivered(progress: VideoProgress = VideoProgress(), upto: int = 10, duration: float = D):
    for i in range(upto):
        progress = record_segment_delivery(progress, i, duration=duration)
    return progress


def beat(progress, session, t, position, *, playing=True, rate=1.0, seq=None, **kw):
    seq = session.last_seq + 1 if seq is None else seq
    kw.setdefault("duration", D)
    return apply_heartbeat(progress, session, Heartbeat(position, playing, rate, seq), at(t), **kw)


# --- 1. Sequence gate ------------------------------------------------------------------------

COURSE = [ModuleRef("A"), ModuleRef("B", required=False), ModuleRef("C"), ModuleRef("D")]


@pytest.mark.parametrize(
    "progress, expected",
    [
        ({}, [S.AVAILABLE, S.LOCKED, S.LOCKED, S.LOCKED]),
        ({"A": P.IN_PROGRESS}, [S.IN_PROGRESS, S.LOCKED, S.LOCKED, S.LOCKED]),
        # optional B does not block C: both open once A is done
        ({"A": P.COMPLETED}, [S.COMPLETED, S.AVAILABLE, S.AVAILABLE, S.LOCKED]),
        ({"A": P.COMPLETED, "B": P.IN_PROGRESS}, [S.COMPLETED, S.IN_PROGRESS, S.AVAILABLE, S.LOCKED]),
        ({"A": P.COMPLETED, "C": P.IN_PROGRESS}, [S.COMPLETED, S.AVAILABLE, S.IN_PROGRESS, S.LOCKED]),
        ({"A": P.COMPLETED, "C": P.COMPLETED}, [S.COMPLETED, S.AVAILABLE, S.COMPLETED, S.AVAILABLE]),
        # work behind an unfinished required module is locked; a finished module stays finished
        ({"C": P.COMPLETED, "D": P.IN_PROGRESS}, [S.AVAILABLE, S.LOCKED, S.COMPLETED, S.LOCKED]),
        ({"A": "completed", "C": "completed", "D": "completed"}, [S.COMPLETED, S.AVAILABLE, S.COMPLETED, S.COMPLETED]),
    ],
)
def test_module_k_opens_only_when_every_earlier_required_module_is_complete(progress, expected):
    assert list(module_statuses(COURSE, progress).values()) == expected
    assert [may_open_module(COURSE, progress, m.id) for m in COURSE] == [s != S.LOCKED for s in expected]


def test_an_optional_first_module_never_blocks_the_next():
    course = [ModuleRef("intro", required=False), ModuleRef("lesson")]
    assert module_statuses(course, {}) == {"intro": S.AVAILABLE, "lesson": S.AVAILABLE}


def test_the_gate_takes_id_required_pairs_straight_from_the_rows():
    assert module_statuses([(1, True), (2, True)], {1: "in_progress"}) == {1: "in_progress", 2: "locked"}


@pytest.mark.parametrize(
    "progress, module, blocker",
    [({}, "A", None), ({}, "D", "A"), ({"A": P.COMPLETED}, "D", "C"), ({"A": P.COMPLETED}, "B", None),
     ({"A": P.COMPLETED, "C": P.COMPLETED}, "D", None), ({"A": P.IN_PROGRESS}, "C", "A")],
)
def test_a_locked_module_names_the_earliest_required_module_to_finish_first(progress, module, blocker):
    assert blocking_module(COURSE, progress, module) == blocker


def test_gate_refuses_unknown_and_duplicate_modules():
    with pytest.raises(KeyError):
        blocking_module(COURSE, {}, "Z")
    with pytest.raises(ValueError):
        module_statuses([ModuleRef("A"), ModuleRef("A")], {})


def test_course_requirements_met_ignores_optional_modules():
    assert not course_requirements_met(COURSE, {"A": P.COMPLETED})
    assert course_requirements_met(COURSE, {"A": P.COMPLETED, "C": P.COMPLETED, "D": P.COMPLETED})


# --- 2. Heartbeats: input validation, sessions, sequence numbers ----------------------------

@pytest.mark.parametrize(
    "position, playing, rate, seq",
    [(math.nan, True, 1.0, 0), (math.inf, True, 1.0, 0), (-0.5, True, 1.0, 0), (D + 1.01, True, 1.0, 0),
     (5.0, True, 0.0, 0), (5.0, True, -1.0, 0), (5.0, True, 16.5, 0), (5.0, True, math.nan, 0),
     (5.0, True, math.inf, 0), (5.0, True, 1.0, -1), (5.0, "yes", 1.0, 0), (5.0, True, 1.0, True),
     ("5", True, 1.0, 0)],
)
def test_malformed_heartbeats_are_invalid_and_change_nothing(position, playing, rate, seq):
    progress, session = delivered(), open_session(T0)
    result = apply_heartbeat(progress, session, Heartbeat(position, playing, rate, seq), at(10), duration=D)
    assert result.decision.outcome is O.INVALID_HEARTBEAT
    assert (result.progress, result.session) == (progress, session)


@pytest.mark.parametrize("position, rate", [(D + 1.0, 1.0), (5.0, 16.0), (5.0, 0.25), (0.0, 1.0)])
def test_boundary_heartbeats_are_valid(position, rate):
    result = beat(delivered(), open_session(T0), 60, position, rate=rate)
    assert result.decision.outcome is not O.INVALID_HEARTBEAT
    assert result.session.last_seq == 0


def test_heartbeat_to_an_ended_session_is_refused_and_credits_nothing():
    session = end_session(open_session(T0))
    result = beat(delivered(), session, 10, 10)
    assert result.decision.outcome is O.SESSION_ENDED
    assert result.progress == delivered() and result.session == session


@pytest.mark.parametrize("stale_seq", [4, 3, 0])
def test_repeated_or_out_of_order_seq_earns_nothing(stale_seq):
    first = beat(delivered(), open_session(T0), 10, 10, seq=4)
    again = beat(first.progress, first.session, 20, 20, seq=stale_seq)
    assert again.decision.outcome is O.STALE_SEQUENCE
    assert again.decision.credited_seconds == 0 and again.decision.counted_wall_seconds == 0
    assert (again.progress, again.session) == (first.progress, first.session)


@pytest.mark.parametrize("finish_by_offset, outcome", [(29.999, O.DEADLINE_PASSED), (30, O.ACCEPTED)])
def test_after_the_deadline_nothing_is_credited(finish_by_offset, outcome):
    first = beat(delivered(), open_session(T0), 20, 20)
    result = beat(first.progress, first.session, 30, 30, finish_by=at(finish_by_offset))
    assert result.decision.outcome is outcome
    if outcome is O.DEADLINE_PASSED:
        assert (result.progress, result.session) == (first.progress, first.session)
        assert result.decision.credited_seconds == 0


# --- 2/3. Wall time and credit --------------------------------------------------------------

@pytest.mark.parametrize(
    "beats, counted",
    [
        ([(10, True)], 10),  # first heartbeat playing: counts from session open
        ([(10, False)], 0),  # first heartbeat paused: the player never started
        ([(10, True), (20, True)], 20),
        ([(10, False), (300, True)], 0),  # paused tab earns no wall time, however long
        ([(10, True), (110, True)], 40),  # a 100 s silence earns at most 30 s
        ([(10, True), (35, True)], 35),  # 25 s of jitter is counted in full
        ([(10, True), (8, True)], 10),  # clock skew: negative time is never counted
    ],
)
def test_wall_time_counts_only_after_a_playing_heartbeat_and_is_capped(beats, counted):
    progress, session = VideoProgress(), open_session(T0)
    for t, playing in beats:
        result = beat(progress, session, t, 0, playing=playing)
        progress, session = result.progress, result.session
    assert progress.counted_wall_seconds == pytest.approx(counted)


def test_a_forged_heartbeat_jumping_40_s_ahead_gets_ahead_of_frontier_and_no_credit():
    first = beat(delivered(), open_session(T0), 10, 10)
    jump = beat(first.progress, first.session, 20, 60)
    d = jump.decision
    assert d.outcome is O.AHEAD_OF_FRONTIER and d.resume_at == 10 and d.credited_seconds == 0
    assert jump.progress.frontier == 10 and not jump.progress.completed
    assert resume_position(jump.progress, D) == 10


@pytest.mark.parametrize("position, outcome, frontier", [(15.0, O.ACCEPTED, 13.0), (15.01, O.AHEAD_OF_FRONTIER, 0.0)])
def test_skip_tolerance_is_elapsed_wall_time_plus_five_seconds(position, outcome, frontier):
    result = beat(delivered(), open_session(T0), 10, position)
    assert result.decision.outcome is outcome and result.progress.frontier == pytest.approx(frontier)
    assert result.decision.skip_tolerance == pytest.approx(15)


@pytest.mark.parametrize(
    "rate, position, frontier",
    [(0.5, 5.0, 5.0), (1.0, 10.0, 10.0), (1.4, 14.0, 13.0)],  # 13 = 10 s counted + 3 s allowance
)
def test_credit_never_exceeds_counted_wall_time_plus_allowance(rate, position, frontier):
    result = beat(delivered(), open_session(T0), 10, position, rate=rate)
    assert result.progress.frontier == pytest.approx(frontier)
    assert result.progress.credited_seconds == pytest.approx(frontier)


def test_the_allowance_is_per_module_not_per_session():
    progress = delivered()
    for k in range(5):  # five sessions, each reporting 3 s of progress with no time passing
        session = open_session(at(k))
        progress = beat(progress, session, k, progress.frontier + 3, playing=False).progress
    assert progress.frontier == pytest.approx(3.0 + 0)  # only the one allowance, ever


def test_overlapping_sessions_never_count_the_same_second_twice():
    progress = VideoProgress()
    a, b = open_session(T0), open_session(T0)
    for t in range(10, 100, 10):
        ra = beat(progress, a, t, 0)
        rb = beat(ra.progress, b, t + 1, 0)
        progress, a, b = rb.progress, ra.session, rb.session
    assert progress.counted_wall_seconds <= 91


def test_a_heartbeat_stamped_before_its_session_opened_counts_nothing_before_the_opening():
    session = open_session(at(10))  # another app server's clock runs 2 s behind
    early = beat(VideoProgress(), session, 8, 0)
    later = beat(early.progress, early.session, 20, 0)
    assert early.progress.counted_wall_seconds == 0
    assert later.progress.counted_wall_seconds == pytest.approx(10)


def test_the_frontier_cannot_pass_undelivered_segments():
    progress = delivered(upto=2)  # 0-12 s delivered
    result = beat(progress, open_session(T0), 14, 14)
    assert result.progress.frontier == 12
    out_of_order = record_segment_delivery(result.progress, 3, duration=D)  # 18-24 s, gap at 12-18
    again = beat(out_of_order, result.session, 24, 24)
    assert again.progress.frontier == 12
    filled = record_segment_delivery(again.progress, 2, duration=D)
    assert beat(filled, again.session, 34, 24).progress.frontier == 24


def test_seeking_backwards_is_free_and_keeps_the_frontier():
    first = beat(delivered(), open_session(T0), 30, 30)
    back = beat(first.progress, first.session, 31, 5)
    assert back.decision.outcome is O.ACCEPTED and back.progress.frontier == 30
    assert resume_position(back.progress, D) == 5


def test_a_skip_still_counts_the_wall_time_of_an_open_playing_session():
    first = beat(delivered(), open_session(T0), 10, 10)
    jump = beat(first.progress, first.session, 20, 59)
    assert jump.progress.counted_wall_seconds == pytest.approx(20)
    assert jump.progress.last_position == 10


# --- 5/6. Completion and resume -------------------------------------------------------------

@pytest.mark.parametrize("end_position, completed", [(58.0, True), (57.99, False), (60.5, True)])
def test_a_video_completes_within_two_seconds_of_its_end(end_position, completed):
    progress, session = delivered(), open_session(T0)
    for t in range(10, 60, 10):
        r = beat(progress, session, t, t)
        progress, session = r.progress, r.session
    result = beat(progress, session, 60, end_position)
    assert result.progress.completed is completed and result.decision.newly_completed is completed


def test_completion_is_sticky_and_reported_once():
    progress, session = delivered(), open_session(T0)
    for t in range(10, 70, 10):
        r = beat(progress, session, t, t)
        progress, session = r.progress, r.session
    assert progress.completed
    back = beat(progress, session, 70, 0)
    assert back.progress.completed and not back.decision.newly_completed


def test_completion_survives_a_re_encoded_longer_video():
    done = VideoProgress(frontier=58.0, credited_seconds=58.0, last_position=58.0, completed=True)
    result = beat(delivered(done, duration=120.0), open_session(T0), 10, 10, duration=120.0)
    assert result.progress.completed and not result.decision.newly_completed


@pytest.mark.parametrize(
    "last_position, frontier, expected", [(25.0, 30.0, 25.0), (33.0, 30.0, 30.0), (-1.0, 0.0, 0.0), (70.0, 70.0, 60.0)]
)
def test_resume_is_the_last_position_never_past_the_frontier_or_the_end(last_position, frontier, expected):
    assert resume_position(VideoProgress(frontier=frontier, last_position=last_position), D) == expected


def test_naive_datetimes_and_broken_media_are_programming_errors():
    with pytest.raises(ValueError):
        apply_heartbeat(VideoProgress(), open_session(T0), Heartbeat(1, True, 1, 0), datetime(2026, 1, 5), duration=D)
    with pytest.raises(ValueError):
        beat(VideoProgress(), open_session(T0), 10, 1, duration=0)


# --- 4. Proof of delivery -------------------------------------------------------------------

@pytest.mark.parametrize(
    "frontier, index, allowed",
    [(0, 0, True), (0, 5, True), (0, 6, False), (10, 6, True), (10, 7, False), (55, 9, True),
     (0, -1, False), (60, 10, False), (0, True, False), (0, 1.0, False)],
)
def test_segments_are_served_only_up_to_frontier_plus_look_ahead(frontier, index, allowed):
    assert may_serve_segment(VideoProgress(frontier=frontier), index, 6, D) is allowed


@pytest.mark.parametrize(
    "duration, seconds, count", [(60, 6, 10), (61, 6, 11), (60.0000001, 6, 10), (5, 6, 1), (3600, 4, 900)]
)
def test_segment_count(duration, seconds, count):
    assert segment_count(duration, seconds) == count


@pytest.mark.parametrize(
    "indexes, until", [(set(), 0), ({0, 1, 2}, 18), ({0, 1, 3}, 12), ({1, 2}, 0), (set(range(10)), 57)]
)
def test_delivered_until_is_the_unbroken_run_from_segment_zero(indexes, until):
    assert delivered_until(indexes, 57, 6) == until


def test_recording_a_delivery_is_idempotent_and_checks_the_index():
    once = record_segment_delivery(VideoProgress(), 3, duration=D)
    assert record_segment_delivery(once, 3, duration=D) is once
    with pytest.raises(ValueError):
        record_segment_delivery(once, 10, duration=D)


@pytest.mark.parametrize(
    "indexes, text",
    [(set(), ""), ({0}, "0"), (set(range(42)), "0-41"), ({*range(42), 43, *range(45, 51)}, "0-41,43,45-50")],
)
def test_delivered_segments_fit_one_column(indexes, text):
    assert encode_segments(indexes) == text and decode_segments(text) == frozenset(indexes)


@pytest.mark.parametrize("text", ["a", "1-", "-1", "3-1", "1,,2", "0-100000", " 1", "1;2"])
def test_a_corrupt_segment_column_fails_loudly(text):
    with pytest.raises(ValueError):
        decode_segments(text)


# --- 4. Readings ----------------------------------------------------------------------------

@pytest.mark.parametrize(
    "words, provider, dwell", [(0, None, 10), (33, None, 10), (50, None, 15), (200, None, 60), (1000, None, 300),
                               (1000, 45, 45), (10, 0, 0)]
)
def test_reading_minimum_dwell(words, provider, dwell):
    assert reading_min_dwell_seconds(words, provider) == dwell


@pytest.mark.parametrize("words, provider", [(-1, None), (10, -1), (10, math.nan)])
def test_reading_minimum_dwell_rejects_nonsense(words, provider):
    with pytest.raises(ValueError):
        reading_min_dwell_seconds(words, provider)


def read(beats, *, min_dwell=60.0, finish_by=None):
    progress, session, decisions = ReadingProgress(), open_session(T0), []
    for t, visible, seq in beats:
        r = apply_reading_heartbeat(progress, session, ReadingHeartbeat(visible, seq), at(t),
                                    min_dwell_seconds=min_dwell, finish_by=finish_by)
        progress, session = r.progress, r.session
        decisions.append(r.decision)
    return progress, decisions


@pytest.mark.parametrize(
    "beats, counted, completed",
    [
        ([(t, True, t) for t in range(10, 70, 10)], 60, True),
        ([(t, True, t) for t in range(10, 60, 10)], 50, False),
        ([(10, False, 0), (600, True, 1)], 0, False),  # hidden tab earns nothing
        ([(10, True, 0), (300, True, 1)], 40, False),  # the gap is capped at 30 s
        ([(10, True, 5), (20, True, 5), (30, True, 4)], 10, False),  # replays earn nothing
    ],
)
def test_readings_complete_after_their_counted_dwell(beats, counted, completed):
    progress, _ = read(beats)
    assert progress.counted_seconds == pytest.approx(counted) and progress.completed is completed


def test_reading_heartbeats_after_the_deadline_earn_nothing():
    progress, decisions = read([(10, True, 0), (20, True, 1)], finish_by=at(15))
    assert progress.counted_seconds == 10 and decisions[-1].outcome is O.DEADLINE_PASSED


def test_reading_heartbeats_to_an_ended_session_or_invalid_are_refused():
    session = end_session(open_session(T0))
    r = apply_reading_heartbeat(ReadingProgress(), session, ReadingHeartbeat(True, 0), at(10), min_dwell_seconds=10)
    assert r.decision.outcome is O.SESSION_ENDED and r.progress == ReadingProgress()
    r = apply_reading_heartbeat(ReadingProgress(), open_session(T0), ReadingHeartbeat(True, -1), at(10),
                                min_dwell_seconds=10)
    assert r.decision.outcome is O.INVALID_HEARTBEAT


# --- 8. Daily attendance --------------------------------------------------------------------

JAN5, JAN6 = date(2026, 1, 5), date(2026, 1, 6)


@pytest.mark.parametrize(
    "utc_time, tz, last_verified, needed",
    [
        # 15:30 UTC is 22:30 in Jakarta (still Jan 5) but 00:30 Jan 6 in Jayapura
        (datetime(2026, 1, 5, 15, 30), "Asia/Jakarta", JAN5, False),
        (datetime(2026, 1, 5, 15, 30), "Asia/Jayapura", JAN5, True),
        (datetime(2026, 1, 5, 15, 59, 59), "Asia/Makassar", JAN5, False),  # 23:59:59 WITA
        (datetime(2026, 1, 5, 16, 0), "Asia/Makassar", JAN5, True),  # midnight WITA
        (datetime(2026, 1, 5, 17, 0), "Asia/Jakarta", JAN5, True),  # midnight WIB
        (datetime(2026, 1, 5, 17, 0), "Asia/Jakarta", JAN6, False),
        (datetime(2026, 1, 5, 3, 0), "Asia/Jakarta", None, True),  # never verified
        (datetime(2026, 1, 5, 16, 0), "Asia/Jakarta", JAN6, False),  # verified in WIT, now in WIB
    ],
)
def test_first_activity_of_each_local_day_waits_for_verification(utc_time, tz, last_verified, needed):
    now = utc_time.replace(tzinfo=timezone.utc)
    assert needs_attendance_check(last_verified, tz, now, required=True) is needed
    assert needs_attendance_check(last_verified, tz, now, required=False) is False


def test_attendance_rejects_unknown_zones_and_naive_times():
    with pytest.raises(ValueError):
        needs_attendance_check(None, "Mars/Olympus", T0, required=True)
    with pytest.raises(ValueError):
        needs_attendance_check(None, "Asia/Jakarta", datetime(2026, 1, 5), required=True)
