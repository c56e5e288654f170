"""Programme admin pages: accounts, providers and the audit log."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms import permissions
from lms.accounts import services as accounts
from lms.accounts.forms import ProviderForm, StaffUserForm
from lms.admin import queries
from lms.errors import AlurError
from lms.http import page_arg

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def require_admin():
    permissions.ensure_admin(current_user)


@bp.get("/")
def index():
    return redirect(url_for("admin.users"))


@bp.get("/users")
def users():
    return render_template("admin/users.html", page=queries.users_page(current_user, page_arg()))


@bp.route("/users/new", methods=["GET", "POST"])
def new_user():
    form = StaffUserForm()
    form.provider.choices = [("", "—")] + queries.provider_choices(current_user)
    if form.validate_on_submit():
        try:
            user = accounts.create_user(current_user, form.email.data, form.password.data,
                                        form.role.data, form.name.data,
                                        form.provider.data or None)
        except AlurError as error:
            form.email.errors.append(str(error.message))
        else:
            flash(_("Account %(email)s created.", email=user.email), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_new.html", form=form), (422 if form.errors else 200)


@bp.route("/providers", methods=["GET", "POST"])
def providers():
    form = ProviderForm()
    if form.validate_on_submit():
        try:
            provider = accounts.create_provider(current_user, form.slug.data, form.name.data)
        except AlurError as error:
            form.slug.errors.append(str(error.message))
        else:
            flash(_("Provider %(name)s created.", name=provider.name), "success")
            return redirect(url_for("admin.providers"))
    page = queries.providers_page(current_user, page_arg())
    return render_template("admin/providers.html", page=page, form=form), (
        422 if form.errors else 200)


@bp.get("/audit")
def audit_log():
    return render_template("admin/audit.html", page=queries.audit_page(current_user, page_arg()))
