"""Every access rule in one place: `may_*` answer a question, `ensure_*` raise.

Views, the API, tasks and the CLI all go through these (via the services), so no entry
point can bypass a rule. Where revealing that a thing exists would leak another person's
data, the `ensure_*` raises NotFound rather than Forbidden.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Row, and_, bindparam, exists, false

from lms.accounts import callers
from lms.accounts.models import ApiToken, Role, User
from lms.catalog.models import Course, Module
from lms.errors import Forbidden, NotFound, Unauthorized
from lms.learning.models import Enrollment
from lms.pacing import sequence
from lms.pacing.errors import NotYourSession, SessionEnded, SessionNotFound
from lms.pacing.models import PlaybackSession


class ModuleLocked(Forbidden):
    code = "module_locked"
    default_message = _l("This module is locked. Finish the earlier modules first.")


def is_admin(user: User | None) -> bool:
    return bool(user and user.is_authenticated and user.role == Role.ADMIN)


def ensure_admin(user: User | None) -> None:
    """Raises Forbidden unless the user is a programme admin."""
    if not is_admin(user):
        raise Forbidden(_l("Only programme admins may do that."), code="admin_only")


def ensure_role(user: User | None, *roles: str) -> None:
    """Raises Forbidden unless the user has one of the roles."""
    if not (user and user.is_authenticated and user.role in roles):
        raise Forbidden()


def may_author_for(user: User | None, provider_id: int) -> bool:
    """Provider staff author for their own provider only; admins for any."""
    if is_admin(user):
        return True
    return bool(user and user.is_authenticated and user.role == Role.PROVIDER
                and user.provider_id == provider_id)


def may_manage_course(user: User | None, course: Course) -> bool:
    return may_author_for(user, course.provider_id)


def ensure_may_manage_course(user: User | None, course: Course) -> None:
    """Raises NotFound for staff of another provider, so course drafts do not leak."""
    if not may_manage_course(user, course):
        raise NotFound(code="course_not_found")


def may_view_course(user: User | None, course: Course) -> bool:
    return course.is_published or may_manage_course(user, course)


def ensure_may_view_course(user: User | None, course: Course) -> None:
    """Raises NotFound for unpublished courses the user does not manage."""
    if not may_view_course(user, course):
        raise NotFound(_l("No such course."), code="course_not_found")


def ensure_enrollment_owner(user: User | None, enrollment: Enrollment | None) -> Enrollment:
    """Raises NotFound unless the enrollment exists and belongs to the user: another learner's
    enrollment is indistinguishable from a missing one."""
    if enrollment is None or user is None or not user.is_authenticated \
            or enrollment.user_id != user.id:
        raise NotFound(_l("No such enrollment."), code="enrollment_not_found")
    return enrollment


def ensure_module_available(enrollment: Enrollment, module: Module) -> None:
    """Raises NotFound if the module is not part of the enrollment's course version and
    ModuleLocked (403) naming the module to finish first if an earlier required one is open."""
    if module.version_id != enrollment.version_id:
        raise NotFound(_l("No such module in this course."), code="module_not_found")
    blocker = sequence.blocking_module(enrollment, module)
    if blocker is not None:
        raise ModuleLocked(
            _l("This module is locked. Finish “%(title)s” first.", title=blocker.title),
            finish_first={"module_id": blocker.id, "position": blocker.position,
                          "title": blocker.title},
        )


def owner_claim(owner_id: ColumnElement[int], caller_kind: str) -> ColumnElement[bool]:
    """The SQL form of the owner checks below, for the hot paths that check a claimed caller
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


def ensure_signed_in(user: User | None) -> User:
    """Raises Unauthorized (401) unless someone is signed in."""
    if user is None or not user.is_authenticated:
        raise Unauthorized()
    return user


def ensure_playback_owner(user: User | None,
                          session: PlaybackSession | Row | None) -> PlaybackSession | Row:
    """Raises SessionNotFound (404) unless the playback session (a model or a row with its
    columns) exists and is the user's: the API never confirms another learner's session."""
    if session is None or user is None or not user.is_authenticated \
            or session.user_id != user.id:
        raise SessionNotFound()
    return session


def ensure_may_stream(user: User | None, session: PlaybackSession | Row) -> None:
    """Media of a session: raises NotYourSession (403, as the contract says for media) for
    another learner's session and SessionEnded (410) once the session was replaced."""
    if user is None or not user.is_authenticated or session.user_id != user.id:
        raise NotYourSession()
    ensure_session_live(session)


def ensure_session_live(session: PlaybackSession | Row) -> None:
    """Raises SessionEnded (410) once the session was replaced or closed."""
    if session.ended_at is not None:
        raise SessionEnded()


def may_grant_attempt(user: User | None, course: Course) -> bool:
    """Staff of the course's own provider and programme admins may give extra quiz attempts."""
    return may_manage_course(user, course)


def ensure_may_grant_attempt(user: User | None, course: Course) -> None:
    """Raises Forbidden for anyone but provider staff and admins, and NotFound for staff of
    another provider, so another provider's learners do not leak."""
    if not (user and user.is_authenticated and user.role in (Role.PROVIDER, Role.ADMIN)):
        raise Forbidden(_l("Only training provider staff and programme admins may grant extra "
                           "attempts."), code="staff_only")
    if not may_grant_attempt(user, course):
        raise NotFound(_l("No such enrollment."), code="enrollment_not_found")
