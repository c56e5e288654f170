"""The migrations build the schema the models describe, and undo it cleanly."""
from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from lms.extensions import db
from tests import dbutil
from tests.conftest import BACKEND, make_test_app


@pytest.fixture
def empty_database(database_url, tmp_path):
    if BACKEND == "postgresql":
        url = dbutil.create_pg_database(database_url, prefix="alur_migr")
        yield url
        dbutil.drop_pg_database(url)
    else:
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"


def test_upgrade_matches_the_models_and_downgrade_returns_to_empty(empty_database, tmp_path):
    app = make_test_app(empty_database, tmp_path)
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
        assert diff == [], f"models and migrations disagree: {diff}"
        downgrade(revision="base")
        tables = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert tables == set()
        upgrade()
        db.engine.dispose()
