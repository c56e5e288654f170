"""What a skill-task hand-in may be: a file of an accepted kind, or a web link.

A file's kind is decided by its name AND its first bytes, never by the content type the
browser sends: a renamed executable must not pass as a PDF, and both must agree.
"""
from __future__ import annotations

import zipfile
from pathlib import PurePath
from typing import BinaryIO
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l

from lms.assessments.errors import UnsupportedFile
from lms.errors import Invalid

#: Accepted kinds, their file-name extensions and the content type they are stored with.
FILE_KINDS: dict[str, tuple[tuple[str, ...], str]] = {
    "pdf": ((".pdf",), "application/pdf"),
    "jpg": ((".jpg", ".jpeg"), "image/jpeg"),
    "png": ((".png",), "image/png"),
    "mp4": ((".mp4", ".m4v"), "video/mp4"),
    "docx": ((".docx",),
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "zip": ((".zip",), "application/zip"),
}
HEAD_BYTES = 1024
MAX_URL_LENGTH = 2000
MAX_FILE_NAME = 255


def kind_from_name(filename: str) -> str | None:
    suffix = PurePath(filename or "").suffix.lower()
    return next((kind for kind, (suffixes, _) in FILE_KINDS.items() if suffix in suffixes), None)


def content_type_for(kind: str) -> str:
    return FILE_KINDS[kind][1]


def _is_docx(stream: BinaryIO) -> bool:
    """A .docx is a zip holding a Word document part; any other zip is not one."""
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return "[Content_Types].xml" in names and "word/document.xml" in names


def sniff_kind(stream: BinaryIO) -> str | None:
    """The kind the bytes show, reading from the start; the stream is rewound afterwards."""
    if not stream.seekable():
        return None
    stream.seek(0)
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    kind = None
    if b"%PDF-" in head:
        kind = "pdf"
    elif head.startswith(b"\xff\xd8\xff"):
        kind = "jpg"
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "png"
    elif len(head) >= 12 and head[4:8] == b"ftyp":
        kind = "mp4"
    elif head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        kind = "docx" if _is_docx(stream) else "zip"
        stream.seek(0)
    return kind


def check_upload(filename: str, stream: BinaryIO, accepted: list[str]) -> str:
    """The file's kind. Raises UnsupportedFile (422) when the name's extension is not an
    accepted kind or the bytes are not what the name says."""
    accepted_names = ", ".join(k.upper() for k in accepted) or "—"
    by_name = kind_from_name(filename)
    if by_name not in accepted:
        raise UnsupportedFile(_l("This kind of file is not accepted here. Accepted: %(kinds)s.",
                                 kinds=accepted_names))
    by_content = sniff_kind(stream)
    # A .docx is also a zip: a zip upload that happens to be a Word document is still a zip.
    if by_content != by_name and not (by_name == "zip" and by_content == "docx"):
        raise UnsupportedFile(_l("The file's content does not match its name: it is not a "
                                 "real %(kind)s file. Save it again in that format, or choose "
                                 "another file.", kind=by_name.upper()))
    return by_name


def display_name(filename: str) -> str:
    """The name shown to staff and the learner: path parts and control characters removed."""
    name = PurePath((filename or "").replace("\\", "/")).name
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[-MAX_FILE_NAME:] or "file"


def check_url(raw: str) -> str:
    """A link to the work (a video on a sharing site, a document). Raises Invalid
    (invalid_url) for anything but an absolute http(s) address of a reasonable length."""
    url = (raw or "").strip()
    if not url:
        raise Invalid(_l("Enter the link to your work."), code="missing_field", field="url")
    if len(url) > MAX_URL_LENGTH or any(ch.isspace() or not ch.isprintable() for ch in url):
        raise Invalid(_l("This link is not valid."), code="invalid_url", field="url")
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # e.g. a broken IPv6 literal
        host = None
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not host:
        raise Invalid(_l("Enter a full link starting with https://."), code="invalid_url",
                      field="url")
    return url
