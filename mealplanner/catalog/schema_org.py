"""A recipe as schema.org Recipe JSON-LD: the shape recipe managers (Mealie, Tandoor, Paprika)
and search engines import a dish from.

One builder for the recipe page's <script type="application/ld+json"> and
`GET /api/v1/recipes/{id}?format=jsonld`, so both always say the same. The document describes
one serving, as the recipe files do; they hold no description, so none is given. A nutrient
some ingredient has no USDA value for is left out: the total would be a lower bound, and a
reader cannot tell a lower bound from a value.
"""

from __future__ import annotations

from typing import Any

from mealplanner.catalog.measures import kitchen_measure
from mealplanner.catalog.store import Catalog
from mealplanner.formatting import plain

CONTEXT = "https://schema.org"
MEDIA_TYPE = "application/ld+json"

# NutritionInformation property -> (derived nutrient, unit, decimals).
NUTRITION = {
    "calories": ("energy_kcal", "kcal", 0),
    "proteinContent": ("protein_g", "g", 1),
    "fatContent": ("fat_g", "g", 1),
    "saturatedFatContent": ("saturated_fat_g", "g", 1),
    "carbohydrateContent": ("carbohydrate_g", "g", 1),
    "sugarContent": ("sugars_g", "g", 1),
    "fiberContent": ("fiber_g", "g", 1),
    "sodiumContent": ("sodium_mg", "mg", 0),
}

# The project's diets (constraints/diets.toml) that schema.org names as a RestrictedDiet.
# Pescatarian and strict vegetarian have no term of their own there.
RESTRICTED_DIETS = {
    "vegetarian": f"{CONTEXT}/VegetarianDiet",
    "vegan": f"{CONTEXT}/VeganDiet",
}


def iso_duration(minutes: int) -> str:
    """Minutes as an ISO 8601 duration: 90 -> "PT1H30M", 0 -> "PT0M"."""
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"PT{hours}H{rest}M"
    return f"PT{hours}H" if hours else f"PT{rest}M"


def _amount(value: float, unit: str, digits: int) -> str:
    """ "240 kcal", "8.5 g": plain digits (no separators) that importers parse."""
    return f"{plain(value, digits)} {unit}"


def nutrition(catalog: Catalog, recipe_id: str) -> dict[str, Any]:
    """One serving's NutritionInformation, without the nutrients whose value is unknown."""
    facts = catalog.facts[recipe_id]
    info: dict[str, Any] = {"@type": "NutritionInformation", "servingSize": "1 serving"}
    for prop, (name, unit, digits) in NUTRITION.items():
        value = facts.nutrients.get(name)
        if value is None or name in facts.unknown:
            continue
        info[prop] = _amount(value, unit, digits)
    return info


def ingredient_lines(catalog: Catalog, recipe_id: str) -> list[str]:
    """ "120 g Figs, fresh (2½ medium figs)": grams first, which importers parse best."""
    lines = []
    for line in catalog.recipes[recipe_id].ingredients:
        food = catalog.foods[line.food_id]
        measure = kitchen_measure(food, line.grams)
        text = f"{plain(line.grams, 1)} g {food.name}"
        lines.append(f"{text} ({measure})" if measure else text)
    return lines


def recipe_jsonld(catalog: Catalog, recipe_id: str, url: str) -> dict[str, Any]:
    """The schema.org Recipe of one recipe, served at `url` (its page)."""
    recipe, facts = catalog.recipes[recipe_id], catalog.facts[recipe_id]
    document: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "Recipe",
        "@id": url,
        "url": url,
        "identifier": recipe.id,
        "name": recipe.name,
        "recipeCuisine": recipe.cuisine,
        "recipeCategory": [meal.capitalize() for meal in recipe.meal_types],
        "prepTime": iso_duration(recipe.prep_minutes),
        "cookTime": iso_duration(recipe.cook_minutes),
        "totalTime": iso_duration(recipe.total_minutes),
        "recipeYield": "1 serving",
        "recipeIngredient": ingredient_lines(catalog, recipe_id),
        "recipeInstructions": [
            {"@type": "HowToStep", "position": number, "text": step}
            for number, step in enumerate(recipe.method, start=1)
        ],
        "nutrition": nutrition(catalog, recipe_id),
    }
    diets = [RESTRICTED_DIETS[diet] for diet in facts.diets if diet in RESTRICTED_DIETS]
    if diets:
        document["suitableForDiet"] = diets
    return document
