from __future__ import annotations

import pytest
import requests

from tests.programme import support


@pytest.fixture(scope="session")
def standin_server():
    server = support.start_standin()
    yield server
    server.stop()


@pytest.fixture
def standin(standin_server):
    requests.post(standin_server.url + "/standin/reset", timeout=5)
    return standin_server


@pytest.fixture
def prakerja(app, standin):
    """The `app` fixture switched to the prakerja connector, pointed at the stand-in."""
    saved = dict(app.config)
    app.config.update(support.prakerja_settings(standin, "http://localhost"))
    yield standin
    app.config.clear()
    app.config.update(saved)
