"""Schemathesis over /api/openapi.json against the app served on loopback, for each kind of
caller (learner, provider staff, admin, payer), with every default check, a bounded number of
examples per operation and a fixed seed, so a failure reproduces with the printed command.

The four runs go at once: each is a separate process, so they overlap with the server thread
instead of taking turns with it. A run prints its summary (cases, time) with `pytest -s`."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from lms.accounts.models import Role
from tests import factories

SCHEMATHESIS = str(Path(sys.executable).parent / "schemathesis")
CONFIG = Path(__file__).with_name("schemathesis.toml")
SEED = 20261201
MAX_EXAMPLES = 10
ROLES = ("learner", "provider", "admin", "payer")


def _tokens() -> dict[str, str]:
    provider = factories.provider()
    course = factories.course(provider)
    users = {
        "learner": factories.learner(),
        "provider": factories.staff(provider),
        "admin": factories.admin(),
        "payer": factories.user(Role.PAYER),
    }
    factories.enrollment(users["learner"], course)
    return {role: factories.api_token(user)["Authorization"] for role, user in users.items()}


def _command(url: str, token: str) -> list[str]:
    return [SCHEMATHESIS, "--config-file", str(CONFIG), "run", f"{url}/api/openapi.json", "--header", f"Authorization:{token}",
            "--seed", str(SEED), "--max-examples", str(MAX_EXAMPLES),
            "--generation-database", "none", "--workers", "1", "--no-color",
            "--output-truncate", "true"]


def _summary(output: str) -> str:
    lines = [line.strip() for line in output.splitlines()
             if "generated" in line or line.strip().startswith("====")]
    return " ".join(lines[-2:])


# About a minute on an idle 2-core machine; a machine shared with other jobs needs longer.
@pytest.mark.timeout(1200)
def test_the_api_does_what_its_openapi_document_says_to_every_kind_of_caller(live_server,
                                                                               tmp_path):
    with live_server.app.app_context():
        tokens = _tokens()
    started = time.monotonic()
    runs = {role: subprocess.Popen(_command(live_server.url, tokens[role]), cwd=tmp_path,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            for role in ROLES}
    try:
        outputs = {role: run.communicate(timeout=1100)[0] for role, run in runs.items()}
    finally:
        for run in runs.values():
            if run.poll() is None:
                run.kill()
                run.wait()
    print(f"\nschemathesis, 4 callers at once: {time.monotonic() - started:.0f} s")
    for role in ROLES:
        print(f"  {role}: {_summary(outputs[role])}")
    failed = [role for role in ROLES if runs[role].returncode != 0]
    assert not failed, "\n\n".join(f"=== {role} ===\n{outputs[role]}" for role in failed)
