"""The pages' blueprint, shared by the view modules (browse, fridge, plans, recipes,
shopping_list, swaps)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint(
    "web", "mealplanner.web", template_folder="templates", static_folder="static",
    static_url_path="/assets",
)
# The shopping list's templates (mealplanner/shopping/templates): the web page and the
# printable export share their markup.
shopping_templates = Blueprint("shopping", "mealplanner.shopping", template_folder="templates")
