"""Access rows for media uploads (provider staff of the course's provider and admins only;
everyone else is told the module or video does not exist) and the provider course list."""
from __future__ import annotations

from lms.extensions import db
from lms.media.models import AssetStatus, Caption, VideoAsset
from tests.access.matrix import LOGIN, UNAUTH, Case, signed_in


def extend_world(world: dict) -> None:
    """A ready video (with captions) and a failed upload on provider A's first video module.
    Rows only: the access decisions do not read the files."""
    ready = VideoAsset(module_id=world["module_id"], status=AssetStatus.READY,
                       original_filename="lesson.mp4", source_key="sources/0/lesson.mp4",
                       duration_seconds=60.0, hls_prefix="hls/0")
    failed = VideoAsset(module_id=world["module_id"], status=AssetStatus.FAILED,
                        original_filename="broken.mp4", source_key="sources/0/broken.mp4",
                        error_code="transcode_failed")
    db.session.add_all([ready, failed])
    db.session.flush()
    caption = Caption(asset_id=ready.id, language="id", storage_key="hls/0/captions/id.vtt")
    db.session.add(caption)
    db.session.commit()
    world.update(media_asset_id=ready.id, media_failed_asset_id=failed.id,
                 media_caption_id=caption.id)


MANAGERS = signed_in(404, staff=200, admin=200)  # the course's provider's staff and admins


def managers(status: int, anonymous: int = LOGIN) -> dict[str, int]:
    return signed_in(404, anonymous=anonymous, staff=status, admin=status)


CASES = [
    Case("catalog.provider_courses", "GET", "/provider/courses",
         signed_in(403, staff=200, other_staff=200, admin=200)),
    Case("media.video", "GET", "/provider/modules/{module_id}/video", MANAGERS),
    Case("media.upload", "POST", "/provider/modules/{module_id}/video", managers(422), data={}),
    Case("media.upload_captions", "POST", "/provider/video-assets/{media_asset_id}/captions",
         managers(422), data={}),
    Case("media.retry", "POST", "/provider/video-assets/{media_asset_id}/retry", managers(409),
         data={}),
    Case("media.delete", "GET", "/provider/video-assets/{media_failed_asset_id}/delete",
         MANAGERS),
    Case("media.delete", "POST", "/provider/video-assets/{media_failed_asset_id}/delete",
         managers(422), data={}),
    Case("media.delete", "GET", "/provider/video-assets/{media_asset_id}/delete", managers(409)),
    Case("media.delete_captions", "GET", "/provider/captions/{media_caption_id}/delete",
         MANAGERS),
    Case("media.delete_captions", "POST", "/provider/captions/{media_caption_id}/delete",
         managers(422), data={}),
    Case("api.videos.start_video_upload", "POST", "/api/v1/modules/{module_id}/video-uploads",
         managers(422, anonymous=UNAUTH), json={}),
    Case("api.videos.complete_video_upload", "POST",
         "/api/v1/video-assets/{media_asset_id}/complete", managers(200, anonymous=UNAUTH),
         json={}),
    Case("api.videos.get_video_asset", "GET", "/api/v1/video-assets/{media_asset_id}",
         managers(200, anonymous=UNAUTH)),
]
