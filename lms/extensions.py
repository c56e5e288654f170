"""Every extension object the app uses, created unbound and initialised in create_app()."""
from __future__ import annotations

from pathlib import Path

from flask import Flask, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from huey import Huey
from huey.storage import RedisStorage, SqliteStorage
from redis import ConnectionPool
from sqlalchemy import MetaData

from lms import ratelimit_storage  # noqa: F401 (registers sqlite:/// with Flask-Limiter)

# Stable constraint names let Alembic alter tables on SQLite (batch mode) and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING_CONVENTION))
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])

# Tasks are declared against this object at import time; init_task_queue() points it at
# SQLite (default) or Redis once the configuration is known.
task_queue = Huey("alur", storage_class=SqliteStorage, filename=":memory:", immediate=True)


def init_task_queue(app: Flask) -> None:
    """Bind the task queue to the configured broker and remember the app for task contexts."""
    if app.config.get("REDIS_URL"):
        timeout = float(app.config["REDIS_TIMEOUT_SECONDS"])
        task_queue.storage_class = RedisStorage
        task_queue.storage_kwargs = {"connection_pool": ConnectionPool.from_url(
            app.config["REDIS_URL"], socket_connect_timeout=timeout, socket_timeout=timeout)}
    else:
        path = Path(app.config["HUEY_SQLITE_PATH"])
        path.parent.mkdir(parents=True, exist_ok=True)
        task_queue.storage_class = SqliteStorage
        task_queue.storage_kwargs = {"filename": str(path)}
    # Switching modes recreates storage only when the value changes, so force it.
    task_queue._immediate = bool(app.config.get("HUEY_IMMEDIATE"))
    task_queue.storage = task_queue.create_storage()
    task_queue.flask_app = app  # type: ignore[attr-defined]


def init_rate_limits(app: Flask) -> None:
    limiter.init_app(app)
    # The Limiter object outlives an app (the tests build many in one process) and would
    # carry "store down, counting in memory" over to the next app and its store.
    limiter._storage_dead = False


def is_api_request() -> bool:
    return request.path.startswith("/api/")


__all__ = [
    "db", "migrate", "login_manager", "csrf", "babel", "limiter", "task_queue",
    "init_task_queue", "init_rate_limits", "is_api_request",
]
