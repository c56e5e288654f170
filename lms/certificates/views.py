"""Certificate pages: public verification, the published keys, the holder's certificate page
and PDF download. Admin pages are in admin_views.py, the JSON API in api.py."""
from __future__ import annotations

import logging
from datetime import datetime

from flask import (Blueprint, current_app, flash, jsonify, make_response, redirect,
                   render_template, request, send_file, url_for)
from flask_babel import format_date, gettext as _
from flask_login import current_user, login_required

from lms.certificates import keys, services
from lms.certificates.models import Certificate
from lms.clock import utcnow
from lms.errors import AlurError
from lms.i18n import local_date
from lms.learning import services as learning
from lms.reviews.services import has_rated

bp = Blueprint("certificates", __name__)
log = logging.getLogger(__name__)


@bp.record_once
def _report_key_problem(state) -> None:
    """Say at start-up, not at the first completion, that certificates cannot be signed."""
    problem = keys.configuration_problem(state.app)
    if problem:
        log.error("certificates cannot be issued: %s", problem)


@bp.app_template_global("certificate_of")
def certificate_of(enrollment) -> Certificate | None:
    return services.certificate_of(enrollment)


@bp.app_template_filter("certificate_date")
def certificate_date(moment: datetime | None, certificate: Certificate) -> str:
    """A date as printed on the certificate: in the holder's time zone, the reader's language."""
    if moment is None:
        return "—"
    return format_date(local_date(moment, certificate.timezone), format="long")


def _uncached(response, status: int = 200):
    """Verification answers are never cached, so a revocation shows on the next request."""
    response = make_response(response, status)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/verify")
def verify_form():
    typed = request.args.get("number", "").strip()
    if not typed:
        return render_template("certificates/verify_form.html")
    try:
        certificate = services.find_by_number(typed)
    except AlurError as error:
        return _uncached(render_template("certificates/verify_missing.html", number=typed,
                                         error=error), 404)
    return redirect(url_for(".verify", number=certificate.number))


@bp.get("/verify/<number>")
def verify(number: str):
    try:
        certificate = services.find_by_number(number)
    except AlurError as error:
        return _uncached(render_template("certificates/verify_missing.html", number=number,
                                         error=error), 404)
    if certificate.number != number:
        return redirect(url_for(".verify", number=certificate.number), 301)
    return _uncached(render_template("certificates/verify.html", certificate=certificate))


@bp.get("/.well-known/alur-keys.json")
def published_keys():
    response = jsonify(keys.published_jwks(current_app._get_current_object(), utcnow()))
    # Verifiers fetch the keys from any origin; a retired key never disappears, so a short
    # cache is safe.
    response.headers["Cache-Control"] = "public, max-age=300"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/enrollments/<int:enrollment_id>/certificate")
@login_required
def mine(enrollment_id: int):
    enrollment = learning.get_enrollment_for(current_user, enrollment_id)
    return render_template("certificates/mine.html", enrollment=enrollment,
                           certificate=services.certificate_of(enrollment),
                           rated=has_rated(enrollment))


@bp.post("/enrollments/<int:enrollment_id>/certificate")
@login_required
def request_mine(enrollment_id: int):
    enrollment = learning.get_enrollment_for(current_user, enrollment_id)
    services.request_certificate(current_user, enrollment)
    flash(_("Your certificate has been issued."), "success")
    return redirect(url_for(".mine", enrollment_id=enrollment.id))


@bp.get("/certificates/<number>/pdf")
@login_required
def download_pdf(number: str):
    certificate = services.find_by_number(number)
    source = services.pdf_for_download(current_user, certificate)
    if source is None:
        response = make_response(render_template("certificates/preparing.html",
                                                 certificate=certificate), 202)
        response.headers["Retry-After"] = "10"
        return response
    if source.url:
        return redirect(source.url)
    response = send_file(source.stream, mimetype="application/pdf", as_attachment=True,
                         download_name=f"{certificate.number}.pdf")
    response.headers["Cache-Control"] = "private, no-store"
    return response
