"""Admin pages of the eligibility ledger: counts by status, a filterable list, the CSV export.
Also the learner dashboard's incentive line (a template global)."""
from __future__ import annotations

from flask import Blueprint, Response, render_template, request, stream_with_context
from flask_login import current_user, login_required

from lms import permissions
from lms.http import page_arg
from lms.incentives import services
from lms.incentives.models import EligibilityStatus
from lms.learning.models import Enrollment

bp = Blueprint("incentives_admin", __name__, url_prefix="/admin/eligibility")
PER_PAGE = 25


@bp.app_template_global("incentive_of")
def incentive_of(enrollment: Enrollment):
    return services.incentive_of(enrollment)


def _filters() -> tuple[str, str]:
    status = request.args.get("status", "")
    return (status if status in EligibilityStatus.ALL else "",
            request.args.get("q", "")[:80])


@bp.before_request
@login_required
def require_admin():
    permissions.ensure_admin(current_user)


@bp.get("/")
def index():
    status, query = _filters()
    page = services.admin_items(current_user, status or None, query, page_arg(), PER_PAGE)
    return render_template("incentives/admin_list.html", page=page, status=status,
                           query=query, counts=services.counts_by_status(current_user),
                           total=services.export_count(current_user, status or None, query),
                           statuses=EligibilityStatus.ALL)


@bp.get("/export.csv")
def export():
    status, query = _filters()
    total = services.export_count(current_user, status or None, query)
    chunks = services.export_csv(current_user, status or None, query)
    response = Response(stream_with_context(chunks), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="eligibility.csv"'
    response.headers["X-Total-Rows"] = str(total)
    response.headers["Cache-Control"] = "no-store"
    return response
