"""Which foods and recipes a search keeps: one definition for the JSON API and the browse pages.

Both front ends turn their query parameters into FoodFilter / RecipeFilter and call
`find_foods` / `find_recipes`, so the same question gets the same answer on both. The words:

- `q`: every word appears (case-insensitive) in a food's name, id or USDA description; in a
  recipe's name, id, cuisine or ingredient names.
- `fermented`: the food is made by fermentation (the `fermented` field of a food document,
  true for pasteurised sauerkraut or parmesan too); `live_cultures`: it still holds live
  microbes, the foods that count toward the fermented-servings target. A recipe is
  `fermented` when it gives fermented servings, i.e. holds live-culture foods.
- `prebiotic`: a food with prebiotic fibre (inulin, FOS, GOS); a recipe with at least 1 g.
- `high_fiber`: 6 g fibre or more per 100 g of a food; 8 g or more in a recipe serving
  (counted from the known values: a food without a USDA fiber value is not high in fiber).
- `cuisine`: compared without regard to case or surrounding spaces.
- `allergen_free`: none of these allergens.
- True/False filters keep foods that have / lack the property; None does not filter.
Results are sorted by name (case-folded), then id.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from mealplanner.catalog.records import FoodRecord, RecipeRecord
from mealplanner.catalog.search import matches_name
from mealplanner.catalog.store import Catalog

HIGH_FIBER_FOOD_MG = 6000  # per 100 g
HIGH_FIBER_RECIPE_G = 8  # per serving
PREBIOTIC_RECIPE_G = 1  # per serving


@dataclass(frozen=True)
class FoodFilter:
    q: str | None = None
    group: str | None = None
    aisle: str | None = None
    allergen_free: frozenset[str] = frozenset()
    fermented: bool | None = None
    live_cultures: bool | None = None
    prebiotic: bool | None = None
    high_fiber: bool | None = None


@dataclass(frozen=True)
class RecipeFilter:
    q: str | None = None
    meal_type: str | None = None
    diet: str | None = None
    cuisine: str | None = None
    allergen_free: frozenset[str] = frozenset()
    max_prep_minutes: int | None = None
    fermented: bool | None = None
    prebiotic: bool | None = None
    high_fiber: bool | None = None
    fish: bool | None = None
    legumes: bool | None = None


def _wanted(flag: bool | None, value: bool) -> bool:
    return flag is None or flag == value


def keep_food(food: FoodRecord, f: FoodFilter) -> bool:
    """True when the food passes every filter that is set."""
    return (matches_name(f.q, food.name, food.id, food.usda_description)
            and (not f.group or f.group in food.groups)
            and (not f.aisle or food.aisle == f.aisle)
            and not f.allergen_free & set(food.allergens)
            and _wanted(f.fermented, food.fermented)
            and _wanted(f.live_cultures, food.live_cultures)
            and _wanted(f.prebiotic, food.prebiotic_mg_per_100g > 0)
            and _wanted(f.high_fiber, (food.nutrients.fiber_mg or 0) >= HIGH_FIBER_FOOD_MG))


def keep_recipe(catalog: Catalog, recipe: RecipeRecord, f: RecipeFilter) -> bool:
    """True when the recipe passes every filter that is set."""
    facts = catalog.facts[recipe.id]
    names = [catalog.foods[line.food_id].name for line in recipe.ingredients]
    groups = set(facts.group_grams)
    return (matches_name(f.q, recipe.name, recipe.id, recipe.cuisine, *names)
            and (not f.meal_type or f.meal_type in recipe.meal_types)
            and (not f.diet or f.diet in facts.diets)
            and (not f.cuisine or same_cuisine(recipe.cuisine, f.cuisine))
            and not f.allergen_free & set(facts.allergens)
            and (not f.max_prep_minutes or recipe.total_minutes <= f.max_prep_minutes)
            and _wanted(f.fermented, facts.fermented_servings > 0)
            and _wanted(f.prebiotic, facts.prebiotic_g >= PREBIOTIC_RECIPE_G)
            and _wanted(f.high_fiber, facts.nutrients.get("fiber_g", 0) >= HIGH_FIBER_RECIPE_G)
            and _wanted(f.fish, bool({"fish", "shellfish"} & groups))
            and _wanted(f.legumes, "legume" in groups))


def same_cuisine(cuisine: str, asked: str) -> bool:
    return cuisine.strip().casefold() == asked.strip().casefold()


def find_foods(catalog: Catalog, f: FoodFilter) -> list[FoodRecord]:
    """The foods that pass, sorted by name."""
    return _by_name(food for food in catalog.foods.values() if keep_food(food, f))


def find_recipes(catalog: Catalog, f: RecipeFilter) -> list[RecipeRecord]:
    """The recipes that pass, sorted by name."""
    return _by_name(r for r in catalog.recipes.values() if keep_recipe(catalog, r, f))


def _by_name(records: Iterable) -> list:
    return sorted(records, key=lambda record: (record.name.casefold(), record.id))
