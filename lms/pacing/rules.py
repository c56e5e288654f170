"""THE pacing rules: the one place that decides what a learner's activity is worth.

Money follows completion, so completion must be provable on the server whatever the browser
sends. Every rule here is a pure function of (state, event, now) over frozen dataclasses: no
Flask, no database, no clock. The services layer loads state, calls a rule, stores the new
state and the decision (an evidence row), and maps outcomes to HTTP answers.

Import from here; the `rules_*` modules are only how the code is cut:

* rules_common     constants (tolerances), HeartbeatOutcome, PlaybackSession, wall-time counting
* rules_sequence   the sequence gate: module_statuses, blocking_module
* rules_video      video heartbeats: apply_heartbeat, resume_position
* rules_segments   proof of delivery: may_serve_segment, record_segment_delivery, codec
* rules_reading    readings: reading_min_dwell_seconds, apply_reading_heartbeat
* rules_attendance daily attendance: needs_attendance_check

Plain-English statement of every rule and tolerance: docs/pacing-rules.md.
"""
from __future__ import annotations

from lms.pacing.rules_attendance import (
    local_study_date,
    needs_attendance_check,
)
from lms.pacing.rules_common import (
    END_TOLERANCE_SECONDS,
    HEARTBEAT_SECONDS,
    LOOKAHEAD_SECONDS,
    MAX_COUNTED_GAP_SECONDS,
    MAX_PLAYBACK_RATE,
    POSITION_OVERSHOOT_SECONDS,
    READING_MIN_DWELL_FLOOR_SECONDS,
    READING_WORDS_PER_MINUTE,
    SEGMENT_SECONDS,
    SKIP_SLACK_SECONDS,
    SPEED_ALLOWANCE_SECONDS,
    HeartbeatOutcome,
    PlaybackSession,
    end_session,
    open_session,
)
from lms.pacing.rules_reading import (
    ReadingDecision,
    ReadingHeartbeat,
    ReadingProgress,
    ReadingResult,
    apply_reading_heartbeat,
    reading_min_dwell_seconds,
)
from lms.pacing.rules_segments import (
    MAX_SEGMENT_INDEX,
    decode_segments,
    delivered_until,
    encode_segments,
    may_serve_segment,
    record_segment_delivery,
    segment_count,
)
from lms.learning.rules_progression import (
    ModuleRef,
    ModuleStatus,
    ProgressState,
    blocking_module,
    course_requirements_met,
    may_open_module,
    module_statuses,
)
from lms.pacing.rules_video import (
    Heartbeat,
    HeartbeatDecision,
    HeartbeatResult,
    apply_heartbeat,
    resume_position,
    skip_tolerance_seconds,
    video_complete,
)
from lms.pacing.rules_video_progress import VideoProgress

__all__ = [
    # constants
    "HEARTBEAT_SECONDS",
    "SPEED_ALLOWANCE_SECONDS",
    "END_TOLERANCE_SECONDS",
    "SKIP_SLACK_SECONDS",
    "MAX_COUNTED_GAP_SECONDS",
    "LOOKAHEAD_SECONDS",
    "SEGMENT_SECONDS",
    "MAX_PLAYBACK_RATE",
    "POSITION_OVERSHOOT_SECONDS",
    "READING_WORDS_PER_MINUTE",
    "READING_MIN_DWELL_FLOOR_SECONDS",
    "MAX_SEGMENT_INDEX",
    # sessions and outcomes
    "HeartbeatOutcome",
    "PlaybackSession",
    "open_session",
    "end_session",
    # sequence gate
    "ProgressState",
    "ModuleStatus",
    "ModuleRef",
    "module_statuses",
    "blocking_module",
    "may_open_module",
    "course_requirements_met",
    # video
    "VideoProgress",
    "Heartbeat",
    "HeartbeatDecision",
    "HeartbeatResult",
    "apply_heartbeat",
    "skip_tolerance_seconds",
    "video_complete",
    "resume_position",
    # proof of delivery
    "segment_count",
    "delivered_until",
    "may_serve_segment",
    "record_segment_delivery",
    "encode_segments",
    "decode_segments",
    # readings
    "ReadingProgress",
    "ReadingHeartbeat",
    "ReadingDecision",
    "ReadingResult",
    "reading_min_dwell_seconds",
    "apply_reading_heartbeat",
    # attendance
    "local_study_date",
    "needs_attendance_check",
]
