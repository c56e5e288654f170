"""Security tests serve the app on loopback like the browser tests do (same fixture)."""
from tests.browser.conftest import live_server  # noqa: F401
