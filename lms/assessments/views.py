"""The learner's assessment pages: taking a quiz against a server-side clock, its result,
and handing in the skill task. The module page includes the panels through template globals."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge

from lms.assessments import errors, presenters, quizzes, rules, skills
from lms.assessments.forms import FileSubmissionForm, LinkSubmissionForm, StartAttemptForm
from lms.errors import AlurError, Invalid
from lms.learning.models import EnrollmentStatus
from lms.transactions import discard_changes

bp = Blueprint("assessments", __name__)

# What a learner can fix or needs explained on a page of its own (with a way back), rather
# than the generic error page.
EXPLAINED = (errors.NoAttemptsLeft, errors.AlreadyCompleted, errors.DeadlinePassed,
             errors.NotReady, errors.AttemptExpired, errors.AlreadySubmitted,
             errors.InvalidAnswers, errors.SubmissionPending, errors.UnsupportedFile,
             errors.FileTooLarge, Invalid)


@bp.app_template_global()
def quiz_panel(enrollment, module) -> presenters.QuizPanel:
    return presenters.quiz_panel(enrollment, module)


@bp.app_template_global()
def skill_panel(enrollment, module) -> presenters.SkillPanel:
    return presenters.skill_panel(enrollment, module)


@bp.app_template_global()
def assessment_scores(enrollment) -> presenters.Scores:
    return presenters.assessment_scores(enrollment)


@bp.app_template_global()
def assessment_forms() -> dict:
    return {"start": StartAttemptForm(), "file": FileSubmissionForm(prefix="f"),
            "link": LinkSubmissionForm(prefix="l")}


@bp.url_value_preprocessor
def limit_hand_in_size(endpoint: str | None, values: dict | None) -> None:
    """Cap a hand-in's body before anything reads it (this runs before the CSRF check parses
    the form), so an oversized upload is refused while it streams in, not after it filled a
    temporary file."""
    if endpoint == "assessments.submit_skill_task":
        request.max_content_length = skills.request_limit()


def _problem(error: AlurError, enrollment_id: int, module_id: int, attempt_id: int | None = None):
    discard_changes()
    return render_template("assessments/problem.html", error=error, enrollment_id=enrollment_id,
                           module_id=module_id, attempt_id=attempt_id), error.status


@bp.post("/enrollments/<int:enrollment_id>/modules/<int:module_id>/attempts")
@login_required
def start_attempt(enrollment_id: int, module_id: int):
    enrollment, module = quizzes.load(current_user, enrollment_id, module_id)
    try:
        attempt, _created = quizzes.start_attempt(current_user, enrollment, module)
    except EXPLAINED as error:
        return _problem(error, enrollment.id, module.id)
    return redirect(url_for("assessments.attempt", attempt_id=attempt.id))


@bp.get("/attempts/<int:attempt_id>")
@login_required
def attempt(attempt_id: int):
    view = presenters.attempt_view(current_user, attempt_id)
    return render_template("assessments/attempt.html", view=view,
                           enrollment=view.attempt.enrollment, module=view.attempt.module)


@bp.post("/attempts/<int:attempt_id>")
@login_required
def submit_attempt(attempt_id: int):
    attempt = quizzes.get_attempt_for(current_user, attempt_id)
    try:
        answers = rules.answers_from_form(list(request.form.lists()))
        graded = quizzes.submit_attempt(current_user, attempt, answers)
    except EXPLAINED as error:
        return _problem(error, attempt.enrollment_id, attempt.module_id, attempt.id)
    if graded.attempt.enrollment.status == EnrollmentStatus.COMPLETED:
        flash(_("Well done: you have completed the course."), "success")
    return redirect(url_for("assessments.attempt", attempt_id=attempt.id))


@bp.post("/enrollments/<int:enrollment_id>/modules/<int:module_id>/submissions")
@login_required
def submit_skill_task(enrollment_id: int, module_id: int):
    enrollment, module = quizzes.load(current_user, enrollment_id, module_id)
    try:
        try:
            upload = request.files.get("f-file")
            url = request.form.get("l-url")
            note = request.form.get("f-note") or request.form.get("l-note") or ""
        except RequestEntityTooLarge:
            raise errors.FileTooLarge() from None
        received = skills.Upload(upload.filename, upload.stream) \
            if upload is not None and upload.filename else None
        submission = skills.submit(current_user, enrollment, module, url=url, upload=received,
                                   note=note)
    except EXPLAINED as error:
        return _problem(error, enrollment.id, module.id)
    flash(_("Your work was handed in (submission %(n)d). The provider will review it and "
            "write feedback.", n=submission.number), "success")
    return redirect(url_for("learning.module", enrollment_id=enrollment.id, module_id=module.id))


@bp.get("/submissions/<int:submission_id>/file")
@login_required
def submission_file(submission_id: int):
    submission = skills.get_for_viewing(current_user, submission_id)
    stream, name, content_type = skills.open_file(submission)
    response = send_file(stream, mimetype=content_type, as_attachment=True, download_name=name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
