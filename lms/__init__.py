"""Alur: a learning management system where completion is proven on the server."""
from __future__ import annotations

import logging

from flask import Flask

from config import INSTANCE_DIR, config_for
from lms import (cli, i18n, listeners, models, request_bodies, security,  # noqa: F401
                 sweeps, transactions)
from lms.blueprints import BLUEPRINTS
from lms.converters import DatabaseIdConverter
from lms.errors import register_error_handlers
from lms.extensions import (babel, csrf, db, init_rate_limits, init_task_queue, login_manager,
                            migrate)
from lms.media import storage as media_storage
from lms.proxies import trust_proxies
from lms.web import compression, headers, session_cookie, static_files


def create_app(config_name: str | None = None, **overrides) -> Flask:
    """Build the app: configuration, extensions, blueprints, error handlers, CLI — nothing else."""
    app = Flask(__name__, instance_path=str(INSTANCE_DIR), template_folder="../templates",
                static_folder="../static")
    app.config.from_object(config_for(config_name))
    app.config.update(overrides)
    app.url_map.converters["int"] = DatabaseIdConverter
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    request_bodies.init_app(app)  # before CSRF, which reads form bodies
    trust_proxies(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"), render_as_batch=True)
    login_manager.init_app(app)
    session_cookie.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    init_rate_limits(app)
    init_task_queue(app)
    media_storage.init_app(app)
    security.init_login(app)
    i18n.init_templates(app)

    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    transactions.init_app(app)
    listeners.register(app)
    register_error_handlers(app)
    headers.init_app(app)
    compression.init_app(app)
    static_files.init_app(app)
    cli.register(app)
    return app

