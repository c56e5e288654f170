"""The staff page of learners stuck on a quiz (every attempt used, none passed) and the form
that grants one of them one more attempt, with a reason."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms import permissions
from lms.accounts.models import Role
from lms.assessments import grants
from lms.errors import Conflict, Invalid
from lms.http import page_arg
from lms.transactions import discard_changes

bp = Blueprint("attempt_grants", __name__, url_prefix="/grading/attempts")


@bp.before_request
@login_required
def require_staff():
    permissions.ensure_role(current_user, Role.PROVIDER, Role.ADMIN)


def _listing(error=None, failed: tuple[int, int] | None = None, reason: str = "",
             status: int = 200):
    page = grants.stuck_learners(current_user, page_arg())
    return render_template("assessments/grants/stuck.html", page=page, error=error,
                           failed=failed, reason=reason,
                           max_reason=grants.MAX_REASON), status


@bp.get("/")
def stuck():
    return _listing()


@bp.post("/<int:enrollment_id>/modules/<int:module_id>")
def grant(enrollment_id: int, module_id: int):
    enrollment, module = grants.load_for_grant(current_user, enrollment_id, module_id)
    reason = request.form.get("reason", "")
    try:
        grants.grant_extra_attempt(current_user, enrollment, module, reason)
    except (Invalid, Conflict) as error:
        discard_changes()
        return _listing(error.message, (enrollment_id, module_id), reason[:grants.MAX_REASON],
                        error.status)
    flash(_("%(name)s may now make one more attempt at “%(quiz)s”.",
            name=enrollment.user.name, quiz=module.title), "success")
    return redirect(url_for("attempt_grants.stuck", page=page_arg()))
