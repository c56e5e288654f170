"""Pacing pages: the daily attendance self-check (builtin connector; Kartu Prakerja has its own) and
the panel data the module page's video and reading partials render."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.clock import utcnow
from lms.http import safe_next
from lms.pacing import attendance, presenters
from lms.programme import connector as programme

bp = Blueprint("pacing", __name__)


@bp.app_template_global()
def pacing_panel(enrollment, module) -> presenters.PacingPanel:
    return presenters.panel_for(enrollment, module)


@bp.get("/attendance/verify", endpoint="attendance")
@login_required
def attendance_page():
    if not programme.current().allows_self_verification:
        return redirect(attendance.verify_url(safe_next("") or None))
    needed = attendance.needs_verification(current_user, utcnow())
    return render_template("pacing/attendance.html", needed=needed,
                           next_url=safe_next(url_for("learning.dashboard")))


@bp.post("/attendance/verify")
@login_required
def attendance_verify():
    attendance.record_own_verification(current_user, utcnow())
    flash(_("Attendance verified for today. You can continue studying."), "success")
    return redirect(safe_next(url_for("learning.dashboard")))
