"""Pacing endpoints of the JSON API (docs/http-api.md): playback sessions and heartbeats."""
from __future__ import annotations

import re

from flask import Blueprint, jsonify, request, url_for
from flask_login import current_user, login_required

from lms.api.openapi import (BODY_ERRORS, BOOL, INT, NUM, STR, _json, _obj, nullable, op, record,
                             register_paths)
from lms.pacing import heartbeats, rules, sessions
from lms.pacing.models import SessionKind
from lms.security import request_caller

bp = Blueprint("pacing_api", __name__)

#: A heartbeat is a few dozen bytes; anything much larger is not one and is not parsed.
MAX_HEARTBEAT_BYTES = 4096


def _opened_json(opened: sessions.OpenedSession) -> dict:
    session = opened.session
    video = session.kind == SessionKind.VIDEO
    sid = session.id
    return {
        "session_id": sid,
        "module_id": opened.module.id,
        "enrollment_id": opened.enrollment.id,
        "kind": session.kind,
        "resume_at": opened.resume_at,
        "frontier": opened.frontier,
        "duration_seconds": session.target_seconds,
        "playlist_url": url_for("media_gate.master", session_id=sid) if video else None,
        "poster_url": url_for("media_gate.poster", session_id=sid) if video else None,
        "captions": [{"language": c.language,
                      "url": url_for("media_gate.caption", session_id=sid, language=c.language)}
                     for c in opened.captions],
        "heartbeat_seconds": rules.HEARTBEAT_SECONDS,
        "lookahead_seconds": rules.LOOKAHEAD_SECONDS if video else None,
        "min_dwell_seconds": None if video else session.target_seconds,
        "dwell_seconds": None if video else opened.dwell_seconds,
        "completed": opened.completed,
        "module_status": "completed" if opened.completed else "in_progress",
    }


#: What a device id may look like (the player sends a UUID); anything else is not kept.
DEVICE_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


def _device_id() -> str:
    """The optional `device_id` of the body; a missing, malformed or odd one is left out
    rather than refused, so an old player keeps working."""
    body = request.get_json(silent=True, force=True) if request.data else None
    value = body.get("device_id") if isinstance(body, dict) else None
    return value if isinstance(value, str) and DEVICE_ID.fullmatch(value) else ""


@bp.post("/modules/<int:module_id>/sessions")
@login_required
def open_session(module_id: int):
    client = sessions.ClientInfo(ip=request.remote_addr or "",
                                 user_agent=request.headers.get("User-Agent", ""),
                                 device_id=_device_id())
    opened = sessions.open_session(current_user, module_id, client)
    return jsonify(_opened_json(opened)), 201


def _heartbeat_body() -> object:
    if (request.content_length or 0) > MAX_HEARTBEAT_BYTES:
        return None
    return request.get_json(silent=True, force=True)


@bp.post("/sessions/<int:session_id>/heartbeats")
def heartbeat(session_id: int):
    # No login_required: the caller's claim is checked in the query that locks the session.
    answer = heartbeats.record_heartbeat(request_caller(), session_id, _heartbeat_body())
    if answer.error is not None:
        # The evidence of a refused heartbeat is kept too.
        raise answer.error.keeping_changes()
    return jsonify(_answer_json(answer))


def _answer_json(answer: heartbeats.HeartbeatAnswer) -> dict:
    nxt = answer.next_module
    return {
        "session_id": answer.session_id,
        "outcome": answer.outcome,
        "frontier": answer.frontier,
        "completed": answer.completed,
        "newly_completed": answer.newly_completed,
        "module_status": answer.module_status,
        "duration_seconds": answer.target_seconds,
        "credited_seconds": answer.credited_seconds,
        "dwell_seconds": answer.dwell_seconds,
        "enrollment_status": answer.enrollment_status,
        "next_module": None if nxt is None else {
            "module_id": nxt.module_id, "title": nxt.title, "kind": nxt.kind,
            "status": nxt.status,
            "url": url_for("learning.module", enrollment_id=answer.enrollment_id,
                           module_id=nxt.module_id)},
    }


_SESSION = record(
    session_id=INT, module_id=INT, enrollment_id=INT, kind=STR, resume_at=NUM, frontier=NUM,
    duration_seconds=nullable(NUM), playlist_url=nullable(STR), poster_url=nullable(STR),
    captions={"type": "array", "items": record(language=STR, url=STR)},
    heartbeat_seconds=NUM, lookahead_seconds=nullable(NUM), min_dwell_seconds=nullable(NUM),
    dwell_seconds=nullable(NUM), completed=BOOL, module_status=STR)
_VIDEO_BEAT = {**_obj(position=NUM, playing=BOOL, rate=NUM, seq=INT),
               "required": ["position", "playing", "rate", "seq"],
               "description": "Video: where the player is, whether it plays, at what rate; "
                              "`seq` increases by 1 per heartbeat of the session."}
_READING_BEAT = {**_obj(visible=BOOL, seq=INT), "required": ["visible", "seq"],
                 "description": "Reading: whether the page is visible; `seq` as for videos."}
_BEAT_ANSWER = record(
    session_id=INT, outcome=STR, frontier=NUM, completed=BOOL, newly_completed=BOOL,
    module_status=STR, duration_seconds=nullable(NUM), credited_seconds=NUM,
    dwell_seconds=nullable(NUM), enrollment_status=STR,
    next_module=nullable(record(module_id=INT, title=STR, kind=STR, status=STR, url=STR)))
register_paths({
    "/api/v1/modules/{module_id}/sessions": {"post": {"requestBody": {
        "required": False, **_json(_obj(device_id={
            **STR, "description": "optional: the browser's own random id (8-64 of "
            "A-Z a-z 0-9 . _ -), kept for reviewers"}))}, **op(
        "Open a playback session on a video module (or a reading session on a reading): ends "
        "the learner's previous session and says where to resume. Media URLs live under the "
        "session and stop working when it ends.",
        {201: {"description": "session", **_json(_SESSION)},
         401: "unauthorized",
         403: "module_locked | deadline_passed | attendance_required (with verify_url)",
         404: "module_not_found | enrollment_not_found",
         409: "not_playable | media_not_ready", **BODY_ERRORS},
        params=("module_id",))}},
    "/api/v1/sessions/{session_id}/heartbeats": {"post": op(
        "Report playback (every 10 s while playing, and on play, pause, seek and end) or "
        "reading (every 10 s while visible and on visibility changes). The server counts its "
        "own wall-clock time; a stale `seq` is recorded and earns nothing (200, outcome "
        "stale_sequence).",
        {200: {"description": "judged", **_json(_BEAT_ANSWER)},
         401: "unauthorized",
         403: "deadline_passed | attendance_required (with verify_url)",
         404: "session_not_found (missing, or another learner's)",
         409: {"description": "ahead_of_frontier: jump back to resume_at",
               **_json({**_obj(error=STR, message=STR, resume_at=NUM, frontier=NUM),
                        "required": ["error", "message", "resume_at"]})},
         410: "session_ended: another tab or device opened a session",
         422: "invalid_heartbeat"},
        body={"oneOf": [_VIDEO_BEAT, _READING_BEAT]},
        params=("session_id",))},
})
