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
        self.MAX_CONTENT_LENGTH = 64 * 1024  # request bodies (JSON, forms); larger: 413
        self.MEALPLANNER_EXTRA_FOODS_DIR = os.environ.get("MEALPLANNER_EXTRA_FOODS_DIR")
        self.MEALPLANNER_ENV = os.environ.get("MEALPLANNER_ENV", "development")
        # Reverse proxies in front of the app whose X-Forwarded-For/-Proto to trust (ProxyFix).
        self.MEALPLANNER_TRUSTED_PROXIES = int(os.environ.get("MEALPLANNER_TRUSTED_PROXIES", 0))
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        if self.MEALPLANNER_ENV == "production":  # served over HTTPS (TLS ends at the proxy)
            self.SESSION_COOKIE_SECURE = True
            self.PREFERRED_URL_SCHEME = "https"

    def as_dict(self) -> dict[str, object]:
        return {k: v for k, v in vars(self).items() if k.isupper()}


class InsecureConfiguration(RuntimeError):
    """Production was asked for with a setting that is only safe in development."""


def check_production(config) -> None:
    """In production (MEALPLANNER_ENV=production) refuse the development secret key."""
    if config.get("MEALPLANNER_ENV") != "production":
        return
    key = config.get("SECRET_KEY") or ""
    if key == DEFAULT_SECRET_KEY or len(key) < 16:
        raise InsecureConfiguration(
            "refusing to start in production with the development secret key (or one under "
            "16 characters): set "
            "MEALPLANNER_SECRET_KEY to a long random value, e.g. "
            "python -c 'import secrets; print(secrets.token_urlsafe(32))'")


def _normalise_db_url(url: str) -> str:
    # SQLAlchemy 2.1 maps plain postgresql:// to psycopg 3; accept the Heroku-style alias too.
    if url.startswith("postgres://"):
        return "postgresql://" + url[len("postgres://") :]
    return url
