"""Access rows for pacing: playback sessions, heartbeats, the media gate and attendance."""
from __future__ import annotations

from lms.catalog.models import ModuleKind
from lms.extensions import db
from lms.pacing import sessions
from tests import factories, factories_media
from tests.access.matrix import LOGIN, UNAUTH, Case, everyone, signed_in


def extend_world(world: dict) -> None:
    """A course of provider A with a playable 8 s video then a reading; the learner is
    enrolled and has a playback session open on the video."""
    learner = world["users"]["learner"]
    course = factories.course(world["provider_a"], kinds=(ModuleKind.VIDEO, ModuleKind.READING))
    video, reading = course.current_version.modules
    factories_media.ready_video(video, seconds=8)
    factories.enrollment(learner, course)
    opened = sessions.open_session(learner, video.id)
    db.session.commit()
    world.update(pv_module_id=video.id, pv_locked_id=reading.id, pv_session_id=opened.session.id)


MEDIA = signed_in(403, anonymous=UNAUTH, learner=200)
SID = "/media/sessions/{pv_session_id}"

CASES = [
    Case("api.pacing_api.open_session", "POST", "/api/v1/modules/{pv_module_id}/sessions",
         signed_in(404, anonymous=UNAUTH, learner=201)),
    Case("api.pacing_api.open_session", "POST", "/api/v1/modules/{pv_locked_id}/sessions",
         signed_in(404, anonymous=UNAUTH, learner=403)),
    Case("api.pacing_api.heartbeat", "POST", "/api/v1/sessions/{pv_session_id}/heartbeats",
         signed_in(404, anonymous=UNAUTH, learner=422), json={}),
    Case("media_gate.master", "GET", SID + "/master.m3u8", MEDIA),
    Case("media_gate.rendition_playlist", "GET", SID + "/180p/index.m3u8", MEDIA),
    Case("media_gate.segment", "GET", SID + "/180p/seg_00000.ts", MEDIA),
    Case("media_gate.poster", "GET", SID + "/poster.jpg", MEDIA),
    Case("media_gate.caption", "GET", SID + "/captions/en.vtt", MEDIA),
    Case("pacing.attendance", "GET", "/attendance/verify", signed_in(200)),
    Case("pacing.attendance_verify", "POST", "/attendance/verify", signed_in(302), data={}),
]

__all__ = ["CASES", "LOGIN", "everyone", "extend_world"]
