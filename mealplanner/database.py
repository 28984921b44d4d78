"""The database made ready: schema migrated to the newest revision, food database seeded."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_migrate import upgrade as migrate_upgrade

from mealplanner.catalog.store import load_catalog, seed_database
from mealplanner.extensions import db
from mealplanner.models import Food, RecipeIngredient
from mealplanner.plans.catalog import forget_catalog
from mealplanner.ready_lock import database_ready_lock


def seed_catalog() -> tuple[int, int]:
    """Load foods/ (and the user's extra folder) into the database; returns (foods, recipes)."""
    folder = current_app.config.get("MEALPLANNER_EXTRA_FOODS_DIR")
    catalog = load_catalog(Path(folder) if folder else None)
    seed_database(db.session, catalog)
    forget_catalog()
    return len(catalog.foods), len(catalog.recipes)


def ensure_database() -> None:
    """Bring the schema up to date and seed the food database when it is empty, or when it
    was seeded before foods had storage times (no food has one: planned as if all kept),
    before packages had their as-sold refuse (a food without one), before foods weighed
    cooked had their cooked yield (no food has one: a raw cauliflower head counted as that
    much cooked cauliflower), before ingredients said whether the dish heats them (every
    ingredient reads as heated, no-cook dishes included: no live cultures anywhere), before
    prebiotic figures said which are the raw food's (no food has one: cooked onion counted
    as raw) or before foods had micronutrients and unknown values (no food has calcium:
    tempeh's unknown fiber read 0 g). One process at a time (ready_lock): others started at
    the same moment wait, then find the work done."""
    with database_ready_lock(db.engine):
        _migrate_and_seed()
        db.session.commit()  # no read left open: the next process sees what was committed


def _migrate_and_seed() -> None:
    migrate_upgrade()

    def count(*where) -> int:
        return db.session.scalar(sa.select(sa.func.count()).select_from(Food).where(*where))

    foods = count()
    stored = count(Food.storage_place.is_not(None))
    unsold = count(Food.refuse_pct_as_sold.is_(None))
    cooked = count(Food.cooked_g_per_g_as_sold.is_not(None))
    unheated = db.session.scalar(sa.select(sa.func.count()).select_from(RecipeIngredient)
                                 .where(RecipeIngredient.heated.is_(False)))
    raw_prebiotics = count(Food.prebiotic_measured_raw.is_(True))
    micronutrients = count(Food.calcium_mg.is_not(None))
    if (foods == 0 or stored == 0 or unsold or cooked == 0 or unheated == 0
            or raw_prebiotics == 0 or micronutrients == 0):
        seed_catalog()
