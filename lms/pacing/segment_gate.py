"""The segment gate (rule 4, proof of delivery): which media of a session may be served.

Media URLs live under the session (`/media/sessions/<id>/...`), so the stored playlists' relative
URIs resolve there with no rewriting, and a URL stops working the moment its session ends.
Playlists, the poster and captions are served to the session's owner while it is active; a
segment also has to start within the look-ahead past the learner's frontier. Each segment
request leaves an evidence row (served, or refused beyond the look-ahead), and each served
segment joins the learner's delivered set, which the frontier can never pass.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Row, select

from lms import permissions
from lms.accounts.callers import Caller, as_caller
from lms.accounts.models import User
from lms.catalog.models import Module
from lms.clock import utcnow
from lms.errors import AlurError
from lms.extensions import db
from lms.learning.models import Enrollment
from lms.media.models import Caption, VideoAsset
from lms.pacing import queries, rules, stored_state
from lms.pacing.errors import BeyondLookahead, MediaNotFound, SessionNotFound
from lms.pacing.models import EvidenceKind, PlaybackSession, SegmentOutcome, SessionKind

MASTER_PLAYLIST = "master.m3u8"
MEDIA_PLAYLIST = "index.m3u8"
SEGMENT_NAME = "seg_{index:05d}.ts"
_RENDITION = re.compile(r"[0-9A-Za-z_-]{1,20}")
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z]{2})?")


@dataclass(frozen=True)
class MediaGrant:
    """A storage key the caller may fetch, or the refusal to answer after the evidence is
    committed (segments beyond the look-ahead)."""

    key: str | None
    error: AlurError | None = None


def _video_session(actor: User | Caller, session_id: int,
                   with_progress: bool = False) -> tuple[Row, str]:
    """The session's row (with its progress, locked, if asked) and its HLS folder. The claim
    of a caller is checked in the same query; only when it does not match is the caller
    judged in full, to say why (401, 403, 404)."""
    caller = as_caller(actor)
    row = queries.streaming(session_id, with_progress, caller)
    if row is None:
        user = permissions.ensure_signed_in(caller.load_user())
        row = queries.streaming(session_id, with_progress)
        if row is None:
            if with_progress and db.session.get(PlaybackSession, session_id) is not None:
                raise MediaNotFound()  # no progress row: never opened through the API
            raise SessionNotFound()
        permissions.ensure_may_stream(user, row)
    permissions.ensure_session_live(row)
    if row.kind != SessionKind.VIDEO or row.asset_id is None:
        raise MediaNotFound()
    return row, (row.hls_prefix or f"hls/{row.asset_id}").rstrip("/")


def playlist_key(user: User, session_id: int, rendition: str | None = None) -> str:
    """The stored master playlist (rendition None) or a rendition's media playlist.

    Raises SessionNotFound (404), NotYourSession (403), SessionEnded (410), ModuleLocked (403)
    and MediaNotFound (404).
    """
    session, prefix = _video_session(user, session_id)
    if rendition is None:
        # Sessions open only on available modules and completion never goes back, so a
        # module cannot lock under an open session; checking at the playlist keeps that so
        # even if it ever could, without a course-wide query per segment.
        permissions.ensure_module_available(db.session.get(Enrollment, session.enrollment_id),
                                            db.session.get(Module, session.module_id))
        return f"{prefix}/{MASTER_PLAYLIST}"
    if not _RENDITION.fullmatch(rendition):
        raise MediaNotFound()
    return f"{prefix}/{rendition}/{MEDIA_PLAYLIST}"


def poster_key(user: User, session_id: int) -> str:
    session, prefix = _video_session(user, session_id)
    asset = db.session.get(VideoAsset, session.asset_id)
    return asset.poster_key if asset is not None and asset.poster_key else f"{prefix}/poster.jpg"


def caption_key(user: User, session_id: int, language: str) -> str:
    """Raises MediaNotFound for a language the video has no captions in."""
    session, _ = _video_session(user, session_id)
    key = None
    if _LANGUAGE.fullmatch(language):
        key = db.session.scalar(select(Caption.storage_key).where(
            Caption.asset_id == session.asset_id, Caption.language == language))
    if key is None:
        raise MediaNotFound()
    return key


def grant_segment(actor: User | Caller, session_id: int, rendition: str, index: int,
                  deliver: bool = True) -> MediaGrant:
    """Decide on one segment request and keep its evidence.

    Served when the segment starts at most LOOKAHEAD_SECONDS past the learner's frontier; it
    then joins the delivered set (unless `deliver` is false: a HEAD request carries no bytes).
    Refused beyond the look-ahead with BeyondLookahead (403) in `error`. Raises SessionNotFound
    (404), NotYourSession (403), SessionEnded (410) and MediaNotFound (404: no such rendition
    name or segment index).
    """
    # The progress row is locked (like heartbeats do) so a delivery recorded at the same moment
    # as a heartbeat, or as another segment, is never lost to a concurrent write.
    row, prefix = _video_session(actor, session_id, with_progress=True)
    duration, seconds = row.target_seconds, row.segment_seconds
    if not _RENDITION.fullmatch(rendition) \
            or not 0 <= index < rules.segment_count(duration, seconds):
        raise MediaNotFound()
    now = utcnow()
    video = stored_state.video_state(row)
    allowed = rules.may_serve_segment(video, index, seconds, duration)
    changed = None
    if allowed and deliver and index not in video.delivered:
        delivered = rules.record_segment_delivery(video, index, duration=duration,
                                                  segment_seconds=seconds)
        changed = {"delivered_segments": rules.encode_segments(delivered.delivered)}
    if deliver:
        queries.write(dict(
            session_id=row.id, enrollment_id=row.enrollment_id, module_id=row.module_id,
            kind=EvidenceKind.SEGMENT, at=now, segment_index=index, rendition=rendition,
            outcome=SegmentOutcome.SERVED if allowed else SegmentOutcome.BEYOND_LOOKAHEAD,
            frontier=video.frontier, credited_seconds=0.0, wall_seconds=0.0,
            detail="" if allowed else (f"starts at {index * seconds:.0f}s, past frontier "
                                       f"{video.frontier:.1f}s + {rules.LOOKAHEAD_SECONDS:.0f}s")),
            now, row.progress_id, progress=changed)
    if not allowed:
        return MediaGrant(None, BeyondLookahead(frontier=video.frontier))
    return MediaGrant(f"{prefix}/{rendition}/{SEGMENT_NAME.format(index=index)}")
