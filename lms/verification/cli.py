"""`flask completions check`: queue the checks of completions still pending (after a worker
outage), and `flask audit verify`: check the audit log's hash chain end to end."""
from __future__ import annotations

import sys

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from lms.admin import audit
from lms.admin.models import AuditEntry
from lms.extensions import db
from lms.verification import services, tasks

completions_cli = AppGroup("completions", help="Completion review.")
audit_cli = AppGroup("audit", help="The audit log.")


@completions_cli.command("check")
def check_pending() -> None:
    """Queue the checks of every pending completion."""
    ids = services.pending_ids()
    for completion_id in ids:
        tasks.queue_check(completion_id)
    click.echo(f"{len(ids)} pending completion(s) queued for checking")


@audit_cli.command("verify")
def verify() -> None:
    """Exit 0 with the number of entries when the chain is intact; exit 1 naming the first
    broken entry otherwise."""
    broken = audit.verify_chain()
    if broken is not None:
        entry = db.session.get(AuditEntry, broken)
        click.echo(f"audit log broken at entry {broken} ({entry.action} on "
                   f"{entry.subject_type} {entry.subject_id}, {entry.at.isoformat()})", err=True)
        sys.exit(1)
    count = db.session.scalar(select(func.count()).select_from(AuditEntry))
    click.echo(f"audit log intact: {count} entries")
