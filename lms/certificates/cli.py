"""`flask keys ...` (credential signing keys) and `flask certificates ...` (PDF renders)."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from lms.certificates import keys, services, tasks
from lms.cli_support import domain_command
from lms.clock import utcnow

keys_cli = AppGroup("keys", help="Manage the keys that sign certificate credentials.")
certificates_cli = AppGroup("certificates", help="Manage certificates.")


@keys_cli.command("create")
@with_appcontext
def create_key():
    """Add a new active signing key; the previous one is retired but stays published."""
    path = current_app.config["CREDENTIAL_KEYS_FILE"]
    kid = keys.create_key(path, utcnow())
    click.echo(f"created signing key {kid} in {path}")
    if current_app.config.get("CREDENTIAL_SIGNING_KEY"):
        click.echo("note: CREDENTIAL_SIGNING_KEY is set, so that key keeps signing; "
                   "unset it to sign with the new key", err=True)


@keys_cli.command("list")
@with_appcontext
def list_keys():
    """Print the published keys, the one that signs new credentials first."""
    ring = keys.load_ring(current_app.config)
    for jwk in ring.jwks:
        state = "active" if ring.active and jwk["kid"] == ring.active.kid else "retired"
        click.echo(f"{jwk['kid']}\t{state}")
    if ring.active is None:
        click.echo("no active signing key: run `flask --app wsgi keys create`", err=True)


@certificates_cli.command("render")
@click.argument("numbers", nargs=-1)
@click.option("--missing", is_flag=True, help="Every certificate that has no PDF yet.")
@domain_command
def render(numbers: tuple[str, ...], missing: bool):
    """Queue the PDF of the certificates NUMBERS (or --missing) to be rendered again."""
    ids = [services.find_by_number(n).id for n in numbers]
    if missing:
        ids += services.certificates_without_pdf()
    for certificate_id in dict.fromkeys(ids):
        tasks.queue_render(certificate_id)
    click.echo(f"queued {len(dict.fromkeys(ids))} certificate PDF(s)")


@certificates_cli.command("issue-missing")
@domain_command
def issue_missing():
    """Issue the certificate of every completed enrollment that has none (e.g. after a
    signing key was missing at completion time)."""
    now = utcnow()
    issued = [services.issue_certificate(enrollment, now).number
              for enrollment in services.completed_without_certificate()]
    for number in issued:
        click.echo(number)
    click.echo(f"issued {len(issued)} certificate(s)", err=True)
