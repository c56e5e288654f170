"""`flask assessments load COURSE_SLUG FILE.json`: set up a course's assessments from a file."""
from __future__ import annotations

import json

import click
from flask.cli import AppGroup

from lms.assessments import json_import
from lms.catalog import services as catalog
from lms.cli_support import domain_command

assessments_cli = AppGroup("assessments", help="Set up question banks, quizzes and skill tasks.")


@assessments_cli.command("load")
@click.argument("course_slug")
@click.argument("spec", type=click.File("r", encoding="utf-8"))
@domain_command
def load(course_slug: str, spec):
    """Load question banks, quiz settings and skill tasks for the course's newest version from
    a JSON file (format: lms/assessments/json_import.py)."""
    course = catalog.get_course_by_slug(course_slug)
    try:
        document = json.load(spec)
    except json.JSONDecodeError as error:
        raise click.ClickException(f"{spec.name} is not valid JSON: {error}") from None
    counts = json_import.load_spec(None, course, document)
    click.echo(f"{course_slug}: {counts['banks']} question bank(s), {counts['quizzes']} quiz "
               f"setting(s), {counts['skill_tasks']} skill task(s) loaded.")
