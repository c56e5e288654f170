"""Compress pages (HTML) for clients that accept it: brotli when offered, else gzip.

Only pages, not the API: heartbeat answers are a few hundred bytes on the hot path and gain
nothing. Static files are compressed once at set-up (lms.web.static_files), not here.
"""
from __future__ import annotations

import gzip

import brotli
from flask import Flask, Response, request

MIN_BYTES = 512
COMPRESSED_TYPES = {"text/html"}


def choose_encoding(accept_encoding: str) -> str | None:
    """`br` or `gzip` from an Accept-Encoding header (q=0 refuses), or None."""
    offered: dict[str, float] = {}
    for part in accept_encoding.split(","):
        name, _, params = part.strip().partition(";")
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                quality = 0.0
        if name:
            offered[name.strip().lower()] = quality
    for encoding in ("br", "gzip"):
        if offered.get(encoding, offered.get("*", 0.0)) > 0:
            return encoding
    return None


def compress(body: bytes, encoding: str) -> bytes:
    # Quality 5 / level 6: near-best size at a few milliseconds per page.
    return brotli.compress(body, quality=5) if encoding == "br" else gzip.compress(body, 6)


def init_app(app: Flask) -> None:
    @app.after_request
    def compress_page(response: Response) -> Response:
        response.vary.add("Accept-Encoding")
        if (response.mimetype not in COMPRESSED_TYPES or response.direct_passthrough
                or "Content-Encoding" in response.headers or response.status_code < 200
                or response.status_code in (204, 304) or request.method == "HEAD"):
            return response
        encoding = choose_encoding(request.headers.get("Accept-Encoding", ""))
        body = response.get_data()
        if encoding is None or len(body) < MIN_BYTES:
            return response
        response.set_data(compress(body, encoding))
        response.headers["Content-Encoding"] = encoding
        return response
