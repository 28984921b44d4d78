"""`mealplanner shopping-list PLAN_ID`: print a stored plan's shopping list."""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext

FORMATS = ("csv", "md", "json", "html")


@click.command("shopping-list")
@click.argument("plan_id")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="md", show_default=True,
              help="csv (spreadsheet), md (checklist), json or html (printable page).")
@click.option("--trips", type=click.IntRange(min=1), default=1, show_default=True,
              help="Split the plan's days into this many shopping trips.")
@with_appcontext
def shopping_list_command(plan_id: str, fmt: str, trips: int) -> None:
    """Print what to buy for a stored plan, in whole packages, grouped by aisle."""
    from mealplanner.cli import ensure_database
    from mealplanner.services import PlanNotFound, current_catalog, load_plan
    from mealplanner.shopping import ShoppingListError, build_shopping_list
    from mealplanner.shopping_export import to_csv, to_html, to_json, to_markdown

    ensure_database()
    try:
        request, document = load_plan(plan_id)
    except PlanNotFound:
        raise click.ClickException(f"no plan with id {plan_id!r}") from None
    if trips > len(document.get("days", [])):
        raise click.BadParameter(
            f"the plan has {len(document.get('days', []))} days; use at most that many trips",
            param_hint="'--trips'",
        )
    try:
        shopping = build_shopping_list(request, document, current_catalog(), trips=trips)
    except ShoppingListError as error:
        raise click.ClickException(str(error)) from None
    if fmt == "json":
        click.echo(json.dumps(to_json(shopping), indent=2, ensure_ascii=False))
    else:
        text = {"csv": to_csv, "md": to_markdown, "html": to_html}[fmt](shopping)
        click.echo(text, nl=False)
