"""Configuration from the environment, with safe defaults for the embedded SQLite setup."""

from __future__ import annotations

import os

DEFAULT_SECRET_KEY = "dev-only-secret-key"


class Config:
    """Settings read once when the app is created; tests pass overrides to `create_app`."""

    def __init__(self, instance_path: str) -> None:
        default_db = "sqlite:///" + os.path.join(instance_path, "mealplanner.sqlite")
        self.SECRET_KEY = os.environ.get("MEALPLANNER_SECRET_KEY", DEFAULT_SECRET_KEY)
        self.SQLALCHEMY_DATABASE_URI = _normalise_db_url(
            os.environ.get("MEALPLANNER_DATABASE_URL", default_db)
        )
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        self.MEALPLANNER_EXTRA_FOODS_DIR = os.environ.get("MEALPLANNER_EXTRA_FOODS_DIR")

    def as_dict(self) -> dict[str, object]:
        return {k: v for k, v in vars(self).items() if k.isupper()}


def _normalise_db_url(url: str) -> str:
    # SQLAlchemy 2.1 maps plain postgresql:// to psycopg 3; accept the Heroku-style alias too.
    if url.startswith("postgres://"):
        return "postgresql://" + url[len("postgres://") :]
    return url
