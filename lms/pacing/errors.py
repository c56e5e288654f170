"""The ways studying a video or a reading can be refused, each with its own machine code."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.errors import AlurError, Conflict, Forbidden, Gone, Invalid, NotFound
from lms.learning.errors import DeadlinePassed  # noqa: F401 (pacing refuses it too)


class SessionNotFound(NotFound):
    code = "session_not_found"
    default_message = _l("No such playback session.")


class NotYourSession(Forbidden):
    """Media of another learner's session: the contract answers 403 for media."""
    code = "forbidden"
    default_message = _l("This media belongs to another learner's session.")


class SessionEnded(Gone):
    code = "session_ended"
    default_message = _l("This module was opened on another device or tab, so this player "
                         "stopped. Continue here to take over.")


class AheadOfFrontier(Conflict):
    code = "ahead_of_frontier"
    default_message = _l("You can't skip ahead. Playback continues from the furthest point "
                         "you have watched.")


class InvalidHeartbeat(Invalid):
    code = "invalid_heartbeat"
    default_message = _l("This progress report is not valid.")


class AttendanceRequired(Forbidden):
    code = "attendance_required"
    default_message = _l("Verify your attendance for today before you continue studying.")


class SelfVerificationClosed(NotFound):
    code = "self_verification_closed"
    default_message = _l("Attendance is verified by the programme's face check. Start it from "
                         "your course.")


class BeyondLookahead(Forbidden):
    code = "beyond_lookahead"
    default_message = _l("This part of the video is not available yet: watch up to it first.")


class NotPlayable(Conflict):
    code = "not_playable"
    default_message = _l("This module has no video or reading to study.")


class MediaNotReady(Conflict):
    code = "media_not_ready"
    default_message = _l("This module's video is being prepared. Check back soon.")


class MediaNotFound(NotFound):
    code = "media_not_found"
    default_message = _l("No such media file.")


__all__ = [
    "AlurError", "SessionNotFound", "NotYourSession", "SessionEnded", "AheadOfFrontier",
    "InvalidHeartbeat", "DeadlinePassed", "AttendanceRequired", "SelfVerificationClosed",
    "BeyondLookahead",
    "NotPlayable", "MediaNotReady", "MediaNotFound",
]
