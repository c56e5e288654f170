"""Courses and their modules: creating, editing, ordering and publishing.

Every change lands on the course's draft version (lms.catalog.versions); the published
versions learners study are never edited. Services check the rules themselves, flush and
write the audit entry; the request or command commits.
"""
from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass

import nh3
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from lms import permissions
from lms.accounts.models import Provider, User
from lms.admin import audit
from lms.assessments.models import QuizSettings, SkillTask
from lms.catalog.errors import CourseNotFound, ModuleNotFound
from lms.catalog.models import (Course, CourseLanguage, CourseStatus, CourseVersion, Module,
                                ModuleKind, TrainingType)
from lms.catalog.reading_images import SRC as IMAGE_SRC
from lms.catalog.versions import draft_version, latest_version, publish_version
from lms.errors import Conflict, Forbidden, Invalid
from lms.extensions import db
from lms.media import services as media
from lms.permissions import catalog as rules

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PROGRAMME_CODE_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
MAX_TITLE = 200
MAX_DESCRIPTION = 10_000
MAX_BODY = 200_000
MAX_FINISH_DAYS = 365
MAX_DWELL_SECONDS = 4 * 3600
MAX_ID = 2**31 - 1

__all__ = ["draft_version", "publish_course", "add_module"]


@dataclass(frozen=True)
class CourseDetails:
    """What the course form (and a package's course.json) sets on a course."""

    title: str
    description: str = ""
    language: str = "id"
    training_type: str = TrainingType.SELF_PACED
    finish_within_days: int | None = None
    programme_course_code: str | None = None


# --- loading --------------------------------------------------------------------------------

def get_course_by_slug(slug: str) -> Course:
    course = db.session.scalar(select(Course).where(Course.slug == slug))
    if course is None:
        raise CourseNotFound()
    return course


def get_course(actor: User, course_id: int) -> Course:
    """A course the actor authors. Raises Forbidden for learners, CourseNotFound otherwise."""
    course = db.session.get(Course, course_id) if 0 < course_id <= MAX_ID else None
    return rules.ensure_may_author(actor, course)


def get_module(actor: User, module_id: int) -> Module:
    """A module of a course the actor authors. Raises Forbidden / ModuleNotFound."""
    rules.ensure_staff(actor)
    module = db.session.get(Module, module_id) if 0 < module_id <= MAX_ID else None
    if module is None or not rules.may_author(actor, module.course):
        raise ModuleNotFound()
    return module


def published_courses(page: int = 1, per_page: int = 20):
    query = (select(Course).where(Course.status == CourseStatus.PUBLISHED)
             .order_by(Course.published_at.desc(), Course.id.desc()))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


# --- courses --------------------------------------------------------------------------------

def check_details(details: CourseDetails) -> CourseDetails:
    """The details, trimmed. Raises Invalid naming the first field that is wrong."""
    title = (details.title or "").strip()
    if not title or len(title) > MAX_TITLE:
        raise Invalid(_l("Give the course a title of at most %(n)d characters.", n=MAX_TITLE),
                      code="invalid_title", field="title")
    if len(details.description or "") > MAX_DESCRIPTION:
        raise Invalid(_l("The description has at most %(n)d characters.", n=MAX_DESCRIPTION),
                      code="invalid_description", field="description")
    if details.language not in CourseLanguage.ALL:
        raise Invalid(_l("Choose the course's language."), code="invalid_language",
                      field="language")
    if details.training_type not in TrainingType.COURSE_TYPES:
        raise Invalid(_l("Choose self-paced or general training."),
                      code="invalid_training_type", field="training_type")
    days = details.finish_within_days
    if days is not None and (isinstance(days, bool) or not isinstance(days, int)
                             or not 1 <= days <= MAX_FINISH_DAYS):
        raise Invalid(_l("Finish within 1 to %(n)d days, or leave it empty for no deadline.",
                         n=MAX_FINISH_DAYS), code="invalid_finish_within_days",
                      field="finish_within_days")
    code = (details.programme_course_code or "").strip() or None
    if code is not None and not PROGRAMME_CODE_RE.match(code):
        raise Invalid(_l("The programme's course code uses letters, digits, dots, dashes and "
                         "underscores (at most 64)."), code="invalid_programme_course_code",
                      field="programme_course_code")
    return CourseDetails(title, (details.description or "").strip(), details.language,
                         details.training_type, days, code)


def slug_for(title: str) -> str:
    """A free slug made from the title (with a short random tail when the plain one is taken)."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:80] or "course"
    slug = base
    while db.session.scalar(select(Course.id).where(Course.slug == slug)):
        slug = f"{base}-{secrets.token_hex(3)}"
    return slug


def create_course(actor: User | None, provider: Provider, slug: str | None, title: str,
                  description: str = "", training_type: str = TrainingType.SELF_PACED,
                  **details) -> Course:
    """Create a draft course with an empty first version (slug from the title when None).

    Raises Forbidden unless the actor is an admin or staff of the provider, Invalid for a
    malformed slug or detail (check_details), Conflict if the slug is taken."""
    if actor is not None and not permissions.may_author_for(actor, provider.id):
        raise Forbidden()
    checked = check_details(CourseDetails(title, description, training_type=training_type,
                                          **details))
    slug = slug or slug_for(checked.title)
    if not SLUG_RE.match(slug) or len(slug) > 120:
        raise Invalid(_l("A slug uses lower-case letters, digits and dashes."), code="invalid_slug")
    if db.session.scalar(select(Course).where(Course.slug == slug)):
        raise Conflict(_l("A course with this slug already exists."), code="slug_taken")
    course = Course(slug=slug, provider=provider, **_columns(checked))
    course.versions.append(CourseVersion(number=1))
    db.session.add(course)
    db.session.flush()
    audit.record(actor, "course.created", "course", course.id, slug=slug)
    return course


def _columns(details: CourseDetails) -> dict:
    return {"title": details.title, "description": details.description,
            "language": details.language, "training_type": details.training_type,
            "finish_within_days": details.finish_within_days,
            "programme_course_code": details.programme_course_code}


def update_course(actor: User, course: Course, details: CourseDetails) -> Course:
    """Change a course's details. Raises Forbidden / CourseNotFound and Invalid."""
    rules.ensure_may_author(actor, course)
    checked = check_details(details)
    changed = {k: v for k, v in _columns(checked).items() if getattr(course, k) != v}
    for name, value in changed.items():
        setattr(course, name, value)
    db.session.flush()
    if changed:
        audit.record(actor, "course.updated", "course", course.id, fields=sorted(changed))
    return course


def publish_course(actor: User | None, course: Course) -> CourseVersion:
    """Publish the latest version directly: the system's way (demo seed, tests, the review's
    approval). Raises Forbidden for anyone but admins, Invalid for a version with no modules."""
    if actor is not None:
        rules.ensure_may_review(actor)
    version = latest_version(course)
    if version.status == CourseStatus.PUBLISHED:
        return version
    if not version.modules:
        raise Invalid(_l("A course needs at least one module before it is published."),
                      code="no_modules")
    return publish_version(actor, version)


# --- modules --------------------------------------------------------------------------------

def _check_title(title: str) -> str:
    title = (title or "").strip()
    if not title or len(title) > MAX_TITLE:
        raise Invalid(_l("Give the module a title of at most %(n)d characters.", n=MAX_TITLE),
                      code="invalid_title", field="title")
    return title


def _check_dwell(seconds: int | None) -> int | None:
    if seconds is not None and (isinstance(seconds, bool) or not isinstance(seconds, int)
                                or not 10 <= seconds <= MAX_DWELL_SECONDS):
        raise Invalid(_l("The minimum reading time is between 10 seconds and 4 hours, or "
                         "empty to derive it from the text."), code="invalid_min_seconds",
                      field="min_dwell_seconds")
    return seconds


def clean_html(body: str) -> str:
    """Reading bodies are shown as HTML: only a safe subset of tags survives."""
    if len(body or "") > MAX_BODY:
        raise Invalid(_l("The text has at most %(n)d characters.", n=MAX_BODY),
                      code="invalid_body", field="body")
    return _IMG.sub(_own_image_or_nothing,
                    nh3.clean(body or "", attribute_filter=_keep_own_images))


# nh3 would keep any image; an image from elsewhere would break the CSP's img-src and tell a
# third party who reads what, so only Alur's own reading images keep their src. nh3 writes
# every attribute as name="value" with quotes escaped, which makes its images regular.
_IMG = re.compile(r'<img((?:\s[a-z-]+="[^"]*")*)\s*/?>')
_ATTRIBUTE = re.compile(r'\s([a-z-]+)="[^"]*"')


def _own_image_or_nothing(match: re.Match[str]) -> str:
    names = _ATTRIBUTE.findall(match.group(1))
    if "src" not in names:
        return ""
    # Screen readers need an alt on every image; an empty one marks it as decoration.
    return match.group(0) if "alt" in names else f'<img alt=""{match.group(1)}>'


def _keep_own_images(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if IMAGE_SRC.match(value) else None
    if tag == "img" and attribute not in ("alt", "width", "height"):
        return None
    return value


def add_module(actor: User | None, course: Course, kind: str, title: str, *,
               required: bool = True, duration_seconds: float | None = None, body: str = "",
               min_dwell_seconds: int | None = None) -> Module:
    """Append a module to the course's draft version. Raises Forbidden / CourseNotFound for
    users who do not author the course, VersionLocked while it is in review, Invalid for an
    unknown kind or a bad title, body or reading time."""
    if actor is not None:
        rules.ensure_may_author(actor, course)
    if kind not in ModuleKind.ALL:
        raise Invalid(_l("Choose the kind of module."), code="invalid_kind", field="kind")
    title = _check_title(title)
    version = draft_version(course)
    module = Module(version=version, position=len(version.modules) + 1, kind=kind, title=title,
                    required=required, duration_seconds=duration_seconds,
                    body=clean_html(body), min_dwell_seconds=_check_dwell(min_dwell_seconds))
    db.session.add(module)
    db.session.flush()
    audit.record(actor, "module.added", "module", module.id, course=course.id, kind=kind,
                 version=version.number)
    return module


def _editable(actor: User, module: Module) -> CourseVersion:
    rules.ensure_may_author(actor, module.course)
    rules.ensure_may_edit(module.version)
    return module.version


def update_module(actor: User, module: Module, title: str, required: bool,
                  body: str | None = None, min_dwell_seconds: int | None = None) -> Module:
    """Retitle a module, mark it required or optional, and (readings) change its text and
    minimum reading time. Raises Forbidden / CourseNotFound, VersionLocked and Invalid."""
    _editable(actor, module)
    module.title = _check_title(title)
    module.required = bool(required)
    if module.kind == ModuleKind.READING:
        module.body = clean_html(body or "")
        module.min_dwell_seconds = _check_dwell(min_dwell_seconds)
    db.session.flush()
    audit.record(actor, "module.updated", "module", module.id, required=module.required)
    return module


def _renumber(version: CourseVersion, ordered: list[Module]) -> None:
    # Positions are unique per version: park every row first, then write the final order.
    for index, module in enumerate(ordered, start=1):
        module.position = -index
    db.session.flush()
    for index, module in enumerate(ordered, start=1):
        module.position = index
    db.session.flush()
    db.session.expire(version, ["modules"])


def delete_module(actor: User, module: Module) -> None:
    """Remove a draft's module with its settings and uploads; the later modules move up.
    Raises Forbidden / CourseNotFound and VersionLocked."""
    version = _editable(actor, module)
    remaining = [m for m in version.modules if m.id != module.id]
    audit.record(actor, "module.deleted", "module", module.id, course=version.course_id,
                 title=module.title, kind=module.kind)
    db.session.execute(delete(QuizSettings).where(QuizSettings.module_id == module.id))
    db.session.execute(delete(SkillTask).where(SkillTask.module_id == module.id))
    _discard_uploads(module)
    db.session.delete(module)
    db.session.flush()
    _renumber(version, remaining)


def _discard_uploads(module: Module) -> None:
    # The module's own uploads were never published (published modules are never deleted).
    for asset in media.module_assets(module):
        media.delete_after_commit(f"sources/{asset.id}")
        media.delete_after_commit(media.hls_prefix(asset.id))
        db.session.delete(asset)
    db.session.flush()


def move_module(actor: User, module: Module, offset: int) -> Module:
    """Move a module up (-1) or down (+1). Raises Forbidden / CourseNotFound, VersionLocked
    and Invalid at either end."""
    version = _editable(actor, module)
    ordered = list(version.modules)
    index = ordered.index(module)
    target = index + offset
    if offset not in (-1, 1) or not 0 <= target < len(ordered):
        raise Invalid(_l("The module cannot move further."), code="invalid_move")
    ordered[index], ordered[target] = ordered[target], ordered[index]
    _renumber(version, ordered)
    audit.record(actor, "module.moved", "module", module.id, position=module.position)
    return module


def reorder_modules(actor: User, course: Course, module_ids: list[int]) -> CourseVersion:
    """Put the draft's modules in the given order (every module exactly once). Raises
    Forbidden / CourseNotFound, VersionLocked and Invalid (invalid_order)."""
    rules.ensure_may_author(actor, course)
    version = latest_version(course)
    rules.ensure_may_edit(version)
    by_id = {m.id: m for m in version.modules}
    if sorted(module_ids) != sorted(by_id) or len(set(module_ids)) != len(module_ids):
        raise Invalid(_l("Send every module of the course exactly once."),
                      code="invalid_order")
    _renumber(version, [by_id[i] for i in module_ids])
    audit.record(actor, "modules.reordered", "course", course.id, order=module_ids)
    return version


def open_draft(actor: User, course: Course) -> CourseVersion:
    """The course's draft, copied from the published version when there is none yet. Raises
    Forbidden / CourseNotFound and VersionLocked while in review."""
    rules.ensure_may_author(actor, course)
    return draft_version(course)
