"""The commands every app instance carries (registered on `app.cli` by create_app)."""

from __future__ import annotations

from flask import Flask

from mealplanner.cli import data
from mealplanner.cli.plans import plan_command, shopping_list_command
from mealplanner.cli.serve import serve
from mealplanner.cli.worker import worker


def register_commands(app: Flask) -> None:
    """Add the commands to the app; `db seed` joined Flask-Migrate's `db` group on import."""
    for command in (serve, worker, data.foods, data.export, plan_command, shopping_list_command):
        app.cli.add_command(command)
