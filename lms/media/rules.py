"""What may be done with a video asset in its current state (who may: `lms.permissions.media`)."""
from __future__ import annotations


from lms.media.errors import AssetInUse
from lms.media.models import AssetStatus, VideoAsset


def may_delete_asset(asset: VideoAsset) -> bool:
    return asset.status in AssetStatus.UNPLAYED


def ensure_may_delete_asset(asset: VideoAsset) -> None:
    """Raises AssetInUse (409) for a ready asset: sessions and evidence point at it."""
    if not may_delete_asset(asset):
        raise AssetInUse()


def may_retry_asset(asset: VideoAsset) -> bool:
    return asset.status == AssetStatus.FAILED and bool(asset.source_key)
