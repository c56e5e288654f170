"""A Redis server of the test's own (never the shared one on 6379), stopped afterwards."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.faults.servers import RedisServer, redis_server


@pytest.fixture
def redis() -> Iterator[RedisServer]:
    with redis_server() as server:
        yield server
