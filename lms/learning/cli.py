from __future__ import annotations

import click
from flask.cli import AppGroup

from lms.catalog import services as catalog
from lms.cli_support import domain_command
from lms.learning import services

codes_cli = AppGroup("codes", help="Manage redeem codes.")


@codes_cli.command("generate")
@click.argument("course_slug")
@click.option("--count", type=click.IntRange(1, services.MAX_CODES_PER_BATCH), default=1,
              show_default=True)
@domain_command
def generate(course_slug: str, count: int):
    """Print COUNT fresh single-use redeem codes for the course, one a line."""
    course = catalog.get_course_by_slug(course_slug)
    for code in services.generate_codes(None, course, count):
        click.echo(code)
