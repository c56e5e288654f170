"""Rendering a certificate to PDF: an HTML template through WeasyPrint, with a QR code.

The certificate is printed in the holder's language with the other programme language
underneath each heading, so an employer reading either language understands it.
"""
from __future__ import annotations

import logging
from typing import Any

import segno
from babel.dates import format_date
from babel.numbers import format_decimal
from flask import current_app, render_template
from flask_babel import force_locale, gettext as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from lms.certificates.models import Certificate
from lms.i18n import local_date

OTHER_LANGUAGE = {"id": "en", "en": "id"}
# WeasyPrint narrates every rendering step at INFO; the worker's log should show the jobs.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def qr_data_uri(url: str) -> str:
    """An SVG QR code (error correction M, the standard quiet zone) as a data URI."""
    return segno.make(url, error="m").svg_data_uri(scale=4, border=4)


def _labels() -> dict[str, str]:
    """Every printed label in the current (forced) locale."""
    return {
        "title": _("Certificate of Completion"),
        "presented_to": _("This certifies that"),
        "completed": _("has completed the self-paced online course"),
        "provider": _("Training provider"),
        "hours": _("Hours of content"),
        "date": _("Completion date"),
        "number": _("Certificate number"),
        "verify": _("Verify this certificate at"),
        "scan": _("Scan to verify"),
        "proof": _("Progress through every module was verified on the server, in sequence "
                   "and at real speed."),
    }


def _language(certificate: Certificate) -> str:
    languages = current_app.config["LANGUAGES"]
    if certificate.locale in languages:
        return certificate.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _local_date(certificate: Certificate, locale: str) -> str:
    return format_date(local_date(certificate.completed_at, certificate.timezone),
                       format="long", locale=locale)


def render_html(certificate: Certificate) -> str:
    primary = _language(certificate)
    secondary = OTHER_LANGUAGE.get(primary, "en")
    with force_locale(secondary):
        other = _labels()
    with force_locale(primary):
        labels = _labels()
        # Until a catalogue translates a label, both languages read the same: print it once.
        other = {key: (text if text != labels[key] else "") for key, text in other.items()}
        context: dict[str, Any] = {
            "certificate": certificate,
            "t": labels,
            "t2": other,
            "lang": primary,
            "completed_on": _local_date(certificate, primary),
            "hours": format_decimal(certificate.hours, locale=primary),
            "qr": qr_data_uri(certificate.verify_url),
            "programme_name": current_app.config["PROGRAMME_NAME"],
        }
        return render_template("certificates/pdf.html", **context)


def render_pdf(certificate: Certificate) -> bytes:
    # Everything the certificate shows is inline; allowing only data: URIs means text a user
    # typed (a name, a course title) can never make the renderer fetch a file or a URL.
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=render_html(certificate), url_fetcher=fetcher).write_pdf()
