"""`mealplanner db seed`, `mealplanner foods refresh` and `mealplanner export foods|recipes`."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_migrate.cli import db as db_group

from mealplanner.catalog.files import CatalogError
from mealplanner.database import ensure_database, seed_catalog
from mealplanner.paths import foods_dir


@db_group.command("seed")
@with_appcontext
def seed() -> None:
    """Load the food and recipe database into the configured database."""
    try:
        food_count, recipe_count = seed_catalog()
    except CatalogError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Seeded {food_count} foods and {recipe_count} recipes.")


@click.group()
def foods() -> None:
    """Maintain the food database files in foods/."""


@foods.command("refresh")
@click.option("--usda", "usda_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="USDA SR28 ASCII folder: rewrite foods/usda/ (nutrients, measures).")
@click.option("--fped", "fped_csv", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="With --usda: USDA FPED 2017-2018 (FPED_1718.csv) for added sugars; "
                   "without it only foods with 0 g total sugars get a figure.")
@click.option("--prices", "prices_dir",
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="USDA ERS / BLS price folder: rewrite foods/prices.csv.")
@click.option("--foodkeeper", "foodkeeper_dir",
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="USDA FSIS FoodKeeper folder (foodkeeper.json): rewrite "
                   "foods/storage_days.csv.")
@click.option("--folder", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=None, help="Foods folder to refresh (default: the packaged foods/).")
def refresh(usda_dir: Path | None, fped_csv: Path | None, prices_dir: Path | None,
            foodkeeper_dir: Path | None, folder: Path | None) -> None:
    """Fill nutrients, prices and storage times from USDA's own files into the data files."""
    from mealplanner.catalog.prices import proxy_share, refresh_prices
    from mealplanner.catalog.storage import refresh_storage
    from mealplanner.catalog.usda import refresh_usda

    folder = folder or foods_dir()
    if not usda_dir and not prices_dir and not foodkeeper_dir:
        raise click.UsageError("give one or more of --usda DIR, --prices DIR, --foodkeeper DIR")
    if fped_csv and not usda_dir:
        raise click.UsageError("--fped FILE goes with --usda DIR")
    try:
        if usda_dir:
            count, measures = refresh_usda(folder, usda_dir, fped_csv)
            click.echo(f"USDA SR28: wrote nutrients for {count} foods and {measures} measures.")
            if not fped_csv:
                click.echo("No --fped FILE: added sugars only for foods with 0 g total sugars.")
        if prices_dir:
            count = refresh_prices(folder, prices_dir)
            proxied, total = proxy_share(folder)
            click.echo(f"Prices: wrote {count} food prices; {proxied} of {total} "
                       f"({100 * proxied / total:.1f} %) are proxies (another food's price).")
        if foodkeeper_dir:
            linked, alternatives = refresh_storage(folder, foodkeeper_dir)
            click.echo(f"FoodKeeper: wrote storage times for {linked} linked foods and "
                       f"{alternatives} from storage_alternatives.csv.")
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
    from mealplanner.plans.catalog import current_catalog

    ensure_database()
    print_json(export_foods(current_catalog()))


@export.command("recipes")
@with_appcontext
def export_recipes_command() -> None:
    """Every recipe with its ingredients and derived nutrients, allergens and diets."""
    from mealplanner.catalog.export import export_recipes
    from mealplanner.plans.catalog import current_catalog

    ensure_database()
    print_json(export_recipes(current_catalog()))


def print_json(document) -> None:
    click.echo(json.dumps(document, indent=2, ensure_ascii=False))
