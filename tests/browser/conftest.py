"""Browser-test fixtures: the app served on loopback and a real headless Chromium.

Fixtures (see the README's testing section for examples):

- `live_server` — the app (CSRF on, as in production) served in a thread on 127.0.0.1 with
  the test database; `.url` is its base URL, `.app` the Flask app, `.url_for(endpoint, **v)`
  builds an absolute URL. Create data with tests.factories inside
  `with live_server.app.app_context():` — factories commit, so the server thread sees it.
  The database is wiped afterwards.
- `live_clock` — a FrozenClock installed in the live server's app (move it with `.advance`).
- `page` — a Playwright page in a fresh browser context (phone viewport 390×844, locale from
  `browser_locale`, default "en-US"); a failing test leaves
  `tests/browser/artifacts/<module>__<test>.png` and a log of the page's console errors.
- `page_errors` — uncaught JavaScript errors and console errors of `page`, as strings.
- `new_page(**context_options)` — more pages, each in its own context (another device or
  learner); options as for Playwright's `browser.new_context`. Pages bypass the app's
  Content-Security-Policy (`bypass_csp=False` keeps it, as tests/browser/test_pages.py does).
- `browser_locale`, `browser_viewport` — override per test with
  `@pytest.mark.parametrize("browser_locale", ["id-ID"])` or per module with a fixture.
- `browser_login(page, live_server, email, password)` — signs in through the form.

Every browser test must carry `@pytest.mark.browser`; the `page` fixture refuses others.
"""
from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask import Flask, url_for
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wsgi import ClosingIterator

# Set before Playwright is imported: the suite uses Debian's Chromium and must never fetch one.
os.environ["PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD"] = "1"

from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright  # noqa: E402

from lms.clock import FrozenClock, install_clock  # noqa: E402
from lms.extensions import db  # noqa: E402
from tests import dbutil  # noqa: E402
from tests.conftest import make_test_app  # noqa: E402
from tests.factories import PASSWORD  # noqa: E402

CHROMIUM = os.environ.get("ALUR_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-quic",
    "--no-first-run", "--disable-component-update", "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
    # Debian's launcher means to add this when /dev/shm is small (containers, CI) but its
    # check breaks on some mounts; without it Chromium crashes on a 64 MB /dev/shm.
    "--disable-dev-shm-usage",
]
PHONE_VIEWPORT = {"width": 390, "height": 844}
ARTIFACTS = Path(__file__).parent / "artifacts"
# Short waits: a page on loopback that takes longer than this is a failure worth seeing fast.
ACTION_TIMEOUT_MS = 10_000
NAVIGATION_TIMEOUT_MS = 15_000


class _QuietHandler(WSGIRequestHandler):
    """Logs only server errors: a line per request would bury a failing test's output."""

    def log_request(self, code="-", size="-") -> None:
        if str(code).startswith("5"):
            super().log_request(code, size)


class _InFlight:
    """Counts requests being served, so teardown can wait for them: a request still running
    when the database is wiped would hold locks (PostgreSQL) or write into the next test."""

    def __init__(self, app) -> None:
        self.app, self.count, self.idle = app, 0, threading.Condition()

    def __call__(self, environ, start_response):
        with self.idle:
            self.count += 1
        try:
            return ClosingIterator(self.app(environ, start_response), self._done)
        except BaseException:
            self._done()
            raise

    def _done(self) -> None:
        with self.idle:
            self.count -= 1
            self.idle.notify_all()

    def wait(self, timeout: float) -> bool:
        with self.idle:
            return self.idle.wait_for(lambda: self.count == 0, timeout)


@dataclass
class LiveServer:
    app: Flask
    url: str
    _server: BaseWSGIServer = field(repr=False)

    def url_for(self, endpoint: str, **values) -> str:
        """Absolute URL of an endpoint on this server."""
        with self.app.test_request_context():
            return self.url + url_for(endpoint, **values)


@pytest.fixture
def live_server(request, migrated_database, tmp_path):
    # A test that also asks for `app` gets that fixture set up first and torn down last:
    # its long-lived app context holds a session, so it must be the one that wipes, after
    # the server has stopped, or a PostgreSQL TRUNCATE would wait on its open transaction.
    app_fixture_wipes = "app" in request.fixturenames
    if app_fixture_wipes:
        request.getfixturevalue("app")
    app = make_test_app(migrated_database, tmp_path, WTF_CSRF_ENABLED=True)
    in_flight = _InFlight(app.wsgi_app)
    app.wsgi_app = in_flight
    server = make_server("127.0.0.1", 0, app, threaded=True,
                         request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="alur-live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(app=app, url=f"http://127.0.0.1:{server.server_port}", _server=server)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        # Pages may still have requests running (heartbeats, segments): let them finish. A
        # response whose browser went away (seen: a stylesheet) can stay counted; do not wait long.
        in_flight.wait(timeout=5)
        with app.app_context():
            if not app_fixture_wipes:
                dbutil.wipe_all_tables()
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def live_clock(live_server) -> FrozenClock:
    """A frozen clock for the served app; pages and API calls all see its time."""
    frozen = FrozenClock()
    install_clock(live_server.app, frozen)
    return frozen


@pytest.fixture(scope="session")
def browser():
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=CHROMIUM_ARGS)
    except Exception:
        playwright.stop()
        raise
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture
def browser_locale() -> str:
    # English by default: assertions read the English source strings whether or not the
    # Indonesian catalogue is compiled. Tests of the Indonesian pages override this.
    return "en-US"


@pytest.fixture
def browser_viewport() -> dict:
    return dict(PHONE_VIEWPORT)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    # Fixtures read the outcome at teardown to decide whether to keep a screenshot.
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def _artifact_stem(node) -> str:
    module = Path(str(node.path)).stem
    return re.sub(r"[^\w.-]+", "_", f"{module}__{node.name}")[:200]


def _failed(node) -> bool:
    report = getattr(node, "rep_call", None)
    return bool(report and report.failed)


@pytest.fixture
def new_page(browser: Browser, live_server, browser_locale, browser_viewport):
    """Open further pages, each in a new context (own cookies: another device or user)."""
    contexts: list[BrowserContext] = []

    def open_page(**context_options) -> Page:
        # Playwright's wait_for_function evaluates its predicate with eval(), which the app's
        # Content-Security-Policy forbids; tests/browser/test_pages.py loads every page kind
        # with the policy in force (bypass_csp=False) and checks that nothing is refused.
        options = {"viewport": browser_viewport, "locale": browser_locale,
                   "base_url": live_server.url, "bypass_csp": True, **context_options}
        context = browser.new_context(**options)
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(request, new_page) -> Page:
    if request.node.get_closest_marker("browser") is None:
        raise pytest.UsageError(f"{request.node.nodeid}: browser tests need @pytest.mark.browser")
    page = new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))

    def on_console(message) -> None:
        if message.type == "error":
            errors.append(f"console: {message.text}")
    page.on("console", on_console)
    page.alur_errors = errors  # type: ignore[attr-defined]
    yield page
    if _failed(request.node) and not page.is_closed():
        ARTIFACTS.mkdir(exist_ok=True)
        stem = _artifact_stem(request.node)
        try:
            page.screenshot(path=str(ARTIFACTS / f"{stem}.png"), full_page=True)
        except Exception as error:  # a crashed page must not hide the test's own failure
            errors.append(f"screenshot failed: {error}")
        (ARTIFACTS / f"{stem}.log").write_text(
            f"url: {page.url}\n" + "\n".join(errors) + "\n", encoding="utf-8")


@pytest.fixture
def page_errors(page) -> list[str]:
    """JavaScript errors of `page` so far (uncaught exceptions and console.error)."""
    return page.alur_errors  # type: ignore[attr-defined]


def browser_login(page: Page, live_server: LiveServer, email: str,
                  password: str = PASSWORD) -> Page:
    """Sign in through the form, as a person would; fails the test if sign-in fails."""
    page.goto(live_server.url + "/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    if "/login" in page.url:
        errors = page.locator(".field .error").all_inner_texts()
        raise AssertionError(f"sign-in as {email} failed: {errors}")
    return page
