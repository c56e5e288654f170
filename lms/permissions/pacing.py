"""Whose a playback session is, and whether its media may still be streamed."""
from __future__ import annotations

from sqlalchemy import ColumnElement, Row, and_, bindparam, exists, false

from lms.accounts import callers
from lms.accounts.models import ApiToken, User
from lms.pacing.errors import NotYourSession, SessionEnded, SessionNotFound
from lms.pacing.models import PlaybackSession
from lms.permissions.accounts import is_signed_in
from lms.permissions.derive import ensure_from, ensure_subject_from

Session = PlaybackSession | Row


def owns_session(user: User | None, session: Session) -> bool:
    """The session (a model, or a row with its columns) is the user's."""
    return is_signed_in(user) and session.user_id == user.id


def is_live(session: Session) -> bool:
    return session.ended_at is None


def owner_claim(owner_id: ColumnElement[int], caller_kind: str) -> ColumnElement[bool]:
    """`owns_session` in SQL, for the hot paths that check a claimed caller
    (`lms.accounts.callers`) in the query loading their rows: true when the owner is an
    active user and is the session cookie's user (`:claimed_user_id`) or holds the unrevoked
    bearer token (`:claimed_token_digest`). Never true for an anonymous caller."""
    users, tokens = User.__table__, ApiToken.__table__
    active = exists().where(users.c.id == owner_id, users.c.active.is_(True))
    if caller_kind == callers.SESSION:
        return and_(owner_id == bindparam("claimed_user_id", type_=users.c.id.type), active)
    if caller_kind == callers.TOKEN:
        digest = bindparam("claimed_token_digest", type_=tokens.c.token_hash.type)
        return and_(active, exists().where(tokens.c.user_id == owner_id,
                                           tokens.c.token_hash == digest,
                                           tokens.c.revoked_at.is_(None)))
    return false()


# The API never confirms another learner's session: 404, as for a missing one.
ensure_playback_owner = ensure_subject_from(owns_session, SessionNotFound)
ensure_session_live = ensure_from(is_live, SessionEnded)
# Media answers 403 for another learner's session, as the HLS clients expect.
_ensure_streams_own = ensure_from(owns_session, NotYourSession)


def ensure_may_stream(user: User | None, session: Session) -> None:
    """Media of a session: raises NotYourSession (403) for another learner's session and
    SessionEnded (410) once the session was replaced."""
    _ensure_streams_own(user, session)
    ensure_session_live(session)
