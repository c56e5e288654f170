"""Who may upload and manage a module's video, its renditions and captions.

Staff of the course's provider and programme admins only. Anyone else is told the module or
asset does not exist (404), so a provider's unpublished drafts and uploads do not leak.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.accounts.models import User
from lms.catalog.models import Module, ModuleKind
from lms.errors import NotFound
from lms.media.errors import NotAVideoModule
from lms.media.models import Caption, VideoAsset
from lms.permissions.catalog import may_manage_course
from lms.permissions.derive import ensure_subject_from


def may_manage_module_video(user: User | None, module: Module) -> bool:
    return may_manage_course(user, module.course)


def may_manage_asset(user: User | None, asset: VideoAsset) -> bool:
    return may_manage_module_video(user, asset.module)


def may_manage_caption(user: User | None, caption: Caption) -> bool:
    return may_manage_module_video(user, caption.asset.module)


_ensure_manages_module = ensure_subject_from(
    may_manage_module_video, lambda: NotFound(_l("No such module."), code="module_not_found"))
ensure_may_manage_asset = ensure_subject_from(
    may_manage_asset, lambda: NotFound(_l("No such video."), code="video_not_found"))
ensure_may_manage_caption = ensure_subject_from(
    may_manage_caption, lambda: NotFound(_l("No such caption track."), code="caption_not_found"))


def ensure_may_manage_module_video(user: User | None, module: Module | None) -> Module:
    """Raises NotFound (module_not_found) unless the user manages the module's course, and
    NotAVideoModule (409) for a reading, quiz or skill task."""
    module = _ensure_manages_module(user, module)
    if module.kind != ModuleKind.VIDEO:
        raise NotAVideoModule()
    return module
