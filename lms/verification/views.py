"""Admin pages of the completion review: the queue, one completion's evidence timeline, and
the decision; and the template helpers learners' pages use to show where they stand."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms import permissions
from lms.errors import AlurError
from lms.http import page_arg
from lms.permissions import verification as review_permissions
from lms.transactions import discard_changes
from lms.verification import presenters, services
from lms.verification.forms import DecisionForm
from lms.verification.models import Completion

bp = Blueprint("verification_admin", __name__, url_prefix="/admin/completions")


@bp.app_template_global("completion_of")
def completion_of(enrollment) -> Completion | None:
    return services.completion_of(enrollment.id)


@bp.app_template_global("flagged_completions_count")
def flagged_completions_count() -> int:
    if not review_permissions.may_review_completions(current_user):
        return 0
    return services.flagged_count(current_user)


bp.add_app_template_global(presenters.learner_status_text, "completion_status_text")


@bp.before_request
@login_required
def require_admin():
    permissions.ensure_admin(current_user)


@bp.get("/")
def queue():
    try:
        wanted = services.clean_filter(request.args.get("status"), request.args.get("flag"),
                                       request.args.get("provider"), request.args.get("course"))
    except AlurError:
        wanted = services.QueueFilter()
    page = services.review_queue(current_user, wanted, page_arg())
    return render_template("verification/queue.html", page=page, wanted=wanted,
                           counts=services.status_counts(current_user),
                           presenters=presenters, **presenters.queue_choices())


def _detail_page(completion: Completion, form: DecisionForm, status: int = 200):
    return render_template("verification/detail.html", completion=completion, form=form,
                           presenters=presenters, **presenters.evidence_page(completion)), status


@bp.get("/<int:completion_id>")
def detail(completion_id: int):
    completion = services.get_completion(current_user, completion_id)
    return _detail_page(completion, DecisionForm())


@bp.post("/<int:completion_id>/decision")
def decide(completion_id: int):
    completion = services.get_completion(current_user, completion_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        return _detail_page(completion, form, 422)
    try:
        services.decide(current_user, completion, form.decision.data, form.reason.data)
    except AlurError as error:
        discard_changes()
        form.reason.errors.append(str(error.message))
        return _detail_page(completion, form, error.status)
    flash(_("Completion %(id)s: %(status)s.", id=completion.id,
            status=presenters.status_label(completion.status)), "success")
    return redirect(url_for(".detail", completion_id=completion.id))
