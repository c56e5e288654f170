"""Registers every command-line group (docs/http-api.md, "Command line") on the app."""
from __future__ import annotations

from flask import Flask

from lms.accounts.cli import providers_cli, tokens_cli, users_cli
from lms.assessments.cli import assessments_cli
from lms.certificates.cli import certificates_cli, keys_cli
from lms.demo.cli import seed_demo
from lms.learning.cli import codes_cli
from lms.partitions.cli import evidence_cli
from lms.programme.cli import programme_cli
from lms.verification.cli import audit_cli, completions_cli
from lms.worker import worker

COMMANDS = (users_cli, tokens_cli, providers_cli, codes_cli, seed_demo, worker,
            keys_cli, certificates_cli, assessments_cli, completions_cli, audit_cli,
            programme_cli, evidence_cli)


def register(app: Flask) -> None:
    for command in COMMANDS:
        app.cli.add_command(command)
