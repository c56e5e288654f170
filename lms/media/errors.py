"""What the media services refuse: uploads, videos, captions."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.errors import Conflict, Invalid, TooLarge
from lms.media.probe import InvalidMedia


class NotAVideoModule(Conflict):
    code = "not_a_video_module"
    default_message = _l("This module is not a video module, so it takes no video.")


class AssetInUse(Conflict):
    code = "asset_in_use"
    default_message = _l("A ready video is kept: learners' progress refers to it. "
                         "Upload a new video to replace it.")


class VideoTooLarge(TooLarge):
    def __init__(self, limit_mb: int) -> None:
        super().__init__(_l("This video is larger than the limit of %(mb)d MB. Export it at a "
                            "lower resolution or bit rate, or split it into shorter modules.",
                            mb=limit_mb), limit_mb=limit_mb)


class InvalidVideo(Invalid):
    """The probe refused the file; `code` says why (empty_file, not_media, image_not_video,
    truncated, no_video_stream, no_duration)."""

    @classmethod
    def from_probe(cls, error: InvalidMedia) -> "InvalidVideo":
        # The probe's messages are English source strings marked for extraction there.
        return cls(_l(error.message), code=error.code)


class MissingFile(Invalid):
    code = "missing_file"
    default_message = _l("Choose a video file to upload.")


class UploadNotReceived(Conflict):
    code = "upload_not_received"
    default_message = _l("The file has not arrived in storage yet. Upload it again.")


class InvalidCaptionFile(Invalid):
    """Refused WebVTT; `line` (in the payload too) is the line at fault."""

    code = "invalid_captions"

    def __init__(self, line: int, message) -> None:
        super().__init__(_l("Line %(line)d: %(message)s", line=line, message=message),
                         line=line)
        self.line = line


class CaptionFileTooLarge(TooLarge):
    default_message = _l("A caption file may have at most 1 MB. Is this really a WebVTT file?")
