"""Language and time zone: Bahasa Indonesia by default, English on request."""
from __future__ import annotations

from datetime import date, datetime

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user

from lms import localtime

LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}
TIMEZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")  # WIB, WITA, WIT


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        # The command line and the worker speak to operators, in English; mail and PDFs for
        # a person choose that person's language explicitly (force_locale).
        return "en"
    if request.args.get("lang") in languages:
        return request.args["lang"]
    if session.get("lang") in languages:
        return session["lang"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return request.accept_languages.best_match(languages) or current_app.config[
        "BABEL_DEFAULT_LOCALE"]


def default_timezone() -> str:
    """The zone of people and records that have none (`DEFAULT_TIMEZONE`, WIB by default)."""
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def learner_timezone(person) -> str:
    """A person's own zone (a user, a certificate's holder), else the configured default."""
    return getattr(person, "timezone", None) or default_timezone()


def local_date(instant: datetime, tz: str | None) -> date:
    """The calendar date at `instant` in zone `tz`, or in the configured zone when `tz` is
    missing or no longer valid."""
    return localtime.local_date_or_default(instant, tz, default_timezone())


def select_timezone() -> str | None:
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.timezone
    return None


def init_templates(app: Flask) -> None:
    @app.context_processor
    def language_context() -> dict:
        return {"languages": LANGUAGE_NAMES, "current_locale": str(get_locale() or "id")}
