"""The learner's settings page: the data saver."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.http import safe_next
from lms.preferences import services
from lms.preferences.forms import DataSaverForm

bp = Blueprint("preferences", __name__, url_prefix="/settings")


@bp.app_template_global()
def video_data_plan(module) -> services.VideoDataPlan:
    return services.video_data_plan(current_user, module)


@bp.route("/", methods=["GET", "POST"])
@login_required
def settings():
    form = DataSaverForm()
    if request.method == "GET":
        form.data_saver.data = form.value_of(services.data_saver_height(current_user))
    if form.validate_on_submit():
        services.set_data_saver(current_user, form.height_of(form.data_saver.data))
        flash(_("Your settings are saved."), "success")
        return redirect(safe_next(url_for("preferences.settings")))
    status = 422 if request.method == "POST" else 200
    return render_template("preferences/settings.html", form=form,
                           next=request.values.get("next", "")), status
