"""Admin pages of the outbox: deliveries pending, delivered and failing, and "retry now"."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms import permissions
from lms.clock import utcnow
from lms.http import page_arg
from lms.outbox import services
from lms.outbox.models import DeliveryState

bp = Blueprint("outbox_admin", __name__, url_prefix="/admin/deliveries")
PER_PAGE = 25


@bp.before_request
@login_required
def require_admin():
    permissions.ensure_admin(current_user)


@bp.get("/")
def index():
    state = request.args.get("state", "")
    state = state if state in DeliveryState.ALL else ""
    page = services.messages(current_user, state, page_arg(), PER_PAGE)
    return render_template("outbox/deliveries.html", page=page, state=state,
                           counts=services.counts(current_user), now=utcnow())


@bp.post("/<int:message_id>/retry")
def retry(message_id: int):
    event = services.get_message(current_user, message_id)
    services.retry_now(current_user, event, utcnow())
    flash(_("Message %(id)s will be sent again now.", id=event.message_id), "success")
    return redirect(url_for(".index", state=request.args.get("state", "")))
