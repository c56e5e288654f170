"""Provider staff's grading pages: the queue of skill-task hand-ins for their own courses and
the page where each is answered pass or revise with written feedback."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.assessments import skills
from lms.assessments.errors import AlreadyGraded
from lms.assessments.forms import GradeForm
from lms.assessments.models import SubmissionStatus
from lms.errors import Invalid
from lms.http import page_arg
from lms.permissions import assessments as assessment_permissions
from lms.transactions import discard_changes

bp = Blueprint("grading", __name__, url_prefix="/grading")
STATUS_FILTERS = (*SubmissionStatus.ALL, "all")


@bp.before_request
@login_required
def require_staff():
    assessment_permissions.ensure_grading_staff(current_user)


@bp.get("/")
def queue():
    status = request.args.get("status", SubmissionStatus.PENDING)
    if status not in STATUS_FILTERS:
        status = SubmissionStatus.PENDING
    page = skills.queue(current_user, status, page_arg())
    return render_template("assessments/grading_queue.html", page=page, status=status,
                           filters=STATUS_FILTERS)


@bp.route("/submissions/<int:submission_id>", methods=["GET", "POST"])
def submission(submission_id: int):
    item = skills.get_for_grading(current_user, submission_id)
    form = GradeForm()
    status = 200
    if form.validate_on_submit():
        try:
            skills.grade(current_user, item, form.decision.data, form.feedback.data)
        except (Invalid, AlreadyGraded) as error:
            discard_changes()
            form.feedback.errors.append(str(error.message))
            status = error.status
        else:
            flash(_("Your answer was sent to %(name)s.", name=item.enrollment.user.name),
                  "success")
            return redirect(url_for("grading.queue"))
    elif form.errors:
        status = 422
    history = skills.history(item.enrollment, item.module)
    return render_template("assessments/grading_submission.html", item=item, form=form,
                           history=history), status
