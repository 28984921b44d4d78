"""The Flask application factory."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, jsonify

from mealplanner.config import Config
from mealplanner.extensions import db, migrate

MIGRATIONS_DIR = str(Path(__file__).resolve().parent / "migrations")


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Defaults from the environment, then the test config; extensions and blueprints bound."""
    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(Config(app.instance_path).as_dict())
    if test_config:
        app.config.from_mapping(test_config)

    from mealplanner import models  # noqa: F401  (registers the tables)

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True)

    @app.get("/health")
    def health():
        """Liveness: the process answers."""
        return jsonify(status="ok")

    from mealplanner.cli import register_commands

    register_commands(app)
    return app
