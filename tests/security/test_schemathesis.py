"""Schemathesis over /api/openapi.json against the app served on loopback, once per kind of
caller (learner, provider staff, admin, payer), with every default check, a bounded number of
examples per operation and a fixed seed, so a failure reproduces with the printed command."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lms.accounts.models import Role
from tests import factories

SCHEMATHESIS = str(Path(sys.executable).parent / "schemathesis")
SEED = 20261201
MAX_EXAMPLES = 10


def _callers() -> dict[str, dict[str, str]]:
    provider = factories.provider()
    course = factories.course(provider)
    users = {
        "learner": factories.learner(),
        "provider": factories.staff(provider),
        "admin": factories.admin(),
        "payer": factories.user(Role.PAYER),
    }
    factories.enrollment(users["learner"], course)
    return {role: factories.api_token(user) for role, user in users.items()}


@pytest.mark.parametrize("role", ["learner", "provider", "admin", "payer"])
def test_the_api_does_what_its_openapi_document_says(live_server, role, tmp_path):
    with live_server.app.app_context():
        token = _callers()[role]["Authorization"]
    command = [SCHEMATHESIS, "run", f"{live_server.url}/api/openapi.json",
               "--header", f"Authorization:{token}", "--seed", str(SEED),
               "--max-examples", str(MAX_EXAMPLES), "--generation-database", "none",
               "--workers", "1", "--no-color", "--output-truncate", "true"] + os.environ.get("ST_EXTRA", "").split()
    started = time.monotonic()
    run = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=600)
    print(f"{role}: {time.monotonic() - started:.1f} s\n{run.stdout[-3000:]}")
    assert run.returncode == 0, run.stdout + run.stderr
