"""Course cover images: checked with Pillow, stored with the other media, served to those
who may see the course."""
from __future__ import annotations

import io
import secrets
from typing import BinaryIO

from flask import current_app
from flask_babel import lazy_gettext as _l

from lms.accounts.models import User
from lms.admin import audit
from lms.catalog.errors import CoverTooLarge
from lms.catalog.image_check import image_format
from lms.catalog.models import Course
from lms.errors import Invalid, refusing_when_full
from lms.extensions import db
from lms.media.storage import current_storage
from lms.media import services as media
from lms.permissions import catalog as rules

FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png"),
           "WEBP": ("webp", "image/webp")}


def image_kind(data: bytes) -> str:
    """The format name of an image Pillow can read (JPEG, PNG, WEBP). Raises Invalid."""
    return image_format(
        data, FORMATS,
        Invalid(_l("The cover must be a JPEG, PNG or WebP image."), code="invalid_cover",
                field="cover"),
        Invalid(_l("The cover image has too many pixels."), code="invalid_cover",
                field="cover"))


def set_cover(actor: User | None, course: Course, stream: BinaryIO) -> Course:
    """Store a new cover (the old one goes once this commits). Raises Forbidden /
    CourseNotFound, CoverTooLarge (413), Invalid (invalid_cover) and InsufficientStorage (507)."""
    if actor is not None:
        rules.ensure_may_author(actor, course)
    limit = int(current_app.config.get("COVER_MAX_MB", 5)) * 1024 * 1024
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise CoverTooLarge()
    extension, _ = FORMATS[image_kind(data)]
    key = f"covers/{course.id}/{secrets.token_hex(8)}.{extension}"
    media.note_written(key)
    with refusing_when_full():
        current_storage().save(key, io.BytesIO(data))
    if course.cover_key:
        media.delete_after_commit(course.cover_key, folder=False)
    course.cover_key = key
    db.session.flush()
    audit.record(actor, "course.cover_set", "course", course.id, key=key)
    return course


def content_type(key: str) -> str:
    extension = key.rsplit(".", 1)[-1]
    return next((mime for ext, mime in FORMATS.values() if ext == extension),
                "application/octet-stream")
