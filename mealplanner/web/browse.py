"""Browse what the database holds: foods and recipes, searched and filtered, page by page."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from flask import render_template, request

from mealplanner.catalog.search import matches_name
from mealplanner.catalog.store import Catalog
from mealplanner.planner.request import DIETS
from mealplanner.rules import MEALS
from mealplanner.services import current_catalog
from mealplanner.web import bp

PER_PAGE = 25


@dataclass(frozen=True)
class Page:
    items: list[Any]
    number: int
    pages: int
    total: int

    @property
    def first(self) -> int:
        return (self.number - 1) * PER_PAGE + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.total, self.number * PER_PAGE)


def paginate(items: list[Any]) -> Page:
    pages = max(1, math.ceil(len(items) / PER_PAGE))
    number = min(max(1, request.args.get("page", 1, type=int)), pages)
    start = (number - 1) * PER_PAGE
    return Page(items[start:start + PER_PAGE], number, pages, len(items))


def filter_foods(catalog: Catalog, args) -> list:
    q, aisle, group = args.get("q", "").strip(), args.get("aisle", ""), args.get("group", "")
    free_of, flag = args.get("free_of", ""), args.get("flag", "")
    found = []
    for food in sorted(catalog.foods.values(), key=lambda f: f.name.casefold()):
        if q and not matches_name(q, food.name, food.id, food.usda_description):
            continue
        if (aisle and food.aisle != aisle) or (group and group not in food.groups):
            continue
        if free_of and free_of in food.allergens:
            continue
        if flag == "fermented" and not food.live_cultures:
            continue
        if flag == "prebiotic" and food.prebiotic_mg_per_100g <= 0:
            continue
        if flag == "fiber" and food.nutrients.fiber_mg < 6000:
            continue
        found.append(food)
    return found


@bp.get("/foods")
def foods():
    """Every food with its nutrients per 100 g, price and allergens."""
    catalog = current_catalog()
    page = paginate(filter_foods(catalog, request.args))
    aisles = list(dict.fromkeys(catalog.rules.aisles))
    return render_template("web/foods.html", page=page, args=request.args, rules=catalog.rules,
                           aisles=aisles)


def filter_recipes(catalog: Catalog, args) -> list:
    q, meal, diet = args.get("q", "").strip(), args.get("meal", ""), args.get("diet", "")
    cuisine, free_of, flag = args.get("cuisine", ""), args.get("free_of", ""), args.get("flag", "")
    max_minutes = args.get("max_minutes", type=int)
    found = []
    for recipe in sorted(catalog.recipes.values(), key=lambda r: r.name.casefold()):
        facts = catalog.facts[recipe.id]
        names = [catalog.foods[line.food_id].name for line in recipe.ingredients]
        if q and not matches_name(q, recipe.name, recipe.id, recipe.cuisine, *names):
            continue
        if (meal and meal not in recipe.meal_types) or (diet and diet not in facts.diets):
            continue
        if (cuisine and recipe.cuisine != cuisine) or (free_of and free_of in facts.allergens):
            continue
        if max_minutes and recipe.total_minutes > max_minutes:
            continue
        if flag == "fermented" and facts.fermented_servings <= 0:
            continue
        if flag == "prebiotic" and facts.prebiotic_g < 1:
            continue
        if flag == "fiber" and facts.nutrients.get("fiber_g", 0) < 8:
            continue
        if flag == "fish" and not {"fish", "shellfish"} & set(facts.group_grams):
            continue
        if flag == "legumes" and "legume" not in facts.group_grams:
            continue
        found.append(recipe)
    return found


@bp.get("/recipes")
def recipes():
    """Every dish with its time, nutrients per serving and cost."""
    catalog = current_catalog()
    page = paginate(filter_recipes(catalog, request.args))
    cuisines = sorted({r.cuisine for r in catalog.recipes.values()})
    return render_template("web/recipes.html", page=page, args=request.args, rules=catalog.rules,
                           facts=catalog.facts, cuisines=cuisines, meals=MEALS, diets=DIETS)
