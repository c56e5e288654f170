"""Sign-up, sign-in, sign-out, password reset and language choice."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from lms.accounts import services
from lms.accounts.forms import ForgotPasswordForm, LoginForm, ResetPasswordForm, SignupForm
from lms.accounts.ratelimit import login_throttle, note_login_failure
from lms.errors import AlurError
from lms.http import safe_next
from lms.mail import send_mail

bp = Blueprint("accounts", __name__)


@bp.route("/login", methods=["GET", "POST"])
@login_throttle
def login():
    if current_user.is_authenticated:
        return redirect(url_for("learning.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data)
        except AlurError as error:
            note_login_failure()
            form.password.errors.append(str(error.message))
        else:
            login_user(user, remember=form.remember.data)
            session.permanent = True
            return redirect(safe_next(url_for("learning.dashboard")))
    return render_template("accounts/login.html", form=form), (401 if form.errors else 200)


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    form = SignupForm()
    if form.validate_on_submit():
        try:
            user = services.register_learner(form.email.data, form.name.data, form.password.data)
        except AlurError as error:
            form.email.errors.append(str(error.message))
        else:
            login_user(user)
            flash(_("Welcome to Alur! Redeem your training code to start."), "success")
            return redirect(url_for("learning.dashboard"))
    return render_template("accounts/signup.html", form=form), (422 if form.errors else 200)


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    flash(_("You have signed out."), "info")
    return redirect(url_for("learning.catalog"))


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = services.find_user(form.email.data)
        if user is not None and user.active:
            link = url_for("accounts.reset_password", token=services.make_reset_token(user),
                           _external=True)
            send_mail(user.email, _("Reset your Alur password"),
                      _("Open this link within an hour to choose a new password:\n%(link)s",
                        link=link))
        # The same answer whether or not the account exists, so addresses cannot be probed.
        flash(_("If an account uses that address, we have sent it a reset link."), "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data)
        except AlurError as error:
            form.password.errors.append(str(error.message))
        else:
            flash(_("Your password has been changed. Sign in with the new one."), "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset.html", form=form), (422 if form.errors else 200)


@bp.route("/lang/<code>", methods=["GET", "POST"])
def set_language(code: str):
    """The language of this browser; a POST (the header's buttons) also keeps it for the
    signed-in account. A GET, for plain links, never writes."""
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
        if request.method == "POST" and current_user.is_authenticated:
            services.set_locale(current_user, code)
    return redirect(safe_next(url_for("learning.catalog")))
