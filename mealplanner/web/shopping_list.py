"""The plan's shopping list: the printable page and its CSV and Markdown downloads."""

from __future__ import annotations

from flask import Response, abort, render_template, request

from mealplanner.formatting import money_cents, number
from mealplanner.plans.service import PlanNotFound, plan_shopping_list
from mealplanner.shopping.build import ShoppingListError, TripsOutOfRange
from mealplanner.shopping.export import sections, to_csv, to_markdown
from mealplanner.web.blueprint import bp
from mealplanner.web.plans import plan_not_found


def shopping_list_of(plan_id: str):
    """The list (in the plan's trips) and the plan document, or an error page."""
    try:
        return plan_shopping_list(plan_id, trips=request.args.get("trips", None, type=int))
    except PlanNotFound:
        plan_not_found(plan_id)
    except TripsOutOfRange as error:
        abort(400, str(error))
    except ShoppingListError as error:
        abort(409, str(error))


@bp.get("/plans/<plan_id>/shopping-list")
def shopping_list(plan_id: str):
    """The printable list: by aisle, with checkboxes, packages and prices."""
    shopping, document = shopping_list_of(plan_id)
    return render_template(
        "web/shopping_list.html", shopping=shopping, plan=document, sections=sections(shopping),
        money_cents=lambda cents: money_cents(cents, shopping.currency),
        grams=lambda value: number(value, 0),
    )


@bp.get("/plans/<plan_id>/shopping-list.<fmt>")
def shopping_list_download(plan_id: str, fmt: str):
    """The list as CSV (spreadsheets) or Markdown (notes apps), as a download."""
    if fmt not in ("csv", "md"):
        abort(404)
    shopping, _document = shopping_list_of(plan_id)
    text, mimetype = (to_csv(shopping), "text/csv") if fmt == "csv" else \
        (to_markdown(shopping), "text/markdown")
    suffix = f"-{len(shopping.trips)}-trips" if len(shopping.trips) > 1 else ""
    return Response(text, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="shopping-list-{plan_id}{suffix}.{fmt}"'
    })
