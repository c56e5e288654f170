"""Programme pages: the start of the daily face verification and the return from it, the
signed file link the programme fetches skill tasks through, and the admins' list of calls
to the programme."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms import permissions
from lms.clock import utcnow
from lms.http import page_arg, safe_next
from lms.outbox.models import DeliveryState
from lms.pacing import attendance
from lms.programme import admin_calls, connector as programme, file_links, verification
from lms.programme.errors import ProgrammeUnavailable
from lms.transactions import delivers_evidence

bp = Blueprint("programme", __name__)


def _ensure_prakerja() -> None:
    if not programme.current().checks_codes:
        abort(404)


@bp.get("/programme/verify", endpoint="verify")
@login_required
def verify_page():
    _ensure_prakerja()
    needed = attendance.needs_verification(current_user, utcnow())
    return render_template("programme/verify.html", needed=needed,
                           next_url=safe_next(url_for("learning.dashboard")))


@bp.post("/programme/verify")
@login_required
def verify_start():
    _ensure_prakerja()
    next_url = safe_next(url_for("learning.dashboard"))
    try:
        target = verification.start(current_user, utcnow(), next_url)
    except ProgrammeUnavailable as error:
        return render_template("programme/verify.html", needed=True, next_url=next_url,
                               problem=str(error.message)), 503, error.headers
    return redirect(target)


# The programme sends the learner back here with a GET; coming back is the evidence of the
# day's verification, so this read records it.
@bp.get("/programme/callback", endpoint="callback")
@login_required
@delivers_evidence
def callback():
    _ensure_prakerja()
    done = verification.complete(current_user, request.args.get("state", ""), utcnow())
    flash(_("Attendance verified for today. You can continue studying."), "success")
    return redirect(safe_next_path(done.next_path))


def safe_next_path(path: str) -> str:
    if path.startswith("/") and not path.startswith("//"):
        return path
    return url_for("learning.dashboard")


@bp.get("/programme/files/<token>", endpoint="submission_file")
def submission_file(token: str):
    stream, name, content_type = admin_calls.file_for_link(file_links.submission_of(token))
    return send_file(stream, mimetype=content_type, as_attachment=True, download_name=name)


@bp.get("/admin/programme/calls", endpoint="calls")
@login_required
def calls():
    permissions.ensure_admin(current_user)
    state = request.args.get("state", "")
    state = state if state in DeliveryState.ALL else ""
    return render_template("programme/calls.html", state=state,
                           counts=admin_calls.counts(current_user),
                           page=admin_calls.page(current_user, page_arg(), state))


@bp.post("/admin/programme/calls/<int:message_id>/retry", endpoint="retry_call")
@login_required
def retry_call(message_id: int):
    admin_calls.retry(current_user, message_id, utcnow())
    flash(_("The call will be tried again at the next delivery."), "success")
    return redirect(url_for("programme.calls", state=request.args.get("state", "")))
