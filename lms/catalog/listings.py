"""The provider area's course list: a staff member's provider's courses (all for admins) with
each version's modules and where every video module's video stands."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from lms import permissions
from lms.accounts.models import Role, User
from lms.catalog.models import Course, CourseVersion, ModuleKind
from lms.extensions import db
from lms.media.models import AssetStatus, VideoAsset


@dataclass(frozen=True)
class VideoSummary:
    """`ready`: a video plays; `latest`: the status of the newest upload (None: none yet)."""

    ready: bool
    latest: str | None


def provider_courses(actor: User, page: int = 1, per_page: int = 20):
    """A page of the courses the actor authors for, by title, versions and modules loaded,
    and a VideoSummary per video module on the page. Raises Forbidden for anyone but
    provider staff and admins."""
    permissions.ensure_role(actor, Role.PROVIDER, Role.ADMIN)
    statement = (select(Course).order_by(Course.title, Course.id)
                 .options(selectinload(Course.versions).selectinload(CourseVersion.modules),
                          selectinload(Course.provider)))
    if not permissions.is_admin(actor):
        statement = statement.where(Course.provider_id == actor.provider_id)
    courses = db.paginate(statement, page=page, per_page=per_page, error_out=False)
    module_ids = [m.id for c in courses.items for v in c.versions for m in v.modules
                  if m.kind == ModuleKind.VIDEO]
    return courses, _video_summaries(module_ids)


def _video_summaries(module_ids: list[int]) -> dict[int, VideoSummary]:
    if not module_ids:
        return {}
    newest = dict(db.session.execute(
        select(VideoAsset.module_id, func.max(VideoAsset.id))
        .where(VideoAsset.module_id.in_(module_ids)).group_by(VideoAsset.module_id)).all())
    statuses = dict(db.session.execute(
        select(VideoAsset.id, VideoAsset.status).where(VideoAsset.id.in_(newest.values()))).all()) \
        if newest else {}
    ready = set(db.session.scalars(
        select(VideoAsset.module_id).where(VideoAsset.module_id.in_(module_ids),
                                           VideoAsset.status == AssetStatus.READY)))
    return {mid: VideoSummary(mid in ready, statuses.get(newest.get(mid)))
            for mid in module_ids}



