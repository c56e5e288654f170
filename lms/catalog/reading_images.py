"""Images in reading modules: checked with Pillow, stored once per content under a key made
of their SHA-256, and shown to whoever may see a reading that uses them.

A reading's HTML names its images by that key (`/reading-images/<course>/<sha256>.<ext>`), so
a draft copied from a published version shows the same images without copying them, and an
image never changes under a learner: new bytes are a new key.
"""
from __future__ import annotations

import hashlib
import io
import re
from typing import BinaryIO

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select

from lms.accounts.models import User
from lms.admin import audit
from lms.catalog.errors import ImageNotFound, ImageTooLarge, NotAReading
from lms.catalog.image_check import image_format
from lms.catalog.models import Course, Module, ModuleKind
from lms.catalog.package_format import IMAGE_NAME, IMAGE_SRC
from lms.errors import Invalid, refusing_when_full
from lms.learning.models import Enrollment
from lms.extensions import db
from lms.media.storage import NotFound as MissingObject, current_storage
from lms.permissions import catalog as rules

FORMATS = {"PNG": ("png", "image/png"), "JPEG": ("jpg", "image/jpeg"),
           "WEBP": ("webp", "image/webp"), "GIF": ("gif", "image/gif")}
CONTENT_TYPES = dict(FORMATS.values())
PREFIX = "reading-images/"
ROUTE = "/reading-images/"
NAME = re.compile(rf"^{IMAGE_NAME}$")
# What the sanitiser lets through as an image's src: this route, nothing from elsewhere.
SRC = re.compile(rf"^{ROUTE}[0-9]{{1,10}}/{IMAGE_NAME}$")


def src_for(course_id: int, name: str) -> str:
    return f"{ROUTE}{course_id}/{name}"


def add_image(actor: User, module: Module, stream: BinaryIO) -> str:
    """Store an image for a draft's reading and return its src. Raises Forbidden /
    CourseNotFound, VersionLocked, NotAReading, ImageTooLarge (413) and Invalid."""
    rules.ensure_may_author(actor, module.course)
    rules.ensure_may_edit(module.version)
    if module.kind != ModuleKind.READING:
        raise NotAReading()
    limit = int(current_app.config.get("READING_IMAGE_MAX_MB", 5)) * 1024 * 1024
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise ImageTooLarge()
    name = store(data)
    audit.record(actor, "reading.image_added", "module", module.id, key=PREFIX + name)
    return src_for(module.course.id, name)


def store(data: bytes) -> str:
    """Store an image's bytes under their hash and return the name (`<sha256>.<ext>`).
    Raises Invalid when they are not a PNG, JPEG, WebP or GIF image, InsufficientStorage
    when the disk is full."""
    kind = image_format(
        data, FORMATS,
        Invalid(_l("The image must be a PNG, JPEG, WebP or GIF file."), code="invalid_image",
                field="image"),
        Invalid(_l("The image has too many pixels."), code="invalid_image", field="image"))
    extension, content_type = FORMATS[kind]
    name = f"{hashlib.sha256(data).hexdigest()}.{extension}"
    storage = current_storage()
    # Not noted for deletion on rollback: the same bytes may already be in another reading,
    # and an object nothing refers to costs only its space.
    if not storage.exists(PREFIX + name):
        with refusing_when_full():
            storage.save(PREFIX + name, io.BytesIO(data), content_type)
    return name


# --- course packages: images travel as files `images/<name>`, independent of the course ---

_OWN_SRC = re.compile(rf'src="{ROUTE}[0-9]{{1,10}}/({IMAGE_NAME})"')


def to_package(body: str) -> tuple[str, dict[str, str]]:
    """A reading's HTML as a package carries it (sources `images/<name>`), and the storage key
    of each image file it names."""
    files = {f"images/{name}": PREFIX + name for name in _OWN_SRC.findall(body)}
    return _OWN_SRC.sub(lambda m: f'src="images/{m.group(1)}"', body), files


def from_package(body: str, course_id: int, stored: dict[str, str]) -> str:
    """A package's reading HTML with its `images/…` sources pointed at the stored images
    (`stored`: package file → name in storage) of the course."""
    return IMAGE_SRC.sub(lambda m: f'src="{src_for(course_id, stored[m.group(1)])}"'
                           if m.group(1) in stored else "", body)


def _enrolled_with_image(user: User | None, course: Course, name: str) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(db.session.scalar(select(exists().where(
        Enrollment.user_id == user.id, Enrollment.course_id == course.id,
        Module.version_id == Enrollment.version_id, Module.kind == ModuleKind.READING,
        Module.body.contains(src_for(course.id, name), autoescape=True)))))


def open_image(user: User | None, course_id: int, name: str) -> tuple[BinaryIO, str]:
    """The image's bytes and type for someone who may see a reading of the course that shows
    it. Raises NotFound for anyone else and for a name that is not an image's."""
    course = db.session.get(Course, course_id) if 0 < course_id < 2**31 else None
    if course is None or not NAME.match(name):
        raise ImageNotFound()
    rules.ensure_may_see_reading_image(user, course, rules.may_manage_course(user, course)
                                       or _enrolled_with_image(user, course, name))
    try:
        stream = current_storage().open(PREFIX + name)
    except MissingObject:
        raise ImageNotFound() from None
    return stream, CONTENT_TYPES[name.rsplit(".", 1)[1]]
