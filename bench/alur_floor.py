"""Alur's own floor for bench.heartbeat: the full app (every extension's request hooks) plus two
empty routes, served exactly like the app and the bare-Flask baseline. The heartbeat's ratio to
the baseline reads better next to what the stack and a signed-in user cost with no work at all.
"""
from __future__ import annotations

from flask_login import login_required

from lms import create_app

app = create_app()


@app.get("/__floor")
def floor():
    return ""


@app.get("/__floor/signed-in")
@login_required
def floor_signed_in():
    return ""
