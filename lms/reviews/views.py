"""Rating pages: the learner's rating form, and the ratings provider staff read."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.catalog import services as catalog
from lms.errors import AlurError
from lms.http import page_arg
from lms.learning import services as learning
from lms.reviews import services
from lms.reviews.forms import RatingForm
from lms.transactions import discard_changes

bp = Blueprint("reviews", __name__)


@bp.app_template_global("has_rated")
def has_rated(enrollment) -> bool:
    return services.has_rated(enrollment)


@bp.route("/enrollments/<int:enrollment_id>/rating", methods=["GET", "POST"])
@login_required
def rate(enrollment_id: int):
    enrollment = learning.get_enrollment_for(current_user, enrollment_id)
    form = RatingForm()
    status = 200
    if form.validate_on_submit():
        try:
            services.rate_course(current_user, enrollment, form.stars.data, form.review.data)
        except AlurError as error:
            discard_changes()
            form.review.errors.append(str(error.message))
            status = error.status
        else:
            flash(_("Thank you for rating the course."), "success")
            return redirect(url_for("certificates.mine", enrollment_id=enrollment.id))
    elif form.is_submitted():
        status = 422
    return render_template("reviews/rate.html", enrollment=enrollment, form=form,
                           rating=services.rating_of(enrollment)), status


@bp.get("/provider/ratings")
@login_required
def overview():
    courses, summaries = services.course_summaries(current_user, page=page_arg())
    return render_template("reviews/overview.html", page=courses, summaries=summaries)


@bp.get("/provider/ratings/<slug>")
@login_required
def course(slug: str):
    summary, ratings = services.course_ratings(current_user, catalog.get_course_by_slug(slug),
                                               page=page_arg())
    return render_template("reviews/course.html", summary=summary, page=ratings)
