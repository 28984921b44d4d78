"""The Flask application factory."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from mealplanner import config, errors, jobs, ratelimit, request_limits, requestlog
from mealplanner.extensions import db, migrate
from mealplanner.plans import capacity

MIGRATIONS_DIR = str(Path(__file__).resolve().parent / "migrations")


def create_app(test_config: Mapping[str, Any] | None = None,
               instance_path: str | None = None) -> Flask:
    """Defaults from the environment, then the instance folder's config.py, then `test_config`;
    extensions, blueprints, error handlers and commands bound."""
    app = Flask(__name__, instance_relative_config=True, instance_path=instance_path)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(config.Config(app.instance_path).as_dict())
    app.config.from_pyfile(config.INSTANCE_CONFIG, silent=True)
    if test_config:
        app.config.from_mapping(test_config)
    config.finish(app.config)

    from mealplanner import models  # noqa: F401  (registers the tables)

    if hops := int(app.config.get("MEALPLANNER_TRUSTED_PROXIES") or 0):
        from werkzeug.middleware.proxy_fix import ProxyFix  # client address from X-Forwarded-*

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore
    requestlog.init_app(app)  # first: a request id and a JSON log line for every request
    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True)
    capacity.init_app(app)  # solves at once per process; past that 503 + Retry-After
    jobs.init_app(app)  # plans solved off the request thread (a pool here, or RQ workers)
    errors.init_app(app)  # JSON under /api, HTML pages elsewhere
    request_limits.init_app(app)  # long URLs 414, large bodies (chunked too) 413

    from mealplanner.api import init_app as init_api

    init_api(app)  # JSON API under /api, its docs, and /health and /ready

    from mealplanner.web import init_app as init_web

    init_web(app)  # web pages at /, CSRF outside /api, security headers
    ratelimit.init_app(app)  # per-client limits on the blueprints registered above

    from mealplanner.cli.commands import register_commands

    register_commands(app)
    return app
