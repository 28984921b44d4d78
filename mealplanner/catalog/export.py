"""The JSON shapes of foods and recipes: the export contract other tools rely on."""

from __future__ import annotations

from typing import Any

from mealplanner.catalog.records import FoodRecord, Storage
from mealplanner.catalog.store import Catalog


def food_document(food: FoodRecord) -> dict[str, Any]:
    return {
        "id": food.id,
        "name": food.name,
        "ndb_no": food.ndb_no,
        "usda_description": food.usda_description,
        "nutrients_per_100g": food.nutrients.as_edge_units(),  # None: USDA has no value
        "added_sugars_source": food.added_sugars_source,
        "prebiotic_g_per_100g": food.prebiotic_mg_per_100g / 1000,
        "prebiotic_source": food.prebiotic_source,
        "fermented": food.fermented,
        "live_cultures": food.live_cultures,
        "fermented_serving_g": food.fermented_serving_g,
        "fermented_source": food.fermented_source,
        "allergens": list(food.allergens),
        "groups": list(food.groups),
        "package_g": food.package_g,
        "package": food.package,
        "package_edible_g": food.package_edible_g,
        "refuse_pct": food.refuse_pct,
        "refuse_pct_as_sold": food.refuse_pct_as_sold,
        "cooked_g_per_g_as_sold": food.cooked_g_per_g_as_sold,
        "package_price": food.package_price_cents / 100,
        "currency": "USD",
        "price_per_100g": round(food.price_per_100g_microusd / 1_000_000, 4),
        "price_year": food.price_year,
        "price_source": food.price_source,
        "price_is_proxy": food.price_is_proxy,
        "aisle": food.aisle,
        "staple": food.staple,
        "household_measures": [
            {"amount": m.amount, "description": m.description, "grams": m.grams}
            for m in food.measures
        ],
        "storage": storage_document(food.storage),
    }


def storage_document(storage: Storage | None) -> dict[str, Any] | None:
    if storage is None:
        return None
    return {
        "place": storage.place,
        "keeps_days": storage.keeps_days,
        "opened_days": storage.opened_days,
        "foodkeeper_id": storage.foodkeeper_id,
        "source": storage.source,
    }


def ingredient_documents(catalog: Catalog, recipe_id: str, portion: float = 1.0) -> list[dict]:
    """A recipe's ingredients for one person, scaled to a portion, with their USDA link."""
    return [
        {
            "food_id": line.food_id,
            "name": catalog.foods[line.food_id].name,
            "ndb_no": catalog.foods[line.food_id].ndb_no,
            "grams": line.grams if portion == 1.0 else round(line.grams * portion, 2),
            "heated": line.heated,
        }
        for line in catalog.recipes[recipe_id].ingredients
    ]


def recipe_document(catalog: Catalog, recipe_id: str) -> dict[str, Any]:
    recipe, facts = catalog.recipes[recipe_id], catalog.facts[recipe_id]
    return {
        "id": recipe.id,
        "name": recipe.name,
        "cuisine": recipe.cuisine,
        "meal_types": list(recipe.meal_types),
        "prep_minutes": recipe.prep_minutes,
        "cook_minutes": recipe.cook_minutes,
        "ingredients": ingredient_documents(catalog, recipe_id),
        "method": list(recipe.method),
        "nutrients_per_serving": facts.nutrients,
        # The totals that are lower bounds, and the ingredients without a value behind them.
        "nutrients_lower_bound": list(facts.lower_bound),
        "unknown_nutrient_foods": {name: list(ids) for name, ids in facts.unknown.items()},
        "prebiotic_g": facts.prebiotic_g,
        "prebiotic_most_g": facts.prebiotic_most_g,
        "fermented_servings": facts.fermented_servings,
        # the same figure under the name a dietitian reads: unheated live-culture foods only
        "live_culture_servings": facts.fermented_servings,
        "allergens": list(facts.allergens),
        "diets": list(facts.diets),
        "groups": list(facts.groups),
        "plant_foods": list(facts.plant_foods),
        "cost_per_serving": round(facts.cost_usd, 2),
        "currency": "USD",
    }


def export_foods(catalog: Catalog) -> list[dict[str, Any]]:
    return [food_document(catalog.foods[k]) for k in sorted(catalog.foods)]


def export_recipes(catalog: Catalog) -> list[dict[str, Any]]:
    return [recipe_document(catalog, k) for k in sorted(catalog.recipes)]
