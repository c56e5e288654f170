"""Opening playback sessions: at most one active per learner, resuming where they left off.

A session is what heartbeats and media requests belong to. Opening one (the player does it
when the module page loads, or when the learner takes over from another device) ends the
learner's previous session, whatever module it was for, so two tabs or two phones can never
both earn time.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from lms import permissions
from lms.accounts.models import User
from lms.catalog.models import Module, ModuleKind
from lms.clock import utcnow
from lms.errors import NotFound
from lms.extensions import db
from lms.learning import completion
from lms.learning import deadlines
from lms.learning.models import Enrollment, ModuleProgress
from lms.media.models import Caption, VideoAsset
from lms.media.services import playable_asset
from lms.pacing import attendance, rules, stored_state
from lms.pacing.errors import MediaNotReady, NotPlayable
from lms.pacing.models import EndReason, PlaybackSession, SessionKind


@dataclass(frozen=True)
class ClientInfo:
    """Where the request came from, kept on the session for reviewers."""

    ip: str = ""
    user_agent: str = ""


@dataclass(frozen=True)
class OpenedSession:
    session: PlaybackSession
    enrollment: Enrollment
    module: Module
    progress: ModuleProgress
    resume_at: float
    frontier: float
    completed: bool
    asset: VideoAsset | None
    captions: list[Caption]

    @property
    def dwell_seconds(self) -> float:
        return self.progress.wall_seconds or 0.0


def owner_enrollment(user: User, module_id: int) -> tuple[Enrollment, Module]:
    """The module and the user's enrollment in its course version. Raises NotFound for an
    unknown module or one whose course the user is not enrolled in (the contract's 404)."""
    module = db.session.get(Module, module_id)
    if module is None:
        raise NotFound(_l("No such module."), code="module_not_found")
    enrollment = None
    if user is not None and user.is_authenticated:
        enrollment = db.session.scalar(select(Enrollment).where(
            Enrollment.user_id == user.id, Enrollment.version_id == module.version_id))
    if enrollment is None:
        raise NotFound(_l("You are not enrolled in this course."), code="enrollment_not_found")
    return enrollment, module


def _media_for(module: Module) -> tuple[VideoAsset | None, float, float, str]:
    """(asset, target seconds, segment seconds, kind) of a playable module."""
    if module.kind == ModuleKind.VIDEO:
        asset = playable_asset(module)
        duration = (asset.duration_seconds or module.duration_seconds) if asset else None
        if asset is None or not duration or duration <= 0:
            raise MediaNotReady()
        return asset, float(duration), float(asset.segment_seconds or rules.SEGMENT_SECONDS), \
            SessionKind.VIDEO
    if module.kind == ModuleKind.READING:
        return None, stored_state.reading_target(module.body, module.min_dwell_seconds), \
            rules.SEGMENT_SECONDS, SessionKind.READING
    raise NotPlayable()


def end_active_sessions(user: User, now: datetime, reason: str = EndReason.REPLACED) -> None:
    """End every active session of the user (their later heartbeats answer 410)."""
    db.session.execute(
        update(PlaybackSession)
        .where(PlaybackSession.user_id == user.id, PlaybackSession.ended_at.is_(None))
        .values(ended_at=now, end_reason=reason)
        .execution_options(synchronize_session=False))


def open_session(user: User, module_id: int, client: ClientInfo = ClientInfo()) -> OpenedSession:
    """Open a playback (video) or reading session on a module for the learner, ending their
    previous session, and say where to resume.

    Raises NotFound (unknown module, not enrolled), ModuleLocked (403), NotPlayable (409: a
    quiz or a skill task), MediaNotReady (409), DeadlinePassed (403) and AttendanceRequired
    (403, with `verify_url`).
    """
    enrollment, module = owner_enrollment(user, module_id)
    permissions.ensure_module_available(enrollment, module)
    asset, target, segment_seconds, kind = _media_for(module)
    now = utcnow()
    deadlines.ensure_before_deadline(enrollment, now)
    attendance.ensure_attended(user, now)

    # Serialise openings per learner (PostgreSQL; SQLite's writers already queue): two tabs
    # opening at once must end with exactly one active session, not two. NO KEY UPDATE, so
    # rows elsewhere that merely reference the learner are not held up.
    db.session.execute(select(User.id).where(User.id == user.id)
                       .with_for_update(key_share=True))
    end_active_sessions(user, now)
    progress = completion.progress_for(enrollment, module, now)
    session = PlaybackSession(
        user_id=user.id, enrollment_id=enrollment.id, module_id=module.id, kind=kind,
        asset_id=asset.id if asset else None, target_seconds=target,
        segment_seconds=segment_seconds, started_at=now,
        client_ip=(client.ip or "")[:45], user_agent=(client.user_agent or "")[:300])
    db.session.add(session)
    db.session.flush()

    if kind == SessionKind.VIDEO:
        video = stored_state.video_state(progress)
        resume_at, frontier = rules.resume_position(video, target), video.frontier
    else:
        resume_at, frontier = 0.0, progress.frontier_seconds or 0.0
    captions = list(asset.captions) if asset is not None else []
    return OpenedSession(session=session, enrollment=enrollment, module=module,
                         progress=progress, resume_at=resume_at, frontier=frontier,
                         completed=progress.completed_at is not None, asset=asset,
                         captions=captions)


def get_session_for(user: User, session_id: int) -> PlaybackSession:
    """Raises SessionNotFound (404) for a missing session or another learner's."""
    return permissions.ensure_playback_owner(user, db.session.get(PlaybackSession, session_id))
