"""Static files: fingerprinted, precompressed at set-up, served with immutable caching.

Why WhiteNoise and a build step, not Flask's static route: a file whose name carries its
content hash can be cached by a phone for a year (`immutable`: not even a revalidation on
reload), and gzip/brotli are computed once at set-up at the best level rather than on every
request. `build()` (run by scripts/setup.sh) writes the hashed copies,
their `.gz`/`.br` siblings and `manifest.json` into STATIC_BUILD_DIR; `url_for('static', ...)`
then names the hashed copy. Without a build (a fresh checkout) the plain files are served,
revalidated on every use, so a page is never stale.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from pathlib import Path

import brotli
from flask import Flask
from whitenoise import WhiteNoise

from lms.web.headers import security_headers

MANIFEST = "manifest.json"
COMPRESSIBLE = {".js", ".css", ".svg", ".json", ".txt", ".map", ".vtt", ".html"}
HASH_LENGTH = 12
YEAR = 365 * 24 * 3600
STATIC_ROOT = Path(__file__).resolve().parents[2] / "static"
DEFAULT_BUILD_DIR = Path(__file__).resolve().parents[2] / "build" / "static"


def hashed_name(relative: str, content: bytes) -> str:
    """`js/player.js` → `js/player.<12 hex digits of its SHA-256>.js`."""
    path = Path(relative)
    digest = hashlib.sha256(content).hexdigest()[:HASH_LENGTH]
    return str(path.with_name(f"{path.stem}.{digest}{path.suffix}"))


def build(source: Path = STATIC_ROOT, target: Path = DEFAULT_BUILD_DIR) -> dict[str, str]:
    """Write hashed copies (and compressed siblings) of every file under `source`."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    manifest: dict[str, str] = {}
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        relative = path.relative_to(source).as_posix()
        content = path.read_bytes()
        name = hashed_name(relative, content)
        out = target / name
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(content)
        if path.suffix in COMPRESSIBLE and len(content) > 256:
            out.with_name(out.name + ".gz").write_bytes(gzip.compress(content, 9, mtime=0))
            out.with_name(out.name + ".br").write_bytes(brotli.compress(content, quality=11))
        manifest[relative] = name
    (target / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


def load_manifest(target: Path) -> dict[str, str]:
    try:
        return json.loads((target / MANIFEST).read_text())
    except (OSError, ValueError):
        return {}


def fresh_entries(source: Path, manifest: dict[str, str]) -> dict[str, str]:
    """The manifest without the files changed since the build: those are served under their
    plain names (revalidated), so an edit shows at once, before the next set-up."""
    fresh = {}
    for relative, name in manifest.items():
        try:
            if hashed_name(relative, (source / relative).read_bytes()) == name:
                fresh[relative] = name
        except OSError:
            continue
    return fresh


def init_app(app: Flask) -> None:
    build_dir = Path(app.config.get("STATIC_BUILD_DIR") or DEFAULT_BUILD_DIR)
    manifest = fresh_entries(Path(app.static_folder), load_manifest(build_dir))
    hashed = set(manifest.values())
    extra_headers = security_headers(app.config)

    @app.url_defaults
    def fingerprint_static(endpoint: str, values: dict) -> None:
        if endpoint == "static" and values.get("filename") in manifest:
            values["filename"] = manifest[values["filename"]]

    def add_headers(headers, path: str, url: str) -> None:
        for name, value in extra_headers.items():
            headers.setdefault(name, value)

    def immutable(path: str, url: str) -> bool:
        return url.removeprefix("/static/") in hashed

    static = WhiteNoise(app.wsgi_app, max_age=0, immutable_file_test=immutable,
                        add_headers_function=add_headers, allow_all_origins=False)
    if manifest:
        static.add_files(str(build_dir), prefix="static/")
    static.add_files(app.static_folder, prefix="static/")
    app.wsgi_app = static
    app.extensions["alur.static_manifest"] = manifest

