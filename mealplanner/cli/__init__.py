"""The `mealplanner` command: serve, database, food data, exports, planning, shopping lists.

`main` loads the app (mealplanner.app.create_app), whose factory registers the commands of
cli/commands.py on `app.cli`, so `flask --app mealplanner.app` offers them too.
"""

from __future__ import annotations

import click
from flask.cli import FlaskGroup

from mealplanner.app import create_app
from mealplanner.cli.data import foods

__all__ = ["foods", "main"]


@click.group(cls=FlaskGroup, create_app=lambda: create_app(), add_default_commands=False)
def main() -> None:
    """mealplanner: weekly Mediterranean meal plans for gut health."""
