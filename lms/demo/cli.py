from __future__ import annotations

import click
from flask import current_app

from lms.cli_support import domain_command
from lms.demo.media import prepare_demo_video
from lms.demo.seed import seed_demo as run_seed


@click.command("seed-demo")
@domain_command
def seed_demo():
    """Create the demo provider, accounts and a playable course (safe to run again)."""
    result = run_seed(prepare_video=prepare_demo_video)
    click.echo("Demo accounts (e-mail / password / role):")
    for email, password, role, _ in result.accounts:
        click.echo(f"  {email} / {password} / {role}")
    click.echo(f"Demo course slug: {result.course_slug}")
    click.echo(f"The demo course is checked against a lowered minimum of "
               f"{result.min_video_hours * 60:.0f} minute(s) of video (the programme's is "
               f"SPL_MIN_VIDEO_HOURS={current_app.config['SPL_MIN_VIDEO_HOURS']:g} hours); "
               + ("its checklist passes." if not result.problems
                  else "its checklist names: " + ", ".join(result.problems)))
    click.echo("Fresh redeem codes for the demo course:")
    for code in result.codes:
        click.echo(f"  {code}")
