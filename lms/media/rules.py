"""Who may upload and manage a module's video, its renditions and captions.

Staff of the course's provider and programme admins only. Anyone else is told the module or
asset does not exist (404), so a provider's unpublished drafts and uploads do not leak.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms import permissions
from lms.accounts.models import User
from lms.catalog.models import Module, ModuleKind
from lms.errors import Conflict, NotFound
from lms.media.models import AssetStatus, Caption, VideoAsset


class NotAVideoModule(Conflict):
    code = "not_a_video_module"
    default_message = _l("This module is not a video module, so it takes no video.")


class AssetInUse(Conflict):
    code = "asset_in_use"
    default_message = _l("A ready video is kept: learners' progress refers to it. "
                         "Upload a new video to replace it.")


def may_manage_module_video(user: User | None, module: Module) -> bool:
    return permissions.may_manage_course(user, module.course)


def ensure_may_manage_module_video(user: User | None, module: Module | None) -> Module:
    """Raises NotFound (module_not_found) unless the user manages the module's course, and
    NotAVideoModule (409) for a reading, quiz or skill task."""
    if module is None or not may_manage_module_video(user, module):
        raise NotFound(_l("No such module."), code="module_not_found")
    if module.kind != ModuleKind.VIDEO:
        raise NotAVideoModule()
    return module


def ensure_may_manage_asset(user: User | None, asset: VideoAsset | None) -> VideoAsset:
    """Raises NotFound (video_not_found) unless the user manages the asset's course."""
    if asset is None or not may_manage_module_video(user, asset.module):
        raise NotFound(_l("No such video."), code="video_not_found")
    return asset


def ensure_may_manage_caption(user: User | None, caption: Caption | None) -> Caption:
    """Raises NotFound (caption_not_found) unless the user manages the caption's course."""
    if caption is None or not may_manage_module_video(user, caption.asset.module):
        raise NotFound(_l("No such caption track."), code="caption_not_found")
    return caption


def may_delete_asset(asset: VideoAsset) -> bool:
    return asset.status in AssetStatus.UNPLAYED


def ensure_may_delete_asset(asset: VideoAsset) -> None:
    """Raises AssetInUse (409) for a ready asset: sessions and evidence point at it."""
    if not may_delete_asset(asset):
        raise AssetInUse()


def may_retry_asset(asset: VideoAsset) -> bool:
    return asset.status == AssetStatus.FAILED and bool(asset.source_key)
