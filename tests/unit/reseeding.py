"""A database seeded before a migration's data existed, restarted: what the tables hold then."""

from __future__ import annotations

import sqlalchemy as sa

from mealplanner.app import create_app
from mealplanner.database import ensure_database
from mealplanner.extensions import db


def after_restart(tmp_path, damage: list[str], reads: list[str]) -> list:
    """Seed a fresh SQLite database, run `damage` (how an older database looked), start again
    (ensure_database, as every start does) and return each of `reads` as a scalar."""
    app = create_app({"TESTING": True,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.sqlite'}"})
    with app.app_context():
        ensure_database()
        for statement in damage:
            db.session.execute(sa.text(statement))
        db.session.commit()
        ensure_database()
        found = [db.session.scalar(sa.text(read)) for read in reads]
        db.session.remove()
        db.engine.dispose()
    return found
