"""Small request helpers shared by the views."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import request


def safe_next(default: str) -> str:
    """A same-site path to go back to after sign-in; anything else falls back to `default`."""
    target = request.args.get("next") or request.form.get("next") or ""
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.netloc \
            and not parts.scheme and "\\" not in target:
        return target
    return default


def page_arg() -> int:
    value = request.args.get("page", "1")
    return int(value) if value.isdigit() and 0 < int(value) < 100_000 else 1
