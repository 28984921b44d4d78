"""The foods and recipes every plan is made from: read from the database once per process."""

from __future__ import annotations

from flask import current_app

from mealplanner.catalog.store import Catalog, catalog_from_database
from mealplanner.extensions import db

_CATALOG_KEY = "mealplanner.catalog"


def current_catalog() -> Catalog:
    """The foods and recipes in the app's database, read once per process and cached."""
    catalog = current_app.extensions.get(_CATALOG_KEY)
    if catalog is None:
        catalog = catalog_from_database(db.session)
        current_app.extensions[_CATALOG_KEY] = catalog
    return catalog


def forget_catalog() -> None:
    """Drop the cached catalog after the database was re-seeded."""
    current_app.extensions.pop(_CATALOG_KEY, None)
