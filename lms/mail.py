"""Outgoing mail: written to the log unless an SMTP server is configured, and the links in it.

Mail is sent by the worker, never while a request waits. Links in mail point at the public
origin the operator configured (`PUBLIC_BASE_URL`; without it, where `make run` serves), never
at the request's Host header: a forged Host would otherwise put an attacker's origin in front
of a valid password-reset token.
"""
from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from urllib.parse import urlsplit

from flask import current_app

log = logging.getLogger("lms.mail")


def send_mail(to: str, subject: str, body: str) -> None:
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    if not config["MAIL_SERVER"]:
        log.info("mail to %s: %s\n%s", to, subject, body)
        current_app.extensions.setdefault("alur.outbox", []).append(message)
        return
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=15) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)


def public_base_url() -> str:
    config = current_app.config
    return (config.get("PUBLIC_BASE_URL") or config["LOCAL_BASE_URL"]).rstrip("/")


def public_url_for(endpoint: str, **values) -> str:
    """The absolute URL of `endpoint` (its full name) on the public origin."""
    origin = urlsplit(public_base_url())
    adapter = current_app.url_map.bind(origin.netloc, script_name=origin.path or "/",
                                       url_scheme=origin.scheme or "https")
    return adapter.build(endpoint, values, force_external=True)
