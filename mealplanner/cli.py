"""The `mealplanner` command: serve, database, food data, exports and planning."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from flask_migrate import upgrade as migrate_upgrade
from flask_migrate.cli import db as db_group

from mealplanner.catalog.files import CatalogError
from mealplanner.paths import foods_dir
from mealplanner.shopping_cli import shopping_list_command


def _create_app() -> Flask:
    from mealplanner.app import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=False)
def main() -> None:
    """mealplanner: weekly Mediterranean meal plans for gut health."""


def register_commands(app: Flask) -> None:
    """Commands that belong to every app instance (also reachable through `flask`)."""
    for command in (serve, foods, export, plan_command, shopping_list_command):
        app.cli.add_command(command)


def _extra_folder() -> Path | None:
    folder = current_app.config.get("MEALPLANNER_EXTRA_FOODS_DIR")
    return Path(folder) if folder else None


def seed_catalog() -> tuple[int, int]:
    """Load foods/ (and the user's extra folder) into the database; returns (foods, recipes)."""
    from mealplanner.catalog.store import load_catalog, seed_database
    from mealplanner.extensions import db
    from mealplanner.services import forget_catalog

    catalog = load_catalog(_extra_folder())
    seed_database(db.session, catalog)
    forget_catalog()
    return len(catalog.foods), len(catalog.recipes)


def ensure_database() -> None:
    """Bring the schema up to date and seed the food database when it is empty."""
    import sqlalchemy as sa

    from mealplanner.extensions import db
    from mealplanner.models import Food

    migrate_upgrade()
    if db.session.scalar(sa.select(sa.func.count()).select_from(Food)) == 0:
        seed_catalog()


@db_group.command("seed")
@with_appcontext
def seed() -> None:
    """Load the food and recipe database into the configured database."""
    try:
        food_count, recipe_count = seed_catalog()
    except CatalogError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Seeded {food_count} foods and {recipe_count} recipes.")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--production", is_flag=True,
              help="Run gunicorn instead of the development server (MEALPLANNER_ENV="
                   "production; needs MEALPLANNER_SECRET_KEY, else exit 2).")
@click.option("--workers", type=click.IntRange(1), default=None,
              help="With --production: processes (default: cores, at least 2).")
@click.option("--threads", type=click.IntRange(1), default=None,
              help="With --production: threads per process (default 4).")
@with_appcontext
def serve(host: str, port: int, production: bool, workers: int | None,
          threads: int | None) -> None:
    """Run the server; creates and seeds the database on first start."""
    if production:
        from mealplanner.server import serve_production

        sys.exit(serve_production(host, port, workers, threads))
    ensure_database()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    # Flask ignores app.run() inside its own CLI, so start werkzeug's server directly.
    from werkzeug.serving import run_simple

    click.echo(f"mealplanner on http://{host}:{port}/ (development server; Ctrl+C stops)")
    run_simple(host, port, app, use_reloader=False, use_debugger=False, threaded=True)


@click.group()
def foods() -> None:
    """Maintain the food database files in foods/."""


@foods.command("refresh")
@click.option("--usda", "usda_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="USDA SR28 ASCII folder: rewrite foods/usda/ (nutrients, measures).")
@click.option("--prices", "prices_dir",
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="USDA ERS / BLS price folder: rewrite foods/prices.csv.")
@click.option("--folder", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=None, help="Foods folder to refresh (default: the packaged foods/).")
def refresh(usda_dir: Path | None, prices_dir: Path | None, folder: Path | None) -> None:
    """Fill nutrients and prices from USDA's own files into the committed data files."""
    from mealplanner.catalog.prices import refresh_prices
    from mealplanner.catalog.usda import refresh_usda

    folder = folder or foods_dir()
    if not usda_dir and not prices_dir:
        raise click.UsageError("give --usda DIR, --prices DIR or both")
    try:
        if usda_dir:
            count, measures = refresh_usda(folder, usda_dir)
            click.echo(f"USDA SR28: wrote nutrients for {count} foods and {measures} measures.")
        if prices_dir:
            click.echo(f"Prices: wrote {refresh_prices(folder, prices_dir)} food prices.")
    except CatalogError as error:
        raise click.ClickException(str(error)) from None


@click.group()
def export() -> None:
    """Print the food or recipe database as a JSON array."""


@export.command("foods")
@with_appcontext
def export_foods_command() -> None:
    """Every food with its USDA nutrients, tags, package and price."""
    from mealplanner.catalog.export import export_foods
    from mealplanner.services import current_catalog

    ensure_database()
    _print_json(export_foods(current_catalog()))


@export.command("recipes")
@with_appcontext
def export_recipes_command() -> None:
    """Every recipe with its ingredients and derived nutrients, allergens and diets."""
    from mealplanner.catalog.export import export_recipes
    from mealplanner.services import current_catalog

    ensure_database()
    _print_json(export_recipes(current_catalog()))


@click.command("plan")
@click.option("--request", "request_file", type=click.File("r"), required=True,
              help="Plan request as JSON; '-' reads standard input.")
@with_appcontext
def plan_command(request_file) -> None:
    """Build and store a plan, print it as JSON; infeasible: the explanation, exit 2;
    invalid request: the field errors, exit 1."""
    from mealplanner.services import create_plan_from_json

    try:
        payload = json.load(request_file)
    except json.JSONDecodeError as error:
        raise click.ClickException(f"request is not valid JSON: {error}") from None
    ensure_database()
    status, document = create_plan_from_json(payload)
    _print_json(document)
    if status == "invalid":
        sys.exit(1)
    if status != "ok":
        sys.exit(2)


def _print_json(document) -> None:
    click.echo(json.dumps(document, indent=2, ensure_ascii=False))
