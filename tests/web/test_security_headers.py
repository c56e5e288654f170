"""Every page kind answers with the security headers and has nothing inline for the policy to
refuse; static files are fingerprinted, compressed and cached for good; pages are compressed."""
from __future__ import annotations

import gzip
from html.parser import HTMLParser

import brotli
import pytest
from flask import url_for

from config import ProductionConfig
from lms.web import headers
from lms.web.static_files import STATIC_ROOT, build
from tests.access.matrix import ROLES
from tests.access.test_route_matrix import CASES, _world
from tests.conftest import make_test_app
from tests.factories import PASSWORD

# Every page some caller may see: the route matrix lists every route with who gets a 200.
PAGE_CASES = [case for case in CASES
              if case.method == "GET" and not case.path.startswith(("/api/", "/media/sessions"))
              and 200 in case.expect.values()]


class InlineFinder(HTMLParser):
    """Collects what a strict Content-Security-Policy would refuse: inline scripts, event
    handler attributes and style attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script" and "src" not in names \
                and names.get("type") not in ("application/json", "application/ld+json"):
            self.problems.append("inline <script>")
        for name, _value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name == "style":
                self.problems.append(f"<{tag} style=...>")


def _check_headers(response) -> list[str]:
    problems = []
    policy = response.headers.get("Content-Security-Policy", "")
    if response.mimetype != "text/html" and policy == headers.NOT_A_PAGE_POLICY:
        policy = "script-src 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'none'"
    directives = dict((part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";")
                      if part.strip())
    if directives.get("script-src") != "'self'":
        problems.append(f"script-src is {directives.get('script-src')!r}")
    if directives.get("frame-ancestors") != "'none'":
        problems.append("frame-ancestors is not 'none'")
    if directives.get("object-src") != "'none'" or directives.get("base-uri") != "'none'":
        problems.append("object-src/base-uri not 'none'")
    if "unsafe" in policy:
        problems.append("an 'unsafe-…' source")
    expected = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin",
                "X-Frame-Options": "DENY"}
    for name, value in expected.items():
        if response.headers.get(name) != value:
            problems.append(f"{name}: {response.headers.get(name)!r}")
    if "camera=()" not in response.headers.get("Permissions-Policy", ""):
        problems.append("Permissions-Policy missing")
    return problems


def test_every_page_kind_carries_the_security_headers_and_nothing_inline(app):
    world = _world()
    clients = {}
    for role in ROLES:
        clients[role] = app.test_client()
        if role != "anonymous":
            clients[role].post("/login", data={"email": world["users"][role].email,
                                               "password": PASSWORD})
    seen, problems = 0, {}
    for case in PAGE_CASES:
        role = next(r for r in ROLES if case.expect[r] == 200)
        path = case.path.format(**world)
        response = clients[role].get(path)
        assert response.status_code == 200, (path, role)
        found = _check_headers(response)
        if response.mimetype == "text/html":
            finder = InlineFinder()
            finder.feed(response.get_data(as_text=True))
            found += finder.problems
        # As a browser or a WSGI server would: a streamed answer (the CSV export) is closed
        # even when its body is not read, so its database work ends.
        response.close()
        if found:
            problems[f"{role} {path}"] = found
        seen += 1
    assert seen >= 35, f"only {seen} pages checked"
    assert not problems, problems


@pytest.mark.parametrize("path", ["/login", "/api/v1/me", "/does-not-exist", "/static/css/alur.css"])
def test_answers_of_every_kind_carry_them_too(client, path):
    response = client.get(path)
    assert not _check_headers(response), (response.status_code, _check_headers(response))


def test_no_hsts_without_https_cookies(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers


def test_production_sends_hsts_and_secure_cookies():
    assert ProductionConfig.SESSION_COOKIE_SECURE and ProductionConfig.REMEMBER_COOKIE_SECURE
    production = headers.security_headers({"SESSION_COOKIE_SECURE": True})
    assert production["Strict-Transport-Security"].startswith("max-age=31536000")


def test_https_cookies_and_hsts_on_the_wire(migrated_database, tmp_path):
    app = make_test_app(migrated_database, tmp_path, SESSION_COOKIE_SECURE=True)
    client = app.test_client()
    response = client.get("/login")
    assert response.headers["Strict-Transport-Security"] == headers.HSTS
    cookies = response.headers.getlist("Set-Cookie")
    assert cookies and all("Secure" in cookie for cookie in cookies)


@pytest.mark.parametrize("config, origins", [
    ({}, []),
    ({"S3_BUCKET": "b"}, ["https://*.amazonaws.com"]),
    ({"S3_BUCKET": "b", "S3_ENDPOINT_URL": "http://127.0.0.1:9000", "S3_PATH_STYLE": True},
     ["http://127.0.0.1:9000"]),
    ({"S3_BUCKET": "b", "S3_ENDPOINT_URL": "https://s3.example.test"},
     ["https://s3.example.test", "https://*.s3.example.test"]),
])
def test_videos_on_s3_may_be_fetched_from_the_store_only(config, origins):
    assert headers.media_origins(config) == origins
    policy = headers.content_security_policy(config)
    for origin in origins:
        assert f"connect-src 'self' {origin}" in policy or f" {origin}" in policy


@pytest.fixture
def built_app(migrated_database, tmp_path):
    build(STATIC_ROOT, tmp_path / "build")
    return make_test_app(migrated_database, tmp_path, STATIC_BUILD_DIR=str(tmp_path / "build"))


def test_static_files_are_fingerprinted_compressed_and_immutable(built_app):
    with built_app.test_request_context():
        url = url_for("static", filename="css/alur.css")
    assert url.startswith("/static/css/alur.") and url != "/static/css/alur.css"
    client = built_app.test_client()
    response = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "br"
    assert "immutable" in response.headers["Cache-Control"]
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    original = (STATIC_ROOT / "css/alur.css").read_bytes()
    assert brotli.decompress(response.data) == original
    gz = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert gz.headers["Content-Encoding"] == "gzip" and gzip.decompress(gz.data) == original
    # The page names the fingerprinted copy; the plain name is still served, but revalidated.
    assert url in client.get("/login").get_data(as_text=True)
    plain = client.get("/static/css/alur.css")
    assert plain.status_code == 200 and "immutable" not in plain.headers.get("Cache-Control", "")


def test_pages_are_compressed_for_clients_that_accept_it(client):
    br = client.get("/login", headers={"Accept-Encoding": "gzip, br"})
    assert br.headers["Content-Encoding"] == "br" and b"<html" in brotli.decompress(br.data)
    gz = client.get("/login", headers={"Accept-Encoding": "gzip"})
    assert gz.headers["Content-Encoding"] == "gzip" and b"<html" in gzip.decompress(gz.data)
    assert "Accept-Encoding" in gz.headers["Vary"]
    plain = client.get("/login", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers and b"<html" in plain.data
