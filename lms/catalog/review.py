"""The programme's review: a provider submits a version (after the checklist passes), an
admin approves it (it is published) or returns it with notes. Every step is a ReviewEvent the
provider sees and an audit entry."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from lms.accounts.models import User
from lms.admin import audit
from lms.assessments.models import QuizSettings, SkillTask
from lms.catalog import checklist
from lms.catalog.errors import CourseIncomplete, NotInReview
from lms.catalog.models import (Course, CourseStatus, CourseVersion, ModuleKind,
                                ReviewAction, ReviewEvent)
from lms.catalog.versions import latest_version, publish_version
from lms.errors import Conflict, Invalid
from lms.extensions import db
from lms.media.models import Caption
from lms.media.services import playable_asset
from lms.permissions import catalog as rules

MAX_NOTES = 5000


class Decision:
    APPROVE = "approve"
    RETURN = "return"
    ALL = (APPROVE, RETURN)


@dataclass(frozen=True)
class Checklist:
    version: CourseVersion
    problems: list[checklist.Problem]
    video_seconds: float
    min_video_hours: float

    @property
    def blocking(self) -> list[checklist.Problem]:
        return checklist.blocking(self.problems)

    @property
    def warnings(self) -> list[checklist.Problem]:
        return checklist.warnings(self.problems)

    @property
    def passes(self) -> bool:
        return not self.blocking


def min_video_hours() -> float:
    return float(current_app.config.get("SPL_MIN_VIDEO_HOURS", 9))


def module_facts(version: CourseVersion) -> list[checklist.ModuleFacts]:
    """What the checks need to know of each module, in order."""
    module_ids = [m.id for m in version.modules]
    roles = dict(db.session.execute(select(QuizSettings.module_id, QuizSettings.role)
                                    .where(QuizSettings.module_id.in_(module_ids))).all()) \
        if module_ids else {}
    tasks = set(db.session.scalars(select(SkillTask.module_id).where(
        SkillTask.module_id.in_(module_ids), SkillTask.instructions != ""))) \
        if module_ids else set()
    facts = []
    for m in version.modules:
        if m.kind == ModuleKind.VIDEO:
            asset = playable_asset(m)
            captions = bool(asset and db.session.scalar(
                select(func.count(Caption.id)).where(Caption.asset_id == asset.id)))
            facts.append(checklist.ModuleFacts(
                m.kind, m.title, video_ready=asset is not None,
                video_seconds=float(asset.duration_seconds or 0) if asset else 0.0,
                has_captions=captions))
        else:
            facts.append(checklist.ModuleFacts(m.kind, m.title, quiz_role=roles.get(m.id),
                                               task_ready=m.id in tasks))
    return facts


def checklist_for(course: Course, version: CourseVersion | None = None,
                  min_hours: float | None = None) -> Checklist:
    version = version or latest_version(course)
    hours = min_video_hours() if min_hours is None else min_hours
    facts = module_facts(version)
    return Checklist(version, checklist.check(facts, course.training_type, hours),
                     checklist.ready_video_seconds(facts), hours)


def _event(actor: User | None, version: CourseVersion, action: str, notes: str = "",
           warnings: list | None = None) -> ReviewEvent:
    event = ReviewEvent(course_id=version.course_id, version_id=version.id, action=action,
                        actor_id=actor.id if actor else None, notes=notes,
                        warnings=warnings or [])
    db.session.add(event)
    db.session.flush()
    return event


def submit(actor: User, course: Course) -> CourseVersion:
    """Send the course's draft to the programme's review. Raises Forbidden / CourseNotFound,
    Conflict (nothing_to_submit, already in review) and CourseIncomplete with every blocking
    problem of the checklist."""
    rules.ensure_may_author(actor, course)
    version = latest_version(course)
    if version.status == CourseStatus.IN_REVIEW:
        raise Conflict(_l("This course is already waiting for review."), code="already_in_review")
    if version.status == CourseStatus.PUBLISHED:
        raise Conflict(_l("Nothing to submit: edit the course first, which opens a new draft."),
                       code="nothing_to_submit")
    result = checklist_for(course, version)
    if not result.passes:
        raise CourseIncomplete(problems=[p.as_dict() for p in result.blocking])
    version.status = CourseStatus.IN_REVIEW
    _event(actor, version, ReviewAction.SUBMITTED,
           warnings=[p.as_dict() for p in result.warnings])
    audit.record(actor, "course.submitted", "course", course.id, version=version.number,
                 warnings=[p.code for p in result.warnings])
    return version


def decide(actor: User, course: Course, decision: str, notes: str) -> CourseVersion:
    """Approve (publish) or return the version in review. Raises Forbidden for non-admins,
    Invalid for an unknown decision or a return without notes, NotInReview (409)."""
    rules.ensure_may_review(actor)
    if decision not in Decision.ALL:
        raise Invalid(_l("Decide approve or return."), code="invalid_decision",
                      field="decision")
    notes = (notes or "").strip()
    if len(notes) > MAX_NOTES:
        raise Invalid(_l("Notes have at most %(n)d characters.", n=MAX_NOTES),
                      code="invalid_field", field="notes")
    if decision == Decision.RETURN and not notes:
        raise Invalid(_l("Write what the provider should fix."), code="missing_field",
                      field="notes")
    version = latest_version(course)
    if version.status != CourseStatus.IN_REVIEW:
        raise NotInReview()
    if decision == Decision.APPROVE:
        publish_version(actor, version)
        _event(actor, version, ReviewAction.APPROVED, notes)
        audit.record(actor, "course.approved", "course", course.id, version=version.number)
    else:
        version.status = CourseStatus.RETURNED
        version.review_notes = notes
        _event(actor, version, ReviewAction.RETURNED, notes)
        audit.record(actor, "course.returned", "course", course.id, version=version.number,
                     notes=notes)
    return version


def queue(actor: User, page: int = 1, per_page: int = 20):
    """A page of the versions waiting for review, oldest submission first."""
    rules.ensure_may_review(actor)
    submitted = (select(ReviewEvent.version_id, func.max(ReviewEvent.created_at).label("at"))
                 .where(ReviewEvent.action == ReviewAction.SUBMITTED)
                 .group_by(ReviewEvent.version_id).subquery())
    statement = (select(CourseVersion).join(submitted, submitted.c.version_id == CourseVersion.id,
                                            isouter=True)
                 .where(CourseVersion.status == CourseStatus.IN_REVIEW)
                 .options(selectinload(CourseVersion.course).selectinload(Course.provider))
                 .order_by(submitted.c.at, CourseVersion.id))
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)


def history(course: Course) -> list[ReviewEvent]:
    """Every review step of the course, newest first."""
    return list(db.session.scalars(
        select(ReviewEvent).where(ReviewEvent.course_id == course.id)
        .options(selectinload(ReviewEvent.actor), selectinload(ReviewEvent.version))
        .order_by(ReviewEvent.id.desc())))


def course_state(course: Course) -> str:
    """The provider's word for where the course stands: draft, in_review, returned,
    published, or new_draft (a draft of a course that is already published)."""
    latest = latest_version(course)
    if latest.status == CourseStatus.PUBLISHED:
        return "published"
    if course.current_version is not None and latest.status == CourseStatus.DRAFT:
        return "new_draft"
    return latest.status


def for_review(actor: User, course: Course) -> Checklist:
    """The checklist of the version in review, for the reviewer. Raises Forbidden."""
    rules.ensure_may_review(actor)
    return checklist_for(course)


