"""The automatic checks of a completion: each a pure function of one enrollment's evidence
summary and the configured thresholds, answering a Flag or None. docs/verification.md says
what each means and why its threshold is what it is."""
from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable
from datetime import datetime

from lms.verification.summary import (BeatFacts, EvidenceSummary, Flag, SessionFacts,
                                      Thresholds)

TOO_FAST = "too_fast"
OVERLAPPING_SESSIONS = "overlapping_sessions"
MACHINE_REGULAR_HEARTBEATS = "machine_regular_heartbeats"
SHARED_DEVICE = "shared_device"
DELIVERY_GAP = "delivery_gap"
ATTENDANCE_MISSED = "attendance_missed"
RAPID_ANSWERS = "rapid_answers"

Check = Callable[[EvidenceSummary, Thresholds], "Flag | None"]


def _seconds(start: datetime, end: datetime) -> float:
    return max(0.0, (end - start).total_seconds())


def session_wall_seconds(summary: EvidenceSummary) -> float:
    """Wall-clock time the video sessions were open and heard from."""
    return sum(_seconds(s.started_at, s.last_seen_at) for s in summary.sessions
               if s.kind == "video")


def credited_seconds(summary: EvidenceSummary) -> float:
    return sum(b.credited_seconds for b in summary.beats)


def too_fast(summary: EvidenceSummary, limits: Thresholds) -> Flag | None:
    """More media time credited than the sessions lasted (minus the allowance)."""
    wall, credited = session_wall_seconds(summary), credited_seconds(summary)
    if credited <= wall + limits.too_fast_allowance_seconds:
        return None
    return Flag(TOO_FAST, f"{credited:.0f} s of video credited in {wall:.0f} s of sessions",
                {"credited": round(credited), "wall": round(wall)})


def _overlap(a: SessionFacts, b: SessionFacts) -> float:
    return _seconds(max(a.started_at, b.started_at), min(a.last_seen_at, b.last_seen_at))


def _ping_pongs(sessions: list[SessionFacts], window: float) -> int:
    """Times the study moved to another device and back within `window` seconds."""
    count = 0
    for first, second, third in zip(sessions, sessions[1:], sessions[2:]):
        if first.same_device(third) and not first.same_device(second) \
                and _seconds(first.started_at, third.started_at) <= window:
            count += 1
    return count


def overlapping_sessions(summary: EvidenceSummary, limits: Thresholds) -> Flag | None:
    """Sessions on different devices active at the same time, or devices taking turns."""
    sessions = sorted(summary.sessions, key=lambda s: (s.started_at, s.session_id))
    overlap = sum(_overlap(a, b) for i, a in enumerate(sessions) for b in sessions[i + 1:]
                  if not a.same_device(b))
    turns = _ping_pongs(sessions, limits.ping_pong_window_seconds)
    if overlap <= limits.overlap_seconds and turns < limits.overlap_ping_pongs:
        return None
    return Flag(OVERLAPPING_SESSIONS,
                f"{overlap:.0f} s of overlap between devices; {turns} switches back and forth",
                {"overlap": round(overlap), "turns": turns})


Interval = tuple[float, "float | None"] | None  # None: a pause broke the run


def _intervals(beats: Iterable[BeatFacts]) -> list[Interval]:
    """(seconds since the previous beat, position advance) for consecutive playing beats; a
    pause in between appears as None."""
    out: list[Interval] = []
    previous: BeatFacts | None = None
    for beat in beats:
        if not beat.playing:
            if previous is not None:
                out.append(None)
            previous = None
            continue
        if previous is not None:
            advance = None if beat.position is None or previous.position is None \
                else beat.position - previous.position
            out.append((_seconds(previous.at, beat.at), advance))
        previous = beat
    return out


def _longest_exact_run(pairs: list[Interval], jitter: float) -> int:
    """The longest run of consecutive intervals equal (within `jitter`) in both wall time and
    position advance to the run's first one."""
    best = run = 0
    anchor: tuple[float, float | None] | None = None
    for pair in pairs:
        if pair is None:
            anchor, run = None, 0
            continue
        interval, advance = pair
        if anchor is not None and abs(interval - anchor[0]) <= jitter and (
                advance is None or anchor[1] is None or abs(advance - anchor[1]) <= jitter):
            run += 1
        else:
            anchor, run = pair, 1
        best = max(best, run)
    return best


def machine_regular_heartbeats(summary: EvidenceSummary, limits: Thresholds) -> Flag | None:
    """A long run of heartbeats spaced more exactly than a browser's timer ever spaces them."""
    by_session: dict[int, list[BeatFacts]] = {}
    for beat in summary.beats:
        by_session.setdefault(beat.session_id, []).append(beat)
    longest, spread = 0, 0.0
    for beats in by_session.values():
        pairs = _intervals(beats)
        run = _longest_exact_run(pairs, limits.regular_jitter_seconds)
        if run > longest:
            longest = run
            times = [p[0] for p in pairs if p is not None]
            spread = statistics.pstdev(times) if len(times) > 1 else 0.0
    if longest < limits.regular_run_beats:
        return None
    return Flag(MACHINE_REGULAR_HEARTBEATS,
                f"{longest} heartbeats in a row spaced identically to the millisecond",
                {"run": longest, "spread_ms": round(spread * 1000, 2)})


def shared_device(summary: EvidenceSummary, limits: Thresholds) -> Flag | None:
    """One device studying for more learners than the threshold within the window."""
    worst = max(summary.device_uses, key=lambda u: u.learners, default=None)
    if worst is None or worst.learners <= limits.shared_device_learners:
        return None
    return Flag(SHARED_DEVICE, f"{worst.learners} learners studied on one device "
                f"({worst.kind}: {worst.device[:60]})",
                {"learners": worst.learners, "kind": worst.kind, "device": worst.device[:60]})


def _credited_indexes(summary: EvidenceSummary) -> dict[int, set[int]]:
    """Per session, the segment indexes the credited media time falls in."""
    segment_length = {s.session_id: s.segment_seconds or 6.0 for s in summary.sessions}
    wanted: dict[int, set[int]] = {}
    for beat in summary.beats:
        if beat.credited_seconds <= 0 or beat.position is None:
            continue
        length = segment_length.get(beat.session_id, 6.0)
        start = max(0.0, beat.position - beat.credited_seconds)
        first, last = int(start // length), int(max(start, beat.position - 1e-6) // length)
        wanted.setdefault(beat.session_id, set()).update(range(first, last + 1))
    return wanted


def delivery_gap(summary: EvidenceSummary, limits: Thresholds) -> Flag | None:
    """Credited media time whose segments the server never delivered to that session."""
    served: dict[int, set[int]] = {}
    for segment in summary.segments:
        if segment.served:
            served.setdefault(segment.session_id, set()).add(segment.index)
    lengths = {s.session_id: s.segment_seconds or 6.0 for s in summary.sessions}
    gap = sum(len(indexes - served.get(sid, set())) * lengths.get(sid, 6.0)
              for sid, indexes in _credited_indexes(summary).items())
    if gap <= limits.delivery_gap_seconds:
        return None
    return Flag(DELIVERY_GAP, f"{gap:.0f} s of credited video were never delivered",
                {"seconds": round(gap)})


def attendance_missed(summary: EvidenceSummary, limits: Thresholds) -> Flag | None:
    """Study on a day without a passed attendance verification, where one is required."""
    if not summary.attendance_required:
        return None
    missed = sorted(summary.study_days - summary.attended_days)
    if not missed:
        return None
    days = ", ".join(d.isoformat() for d in missed[:5])
    return Flag(ATTENDANCE_MISSED, f"studied without attendance on {len(missed)} day(s): {days}",
                {"days": len(missed), "dates": days})


def rapid_answers(summary: EvidenceSummary, limits: Thresholds) -> Flag | None:
    """A quiz submitted faster than a person can read its questions."""
    for attempt in sorted(summary.attempts, key=lambda a: a.started_at):
        took = _seconds(attempt.started_at, attempt.submitted_at)
        needed = attempt.question_count * limits.rapid_seconds_per_question
        if attempt.question_count and took < needed:
            return Flag(RAPID_ANSWERS, f"“{attempt.title[:60]}”: {attempt.question_count} "
                        f"questions answered in {took:.0f} s",
                        {"title": attempt.title[:60], "questions": attempt.question_count,
                         "seconds": round(took, 1)})
    return None


CHECKS: tuple[Check, ...] = (too_fast, overlapping_sessions, machine_regular_heartbeats,
                             shared_device, delivery_gap, attendance_missed, rapid_answers)
CODES = (TOO_FAST, OVERLAPPING_SESSIONS, MACHINE_REGULAR_HEARTBEATS, SHARED_DEVICE,
         DELIVERY_GAP, ATTENDANCE_MISSED, RAPID_ANSWERS)


def run_checks(summary: EvidenceSummary, limits: Thresholds) -> list[Flag]:
    """Every check's flag, in the documented order."""
    return [flag for check in CHECKS if (flag := check(summary, limits)) is not None]
