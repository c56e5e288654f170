"""`flask programme standin` (the stand-in programme server) and `flask programme deliver`."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from werkzeug.serving import run_simple

from lms.cli_support import domain_command
from lms.clock import utcnow
from lms.programme import outbound
from lms.programme.standin import UnderscoreHeadersHandler, create_standin_app

programme_cli = AppGroup("programme", help="The programme connector (Kartu Prakerja).")


@programme_cli.command("standin")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5055, show_default=True)
@click.option("--course-code", default="ALUR-DEMO", show_default=True,
              help="The programme course code PRAT- test codes buy.")
def standin(host: str, port: int, course_code: str):
    """Serve a stand-in Kartu Prakerja API (in memory) for trying the flow by hand."""
    config = current_app.config
    app = create_standin_app(config.get("PRAKERJA_CLIENT_CODE") or "standin-client",
                             config.get("PRAKERJA_SIGN_KEY") or "standin-sign-key", course_code)
    click.echo(f"Prakerja stand-in on http://{host}:{port} (course code {course_code})")
    # Not app.run(): inside a `flask` command it refuses to block.
    run_simple(host, port, app, threaded=True, request_handler=UnderscoreHeadersHandler)


@programme_cli.command("deliver")
@domain_command
def deliver():
    """Try the programme calls that are due now (the worker's outbox loop also does)."""
    click.echo(f"{outbound.deliver_due(utcnow())} attempted")
