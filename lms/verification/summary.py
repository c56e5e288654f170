"""What the checks read: the evidence of one enrollment reduced to plain values (no database,
no Flask), so every check is a pure function over it."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class SessionFacts:
    session_id: int
    module_id: int
    kind: str  # "video" or "reading"
    started_at: datetime
    #: When the session was last heard from (its last evidence row, refused ones included),
    #: or when it started if it never was.
    last_seen_at: datetime
    ended_at: datetime | None
    end_reason: str | None
    device_id: str  # the id the player keeps in the browser ("" from older players)
    ip: str
    user_agent: str
    segment_seconds: float

    @property
    def device(self) -> str:
        """A label of the device: its id, else address and browser."""
        return f"id:{self.device_id}" if self.device_id else f"{self.ip}|{self.user_agent}"

    def same_device(self, other: SessionFacts) -> bool:
        """Two ids compare by id; a session without one compares by address and browser."""
        if self.device_id and other.device_id:
            return self.device_id == other.device_id
        return (self.ip, self.user_agent) == (other.ip, other.user_agent)


@dataclass(frozen=True, slots=True)
class BeatFacts:
    session_id: int
    at: datetime
    position: float | None
    playing: bool
    outcome: str
    credited_seconds: float
    wall_seconds: float


@dataclass(frozen=True, slots=True)
class SegmentFacts:
    session_id: int
    at: datetime
    index: int
    served: bool


@dataclass(frozen=True, slots=True)
class AttemptFacts:
    module_id: int
    title: str
    started_at: datetime
    submitted_at: datetime
    question_count: int


@dataclass(frozen=True, slots=True)
class DeviceUse:
    """How many learners (this one included) studied from one device in the window."""

    device: str
    kind: str  # "device_id" or "address"
    learners: int


@dataclass(frozen=True)
class EvidenceSummary:
    sessions: tuple[SessionFacts, ...] = ()
    beats: tuple[BeatFacts, ...] = ()  # video heartbeats, in order of arrival
    segments: tuple[SegmentFacts, ...] = ()
    attempts: tuple[AttemptFacts, ...] = ()
    device_uses: tuple[DeviceUse, ...] = ()
    attendance_required: bool = False
    study_days: frozenset[date] = field(default_factory=frozenset)
    attended_days: frozenset[date] = field(default_factory=frozenset)
    media_seconds: float = 0.0  # the course version's video duration


@dataclass(frozen=True)
class Thresholds:
    """Every number a check compares against; each comes from configuration."""

    too_fast_allowance_seconds: float = 60.0
    overlap_seconds: float = 30.0
    overlap_ping_pongs: int = 3
    ping_pong_window_seconds: float = 600.0
    regular_run_beats: int = 180
    regular_jitter_seconds: float = 0.001
    shared_device_learners: int = 3
    delivery_gap_seconds: float = 30.0
    rapid_seconds_per_question: float = 3.0


@dataclass(frozen=True)
class Flag:
    """A check's finding: its code, a one-line English `detail` for the API, and the numbers
    behind it (`params`), from which pages explain it in the reader's language."""

    code: str
    detail: str
    params: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"code": self.code, "detail": self.detail, "params": self.params}
