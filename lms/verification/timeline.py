"""The evidence timeline of one completion as chart geometry: per module, media position
against wall-clock time for each session, with pauses, refused reports, takeovers and the
segments delivered. Pure: the page template draws the SVG from these numbers."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from lms.verification.summary import BeatFacts, EvidenceSummary, SegmentFacts, SessionFacts

WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD_TOP, PAD_RIGHT = 720.0, 240.0, 56.0, 28.0, 10.0, 12.0
PLOT_W, PLOT_H = WIDTH - PAD_LEFT - PAD_RIGHT, HEIGHT - PAD_TOP - PAD_BOTTOM
ACCEPTED = "accepted"


@dataclass
class SessionLine:
    session: SessionFacts
    number: int  # 1-based, per module, in order of opening
    points: str = ""  # "x,y x,y ..." of the accepted playing reports
    pauses: list[tuple[float, float]] = field(default_factory=list)
    refused: list[tuple[float, float]] = field(default_factory=list)
    beats: int = 0
    segments: int = 0
    replaced_at_x: float | None = None


@dataclass
class ModuleChart:
    module_id: int
    title: str
    duration: float
    started_at: datetime
    span_seconds: float
    lines: list[SessionLine]
    segment_path: str  # one path of short ticks: a segment delivered at (time, its media start)
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    width: float = WIDTH
    height: float = HEIGHT


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def _chart(module_id: int, title: str, duration: float, sessions: list[SessionFacts],
           beats: list[BeatFacts], segments: list[SegmentFacts]) -> ModuleChart:
    start = min(s.started_at for s in sessions)
    end = max([s.last_seen_at for s in sessions] + [b.at for b in beats])
    span = max(1.0, (end - start).total_seconds())
    top = max([duration] + [b.position or 0.0 for b in beats] + [1.0])

    def x(moment: datetime) -> float:
        return round(PAD_LEFT + (moment - start).total_seconds() / span * PLOT_W, 1)

    def y(position: float) -> float:
        return round(PAD_TOP + PLOT_H - min(position, top) / top * PLOT_H, 1)

    lines = {s.session_id: SessionLine(s, n) for n, s in enumerate(sessions, start=1)}
    points: dict[int, list[str]] = {sid: [] for sid in lines}
    for beat in beats:
        line = lines.get(beat.session_id)
        if line is None or beat.position is None:
            continue
        line.beats += 1
        spot = (x(beat.at), y(beat.position))
        if beat.outcome != ACCEPTED:
            line.refused.append(spot)
        elif not beat.playing:
            line.pauses.append(spot)
            points[beat.session_id].append(f"{spot[0]},{spot[1]}")
        else:
            points[beat.session_id].append(f"{spot[0]},{spot[1]}")
    ticks: list[str] = []
    for segment in segments:
        line = lines.get(segment.session_id)
        if line is None or not segment.served:
            continue
        line.segments += 1
        ticks.append(f"M{x(segment.at)} {y(segment.index * line.session.segment_seconds)}h2")
    for sid, line in lines.items():
        line.points = " ".join(points[sid])
        if line.session.end_reason == "replaced" and line.session.ended_at is not None:
            line.replaced_at_x = x(line.session.ended_at)
    x_ticks = [(round(PAD_LEFT + PLOT_W * i / 4, 1), _clock(span * i / 4)) for i in range(5)]
    y_ticks = [(y(top * i / 2), _clock(top * i / 2)) for i in range(3)]
    return ModuleChart(module_id, title, duration, start, span, list(lines.values()),
                       "".join(ticks), x_ticks, y_ticks)


def module_charts(summary: EvidenceSummary,
                  modules: list[tuple[int, str, float]]) -> list[ModuleChart]:
    """One chart per video module that has sessions, in course order. `modules` are
    (module_id, title, duration seconds)."""
    by_module: dict[int, list[SessionFacts]] = {}
    for session in summary.sessions:
        if session.kind == "video":
            by_module.setdefault(session.module_id, []).append(session)
    session_module = {s.session_id: s.module_id for s in summary.sessions}
    beats: dict[int, list[BeatFacts]] = {}
    for beat in summary.beats:
        beats.setdefault(session_module.get(beat.session_id, -1), []).append(beat)
    segments: dict[int, list[SegmentFacts]] = {}
    for segment in summary.segments:
        segments.setdefault(session_module.get(segment.session_id, -1), []).append(segment)
    return [_chart(module_id, title, duration or 0.0, by_module[module_id],
                   beats.get(module_id, []), segments.get(module_id, []))
            for module_id, title, duration in modules if module_id in by_module]


@dataclass(frozen=True)
class DeviceRow:
    label: str
    ip: str
    user_agent: str
    sessions: int


def devices(summary: EvidenceSummary) -> list[DeviceRow]:
    rows: dict[str, list[SessionFacts]] = {}
    for session in summary.sessions:
        rows.setdefault(session.device, []).append(session)
    return [DeviceRow(label=label, ip=group[0].ip, user_agent=group[0].user_agent,
                      sessions=len(group)) for label, group in rows.items()]
