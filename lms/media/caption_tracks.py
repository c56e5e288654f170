"""Caption tracks of a video: WebVTT per language (id, en), checked strictly on upload.

A file the browser would silently drop means a learner watching muted gets no captions and
nobody knows why, so a bad file is refused naming the line at fault. Tracks are stored at
`hls/<asset id>/captions/<language>.vtt`; the pacing gate serves them to the player.
"""
from __future__ import annotations

import io
from typing import BinaryIO

from flask_babel import lazy_gettext as _l

from lms.accounts.models import User
from lms.admin import audit
from lms.errors import Conflict, Invalid
from lms.extensions import db
from lms.media import services
from lms.media.captions import InvalidCaptions, validate_language, validate_webvtt
from lms.media.errors import CaptionFileTooLarge, InvalidCaptionFile
from lms.media.models import AssetStatus, Caption, VideoAsset
from lms.media.storage import current_storage
from lms.permissions import media as media_permissions

MAX_CAPTION_BYTES = 1024 * 1024  # an hour of dense captions is about 100 KB
LANGUAGE_NAMES = {"id": _l("Indonesian"), "en": _l("English")}


def caption_key(asset_id: int, language: str) -> str:
    return f"{services.hls_prefix(asset_id)}/captions/{language}.vtt"


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise InvalidCaptionFile(line, _l("This line is not UTF-8 text. Save the captions as "
                                          "UTF-8 and upload them again.")) from None


def store_captions(actor: User, asset: VideoAsset, language: str,
                   stream: BinaryIO | None) -> Caption:
    """Validate and store a caption track, replacing the language's earlier one.

    Raises NotFound (video_not_found), Conflict (video_not_uploaded) before the video is in,
    Invalid (unsupported_language, missing_file), CaptionFileTooLarge (413) and
    InvalidCaptionFile (422, naming the line).
    """
    media_permissions.ensure_may_manage_asset(actor, asset)
    if asset.status not in (AssetStatus.UPLOADED, AssetStatus.PROCESSING, AssetStatus.READY):
        raise Conflict(_l("Upload the video first; captions belong to an uploaded video."),
                       code="video_not_uploaded")
    try:
        language = validate_language(language)
    except ValueError as error:
        raise Invalid(_l(str(error)), code="unsupported_language") from None
    if stream is None:
        raise Invalid(_l("Choose a WebVTT (.vtt) file."), code="missing_file")
    data = stream.read(MAX_CAPTION_BYTES + 1)
    if len(data) > MAX_CAPTION_BYTES:
        raise CaptionFileTooLarge()
    text = _decode(data).removeprefix("\ufeff")
    try:
        cues = validate_webvtt(text, asset.duration_seconds)
    except InvalidCaptions as error:
        raise InvalidCaptionFile(error.line_number, _l(error.message)) from None

    key = caption_key(asset.id, language)
    caption = next((c for c in asset.captions if c.language == language), None)
    if caption is None:
        caption = Caption(asset=asset, language=language, storage_key=key)
        db.session.add(caption)
        db.session.flush()
        services.note_written(key)  # a new object: removed again if this is rolled back
    current_storage().save(key, io.BytesIO(text.encode("utf-8")), "text/vtt")
    audit.record(actor, "captions.uploaded", "video_asset", asset.id, language=language,
                 cues=len(cues))
    return caption


def get_caption(actor: User, caption_id: int) -> Caption:
    """Raises NotFound (caption_not_found) unless the actor manages the caption's course."""
    return media_permissions.ensure_may_manage_caption(actor, db.session.get(Caption, caption_id))


def delete_captions(actor: User, caption: Caption) -> None:
    """Remove a caption track and, once that is committed, its file. Raises NotFound."""
    media_permissions.ensure_may_manage_caption(actor, caption)
    asset = caption.asset
    audit.record(actor, "captions.deleted", "video_asset", asset.id, language=caption.language)
    services.delete_after_commit(caption.storage_key, folder=False)
    db.session.delete(caption)
    db.session.flush()
