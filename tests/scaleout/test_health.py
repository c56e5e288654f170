"""`GET /healthz` tells a load balancer whether an instance can serve: 200 with its database
reachable, 503 without (never a 500, never a hang)."""
from __future__ import annotations

from bench.common import free_port
from tests.conftest import make_test_app


def test_an_instance_that_reaches_its_database_is_healthy(client):
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.get_json() == {"status": "ok", "database": True}


def test_an_instance_without_its_database_answers_503(tmp_path):
    # A port nobody listens on: the connection is refused at once.
    unreachable = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/alur"
    answer = make_test_app(unreachable, tmp_path).test_client().get("/healthz")
    assert answer.status_code == 503
    assert answer.get_json() == {"status": "unavailable", "database": False}
