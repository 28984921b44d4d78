"""Configuration: every environment variable the app reads, with safe defaults.

The app's settings come from, in this order (later wins): `Config` (the environment, else the
defaults), the instance folder's `config.py` (optional; Flask's instance folder, `instance/`
beside the package in a checkout), then the mapping given to `create_app` (tests,
`serve --production`). `finish` then derives what depends on the final values.
"""

from __future__ import annotations

import os

DEFAULT_SECRET_KEY = "dev-only-secret-key"
INSTANCE_CONFIG = "config.py"


def constraints_dir_setting() -> str | None:
    """MEALPLANNER_CONSTRAINTS_DIR: the rule-set folder (default: the packaged constraints/).
    Read outside any app too (the benchmark, the CLI's exports), so a function of its own."""
    return os.environ.get("MEALPLANNER_CONSTRAINTS_DIR") or None


class Config:
    """Settings read once when the app is created; tests pass overrides to `create_app`."""

    def __init__(self, instance_path: str) -> None:
        env = os.environ.get
        default_db = "sqlite:///" + os.path.join(instance_path, "mealplanner.sqlite")
        self.SECRET_KEY = env("MEALPLANNER_SECRET_KEY", DEFAULT_SECRET_KEY)
        self.SQLALCHEMY_DATABASE_URI = env("MEALPLANNER_DATABASE_URL", default_db)
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        self.MAX_CONTENT_LENGTH = 64 * 1024  # request bodies (JSON, forms); larger: 413
        self.MEALPLANNER_EXTRA_FOODS_DIR = env("MEALPLANNER_EXTRA_FOODS_DIR")
        self.MEALPLANNER_CONSTRAINTS_DIR = constraints_dir_setting()
        self.MEALPLANNER_ENV = env("MEALPLANNER_ENV", "development")
        # Reverse proxies in front of the app whose X-Forwarded-For/-Proto to trust (ProxyFix).
        self.MEALPLANNER_TRUSTED_PROXIES = int(env("MEALPLANNER_TRUSTED_PROXIES", 0))
        # Solves one process runs at once, and the Retry-After of the 503 past them
        # (plans/capacity.py).
        self.MEALPLANNER_PLANNER_SLOTS = int(env("MEALPLANNER_PLANNER_SLOTS", 1))
        self.MEALPLANNER_PLANNER_RETRY_AFTER = int(env("MEALPLANNER_PLANNER_RETRY_AFTER", 10))
        # Rate limits per client address (ratelimit.py); counters in Redis when a URL is given.
        self.MEALPLANNER_RATE_LIMIT = env("MEALPLANNER_RATE_LIMIT", "600 per minute")
        self.MEALPLANNER_PLAN_RATE_LIMIT = env("MEALPLANNER_PLAN_RATE_LIMIT", "30 per minute")
        self.MEALPLANNER_REDIS_URL = env("MEALPLANNER_REDIS_URL") or None
        # Plan jobs (mealplanner/jobs): MEALPLANNER_JOBS is `inprocess` (a thread pool in each
        # web process) or `rq` (Redis and `mealplanner worker` processes); unset, it is `rq`
        # when MEALPLANNER_REDIS_URL is set, else `inprocess`.
        self.MEALPLANNER_JOBS = env("MEALPLANNER_JOBS") or None
        self.MEALPLANNER_JOB_QUEUE = env("MEALPLANNER_JOB_QUEUE", "mealplanner")  # RQ's queue
        # In-process pool threads (default: the planner slots).
        self.MEALPLANNER_JOB_WORKERS = _optional_int(env("MEALPLANNER_JOB_WORKERS"))
        # Queued + running jobs past which a new one gets 503 planner_busy (default: 4 per
        # worker), and the solve time its Retry-After counts per job ahead.
        self.MEALPLANNER_QUEUE_CAPACITY = _optional_int(env("MEALPLANNER_QUEUE_CAPACITY"))
        self.MEALPLANNER_TYPICAL_SOLVE_SECONDS = float(
            env("MEALPLANNER_TYPICAL_SOLVE_SECONDS", 2))
        # A job still queued after this long is failed (its process or Redis lost it).
        self.MEALPLANNER_QUEUE_MAX_WAIT_SECONDS = int(
            env("MEALPLANNER_QUEUE_MAX_WAIT_SECONDS", 600))
        # Finished jobs are deleted after this long (a job id gives out its plan's owner token).
        self.MEALPLANNER_JOB_KEEP_SECONDS = int(env("MEALPLANNER_JOB_KEEP_SECONDS", 86400))
        # How long POST waits for its job before answering 202 with the job's URL.
        self.MEALPLANNER_SHORT_WAIT_SECONDS = float(env("MEALPLANNER_SHORT_WAIT_SECONDS", 3))
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"

    def as_dict(self) -> dict[str, object]:
        return {k: v for k, v in vars(self).items() if k.isupper()}


def finish(config) -> None:
    """What follows from the final settings: the database URL's driver, production cookies."""
    config["SQLALCHEMY_DATABASE_URI"] = _normalise_db_url(config["SQLALCHEMY_DATABASE_URI"])
    if config.get("MEALPLANNER_ENV") == "production":  # served over HTTPS (TLS ends at the proxy)
        config["SESSION_COOKIE_SECURE"] = True
        config["PREFERRED_URL_SCHEME"] = "https"


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


def _optional_int(value: str | None) -> int | None:
    return int(value) if value not in (None, "") else None


def _normalise_db_url(url: str) -> str:
    # SQLAlchemy 2.1 maps plain postgresql:// to psycopg 3; accept the Heroku-style alias too.
    if url.startswith("postgres://"):
        return "postgresql://" + url[len("postgres://") :]
    return url
