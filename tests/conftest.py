"""Fixtures: an app on a fresh, migrated and seeded database (SQLite by default).

Set MEALPLANNER_TEST_POSTGRES_URL (e.g. postgresql://postgres@127.0.0.1:5432/postgres) to run
the database tests against PostgreSQL: a throwaway database is created for the session.
"""

from __future__ import annotations

import os
import threading
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from ortools.sat.python import cp_model

from mealplanner import create_app
from mealplanner.catalog.store import load_catalog
from mealplanner.database import ensure_database
from mealplanner.plans.catalog import current_catalog

cp_model.enable_warnings = True  # deprecated CamelCase calls become test failures

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
POSTGRES_URL = os.environ.get("MEALPLANNER_TEST_POSTGRES_URL")


def postgres_database(admin_url: str):
    """Create an empty PostgreSQL database; returns (url, drop callback)."""
    name = f"mealplanner_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.make_url(admin_url).set(database=name).render_as_string(hide_password=False)

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    if POSTGRES_URL:
        url, drop = postgres_database(POSTGRES_URL)
        yield url
        drop()
    else:
        yield "sqlite:///" + str(tmp_path_factory.mktemp("db") / "mealplanner.sqlite")


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "test-secret",
            # every solve here answers 201 or 422 as it did inside the request; the job
            # tests (tests/jobs) set 0 to see the 202
            "MEALPLANNER_SHORT_WAIT_SECONDS": 120,
        }
    )
    with app.app_context():
        ensure_database()
    yield app
    with app.app_context():
        from mealplanner.extensions import db

        db.engine.dispose()


@pytest.fixture()
def held_pool(app):
    """The job pool's only thread kept busy until the test lets go: jobs stay queued."""
    from mealplanner.jobs import queue

    with app.app_context():
        jobs = queue.runner()
    assert jobs.workers() == 1
    release = threading.Event()
    jobs._pool.submit(release.wait, 60)
    yield release
    release.set()


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def runner(app):
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def catalog(app):
    with app.app_context():
        return current_catalog()


@pytest.fixture(scope="session")
def file_catalog():
    """The packaged foods and recipes read straight from the files, no database."""
    return load_catalog()


@pytest.fixture(scope="session")
def usda_dir():
    folder = SHARED_DATA / "usda-sr-legacy"
    if not (folder / "FOOD_DES.txt").exists():
        pytest.skip("USDA SR28 files are not beside this checkout (../shared/data)")
    return folder


@pytest.fixture(scope="session")
def fped_csv():
    path = SHARED_DATA / "usda-fndds-2017-2018" / "FPED_1718.csv"
    if not path.exists():
        pytest.skip("USDA FPED 2017-2018 file is not beside this checkout (../shared/data)")
    return path


@pytest.fixture(scope="session")
def foodkeeper_dir():
    folder = SHARED_DATA / "usda-foodkeeper"
    if not (folder / "foodkeeper.json").exists():
        pytest.skip("USDA FSIS FoodKeeper file is not beside this checkout (../shared/data)")
    return folder
