"""`mealplanner plan --request FILE` and `mealplanner shopping-list PLAN_ID`."""

from __future__ import annotations

import json
import sys

import click
from flask.cli import with_appcontext

from mealplanner.cli.data import print_json
from mealplanner.database import ensure_database

SHOPPING_FORMATS = ("csv", "md", "json", "html")


@click.command("plan")
@click.option("--request", "request_file", type=click.File("r"), required=True,
              help="Plan request as JSON; '-' reads standard input.")
@click.option("--continue-from", "continue_from", metavar="PLAN_ID", default=None,
              help="Plan the week after this plan: its leftovers that keep become the pantry.")
@click.option("--owner-token", default=None, help="The earlier plan's owner token.")
@click.option("--start-date", metavar="YYYY-MM-DD", default=None,
              help="The plan's first day (the request's start_date); default: the next Monday "
                   "on or after tomorrow, or the day after the plan it continues.")
@with_appcontext
def plan_command(request_file, continue_from, owner_token, start_date) -> None:
    """Build and store a plan, print it as JSON; infeasible: the explanation, exit 2;
    invalid request (or an unknown earlier plan, or the wrong owner token): the field errors,
    exit 1."""
    from mealplanner.plans.service import create_plan_from_json

    try:
        payload = json.load(request_file)
    except json.JSONDecodeError as error:
        raise click.ClickException(f"request is not valid JSON: {error}") from None
    if (continue_from is not None or start_date is not None) and not isinstance(payload, dict):
        raise click.ClickException("request must be a JSON object")
    if start_date is not None:  # checked with the request: a bad date names start_date
        payload["start_date"] = start_date
    if continue_from is not None:
        payload["continue_from"] = {"plan_id": continue_from, "owner_token": owner_token or ""}
    ensure_database()
    status, document = create_plan_from_json(payload)
    print_json(document)
    if status in ("invalid", "not_found", "forbidden"):
        sys.exit(1)
    if status != "ok":
        sys.exit(2)


@click.command("shopping-list")
@click.argument("plan_id")
@click.option("--format", "fmt", type=click.Choice(SHOPPING_FORMATS), default="md",
              show_default=True,
              help="csv (spreadsheet), md (checklist), json or html (printable page).")
@click.option("--trips", type=click.IntRange(min=1), default=None,
              help="The plan's number of shopping trips (how long its foods keep sets it); "
                   "another number is refused.")
@with_appcontext
def shopping_list_command(plan_id: str, fmt: str, trips: int) -> None:
    """Print what to buy for a stored plan, in whole packages, grouped by aisle."""
    from mealplanner.plans.service import PlanNotFound, plan_shopping_list
    from mealplanner.shopping.build import ShoppingListError, TripsOutOfRange
    from mealplanner.shopping.export import to_csv, to_html, to_json, to_markdown

    ensure_database()
    try:
        shopping, _document = plan_shopping_list(plan_id, trips=trips)
    except PlanNotFound:
        raise click.ClickException(f"no plan with id {plan_id!r}") from None
    except TripsOutOfRange as error:
        raise click.BadParameter(str(error), param_hint="'--trips'") from None
    except ShoppingListError as error:
        raise click.ClickException(str(error)) from None
    if fmt == "json":
        print_json(to_json(shopping))
    else:
        text = {"csv": to_csv, "md": to_markdown, "html": to_html}[fmt](shopping)
        click.echo(text, nl=False)
