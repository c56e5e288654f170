"""`flask evidence partitions`: create the evidence table's partitions for this month and the
coming ones now (a deploy step; the worker also does it four times a day)."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from lms.clock import utcnow
from lms.extensions import db
from lms.partitions import evidence
from lms.partitions.months import month_of

evidence_cli = AppGroup("evidence", help="The pacing evidence table.")


@evidence_cli.command("partitions")
@click.option("--ahead", type=click.IntRange(0, 120), default=evidence.MONTHS_AHEAD,
              show_default=True, help="Months after the current one to create.")
def partitions(ahead: int) -> None:
    """Create missing monthly partitions (PostgreSQL) and list those that exist."""
    connection = db.session.connection()
    if not evidence.is_partitioned(connection):
        click.echo("pacing_evidence is not partitioned on this database (SQLite): nothing to do")
        return
    created = evidence.ensure_ahead(connection, utcnow(), ahead)
    db.session.commit()
    for name in created:
        click.echo(f"created {name}")
    months = evidence.existing_months(db.session.connection())
    click.echo(f"{len(months)} monthly partitions, {months[0]:%Y-%m} to {months[-1]:%Y-%m},"
               f" and {evidence.DEFAULT_PARTITION}" if months else "no monthly partitions")
