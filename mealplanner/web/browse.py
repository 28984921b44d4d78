"""Browse what the database holds: foods and recipes, searched and filtered, page by page.

The filters are catalog/filters.py's, as in the JSON API; the form's `flag` select picks one
of them (fermented, live_cultures, prebiotic, fiber; for recipes also fish and legumes).
"""

from __future__ import annotations

from flask import render_template, request

from mealplanner.catalog.filters import FoodFilter, RecipeFilter, find_foods, find_recipes
from mealplanner.paging import Page, page_of
from mealplanner.plans.catalog import current_catalog
from mealplanner.rules import MEALS
from mealplanner.web.blueprint import bp

PER_PAGE = 25
FOOD_FLAGS = {"fermented": "fermented", "live_cultures": "live_cultures",
              "prebiotic": "prebiotic", "fiber": "high_fiber"}
RECIPE_FLAGS = {"fermented": "fermented", "prebiotic": "prebiotic", "fiber": "high_fiber",
                "fish": "fish", "legumes": "legumes"}


def paginate(items: list) -> Page:
    return page_of(items, request.args.get("page", 1, type=int), PER_PAGE)


def _flag(args, flags: dict[str, str]) -> dict[str, bool]:
    """The `flag` select as the filter it turns on (an unknown value: none)."""
    name = flags.get(args.get("flag", ""))
    return {name: True} if name else {}


def food_filter(args) -> FoodFilter:
    """The browse form's fields as the filters the API uses too."""
    free_of = args.get("free_of", "")
    return FoodFilter(q=args.get("q", "").strip() or None, aisle=args.get("aisle") or None,
                      group=args.get("group") or None,
                      allergen_free=frozenset([free_of] if free_of else []),
                      **_flag(args, FOOD_FLAGS))


def recipe_filter(args) -> RecipeFilter:
    """The browse form's fields as the filters the API uses too."""
    free_of = args.get("free_of", "")
    return RecipeFilter(q=args.get("q", "").strip() or None, meal_type=args.get("meal") or None,
                        diet=args.get("diet") or None, cuisine=args.get("cuisine") or None,
                        allergen_free=frozenset([free_of] if free_of else []),
                        max_prep_minutes=args.get("max_minutes", type=int) or None,
                        **_flag(args, RECIPE_FLAGS))


@bp.get("/foods")
def foods():
    """Every food with its nutrients per 100 g, price and allergens."""
    catalog = current_catalog()
    page = paginate(find_foods(catalog, food_filter(request.args)))
    aisles = list(dict.fromkeys(catalog.rules.aisles))
    return render_template("web/foods.html", page=page, args=request.args, rules=catalog.rules,
                           aisles=aisles)


@bp.get("/recipes")
def recipes():
    """Every dish with its time, nutrients per serving and cost."""
    catalog = current_catalog()
    page = paginate(find_recipes(catalog, recipe_filter(request.args)))
    cuisines = sorted({r.cuisine for r in catalog.recipes.values()})
    return render_template("web/recipes.html", page=page, args=request.args, rules=catalog.rules,
                           facts=catalog.facts, cuisines=cuisines, meals=MEALS,
                           diets=list(catalog.rules.diets))
