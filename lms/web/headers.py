"""Security headers on every response the app answers (pages, API, static files).

The policy is strict because the pages need nothing more: every script and style sheet is a
file under /static, nothing is inline, and the only other origin a page may reach is the media
store when videos are served from S3 (presigned segment redirects).
"""
from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

from flask import Flask, Response

PERMISSIONS_POLICY = ("accelerometer=(), autoplay=(self), camera=(), display-capture=(), "
                      "fullscreen=(self), geolocation=(), gyroscope=(), magnetometer=(), "
                      "microphone=(), payment=(), usb=(), interest-cohort=()")
HSTS = "max-age=31536000; includeSubDomains"


def media_origins(config: Mapping) -> list[str]:
    """Origins the player may fetch segments from besides 'self': the S3 store, when used."""
    if not config.get("S3_BUCKET"):
        return []
    endpoint = config.get("S3_ENDPOINT_URL") or ""
    if endpoint:
        parts = urlsplit(endpoint)
        origin = f"{parts.scheme}://{parts.netloc}"
        if config.get("S3_PATH_STYLE"):
            return [origin]
        return [origin, f"{parts.scheme}://*.{parts.netloc}"]
    return ["https://*.amazonaws.com"]


def content_security_policy(config: Mapping) -> str:
    media = " ".join(["'self'", *media_origins(config)])
    directives = {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self' data:",
        "font-src": "'self'",
        # hls.js plays through MediaSource (blob: URLs) and fetches segments itself.
        "media-src": f"{media} blob:",
        "connect-src": media,
        "worker-src": "'self' blob:",
        "object-src": "'none'",
        "base-uri": "'none'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def security_headers(config: Mapping) -> dict[str, str]:
    """The headers of every response; HSTS only where cookies are Secure (production, HTTPS)."""
    headers = {
        "Content-Security-Policy": content_security_policy(config),
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "same-origin",
        "Permissions-Policy": PERMISSIONS_POLICY,
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    if config.get("SESSION_COOKIE_SECURE"):
        headers["Strict-Transport-Security"] = HSTS
    return headers


# An answer that is not a page (JSON, a playlist, a file) runs nothing and embeds nothing.
NOT_A_PAGE_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox"


def init_app(app: Flask) -> None:
    headers = security_headers(app.config)
    app.extensions["alur.security_headers"] = headers

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        if response.mimetype != "text/html":
            response.headers["Content-Security-Policy"] = NOT_A_PAGE_POLICY
        return response
