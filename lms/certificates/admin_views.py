"""Admin pages for certificates: search them, inspect one, revoke it with a reason."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms import permissions
from lms.certificates import services
from lms.certificates.forms import RevokeForm
from lms.errors import AlurError
from lms.http import page_arg
from lms.transactions import discard_changes

bp = Blueprint("certificates_admin", __name__, url_prefix="/admin/certificates")

STATUSES = ("", "valid", "revoked")


@bp.before_request
@login_required
def require_admin():
    permissions.ensure_admin(current_user)


@bp.get("/")
def index():
    query = request.args.get("q", "")[:120]
    status = request.args.get("status", "")
    status = status if status in STATUSES else ""
    page = services.admin_certificates(current_user, query, status, page=page_arg())
    return render_template("certificates/admin_list.html", page=page, query=query, status=status)


@bp.get("/<number>")
def detail(number: str):
    certificate = services.find_by_number(number)
    return render_template("certificates/admin_detail.html", certificate=certificate,
                           form=RevokeForm())


@bp.post("/<number>/revoke")
def revoke(number: str):
    certificate = services.find_by_number(number)
    form = RevokeForm()
    if form.validate_on_submit():
        try:
            services.revoke_certificate(current_user, certificate, form.reason.data)
        except AlurError as error:
            discard_changes()
            form.reason.errors.append(str(error.message))
            return render_template("certificates/admin_detail.html", certificate=certificate,
                                   form=form), error.status
        flash(_("Certificate %(number)s revoked.", number=certificate.number), "success")
        return redirect(url_for(".detail", number=certificate.number))
    return render_template("certificates/admin_detail.html", certificate=certificate,
                           form=form), 422
