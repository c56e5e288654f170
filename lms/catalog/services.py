"""Authoring and publishing courses (the fuller editor comes with the course-editor work)."""
from __future__ import annotations

import re

import nh3

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms import permissions
from lms.accounts.models import Provider, User
from lms.admin import audit
from lms.catalog.models import Course, CourseStatus, CourseVersion, Module, ModuleKind, TrainingType
from lms.clock import utcnow
from lms.errors import Conflict, Forbidden, Invalid, NotFound
from lms.extensions import db

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def get_course_by_slug(slug: str) -> Course:
    course = db.session.scalar(select(Course).where(Course.slug == slug))
    if course is None:
        raise NotFound(_l("No such course."), code="course_not_found")
    return course


def published_courses(page: int = 1, per_page: int = 20):
    query = (select(Course).where(Course.status == CourseStatus.PUBLISHED)
             .order_by(Course.published_at.desc(), Course.id.desc()))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def create_course(actor: User | None, provider: Provider, slug: str, title: str,
                  description: str = "", training_type: str = TrainingType.SELF_PACED) -> Course:
    """Create a draft course with an empty first version. Raises Forbidden unless the actor is
    an admin or staff of the provider, Invalid for a malformed slug, Conflict if taken."""
    if actor is not None and not permissions.may_author_for(actor, provider.id):
        raise Forbidden()
    if not SLUG_RE.match(slug):
        raise Invalid(_l("A slug uses lower-case letters, digits and dashes."), code="invalid_slug")
    if db.session.scalar(select(Course).where(Course.slug == slug)):
        raise Conflict(_l("A course with this slug already exists."), code="slug_taken")
    course = Course(slug=slug, title=title, description=description, provider=provider,
                    training_type=training_type)
    course.versions.append(CourseVersion(number=1))
    db.session.add(course)
    db.session.flush()
    audit.record(actor, "course.created", "course", course.id, slug=slug)
    return course


def draft_version(course: Course) -> CourseVersion:
    """The version being edited; a new one is opened once the last has been published."""
    latest = course.versions[-1]
    if latest.status == CourseStatus.DRAFT:
        return latest
    version = CourseVersion(course=course, number=latest.number + 1)
    db.session.add(version)
    return version


def add_module(actor: User | None, course: Course, kind: str, title: str, *,
               required: bool = True, duration_seconds: float | None = None, body: str = "",
               min_dwell_seconds: int | None = None) -> Module:
    """Append a module to the course's draft version. Raises Forbidden/NotFound for users who
    do not manage the course, Invalid for an unknown kind."""
    if actor is not None:
        permissions.ensure_may_manage_course(actor, course)
    if kind not in ModuleKind.ALL:
        raise Invalid(_l("Unknown module kind."), code="invalid_kind")
    version = draft_version(course)
    # Reading bodies are shown as HTML: only a safe subset of tags survives.
    module = Module(version=version, position=len(version.modules) + 1, kind=kind, title=title,
                    required=required, duration_seconds=duration_seconds, body=nh3.clean(body),
                    min_dwell_seconds=min_dwell_seconds)
    db.session.add(module)
    db.session.flush()
    return module


def publish_course(actor: User | None, course: Course) -> CourseVersion:
    """Publish the draft version. Raises Invalid for a version with no modules."""
    if actor is not None:
        permissions.ensure_may_manage_course(actor, course)
    version = course.versions[-1]
    if version.status == CourseStatus.PUBLISHED:
        return version
    if not version.modules:
        raise Invalid(_l("A course needs at least one module before it is published."),
                      code="no_modules")
    now = utcnow()
    version.status = CourseStatus.PUBLISHED
    version.published_at = now
    course.status = CourseStatus.PUBLISHED
    course.published_at = course.published_at or now
    db.session.flush()
    audit.record(actor, "course.published", "course", course.id, version=version.number)
    return version
