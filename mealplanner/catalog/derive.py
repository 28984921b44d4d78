"""Everything about a dish that follows from its ingredients, computed here and nowhere else.

Nutrients, allergens, diet fit, food-group grams, plant foods, prebiotic grams, live-culture
servings and cost per serving are all sums over ingredient grams times per-100 g food data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mealplanner.catalog.records import (
    MG_PER_G,
    NUTRIENT_FIELDS,
    FoodRecord,
    IngredientLine,
    RecipeRecord,
)
from mealplanner.rules import Rules


@dataclass(frozen=True)
class RecipeFacts:
    """Derived facts for one serving (one person) of a recipe."""

    recipe_id: str
    nutrients: dict[str, float]  # export names: energy_kcal, protein_g, ... sodium_mg
    prebiotic_g: float  # as eaten: cooking's loss counted (the minimum rule)
    prebiotic_most_g: float  # no loss to cooking counted (the tolerance)
    fermented_servings: float
    allergens: tuple[str, ...]
    diets: tuple[str, ...]
    group_grams: dict[str, int]
    plant_foods: tuple[str, ...]
    cost_usd: float

    @property
    def groups(self) -> tuple[str, ...]:
        return tuple(sorted(self.group_grams))


def live_culture_servings(food: FoodRecord, grams: float, heated: bool) -> float:
    """Servings of live cultures: a food that keeps them (fermented.csv) and is not heated in
    the dish; cooking kills them (ISAPP 2021)."""
    if heated or not food.live_cultures or not food.fermented_serving_g:
        return 0.0
    return grams / food.fermented_serving_g


def prebiotic_grams(food: FoodRecord, grams: float, heated: bool,
                    retention: float) -> tuple[float, float]:
    """(as eaten, at most): a raw food's fructans in a dish that cooks it count `retention` of
    their raw figure toward the minimum (they leach into cooking water), and all of it toward
    the tolerance, so neither rule is met on a figure that may overstate."""
    most = food.prebiotic_mg_per_100g / MG_PER_G * grams / 100
    kept = retention if heated and food.prebiotic_measured_raw else 1.0
    return most * kept, most


def line_amounts(line: IngredientLine, food: FoodRecord,
                 retention: float) -> dict[str, float]:
    """Nutrients (edge units), prebiotic grams (as eaten, and at most), live-culture servings
    and cost of one line; `retention` is the rules' prebiotic_cooked_retention."""
    per_100 = food.nutrients.as_edge_units()
    scale = line.grams / 100
    amounts = {name: value * scale for name, value in per_100.items()}
    amounts["prebiotic_g"], amounts["prebiotic_most_g"] = prebiotic_grams(
        food, line.grams, line.heated, retention)
    amounts["fermented_servings"] = live_culture_servings(food, line.grams, line.heated)
    amounts["cost_usd"] = food.price_per_100g_microusd / 1_000_000 * scale
    return amounts


def derive_recipe(
    recipe: RecipeRecord, foods: Mapping[str, FoodRecord], rules: Rules
) -> RecipeFacts:
    totals: dict[str, float] = {}
    group_grams: dict[str, int] = {}
    allergens: set[str] = set()
    plants: set[str] = set()
    for line in recipe.ingredients:
        food = foods[line.food_id]
        for name, value in line_amounts(line, food,
                                        rules.gut.prebiotic_cooked_retention).items():
            totals[name] = totals.get(name, 0.0) + value
        for group in food.groups:
            group_grams[group] = group_grams.get(group, 0) + line.grams
        allergens.update(food.allergens)
        if rules.plant_groups & set(food.groups):
            plants.add(food.id)
    ordered_allergens = tuple(a for a in rules.allergens if a in allergens)
    nutrient_names = [n for n in _edge_names() if n in totals]
    return RecipeFacts(
        recipe_id=recipe.id,
        nutrients={n: round(totals[n], 3) for n in nutrient_names},
        prebiotic_g=round(totals["prebiotic_g"], 3),
        prebiotic_most_g=round(totals["prebiotic_most_g"], 3),
        fermented_servings=round(totals["fermented_servings"], 3),
        allergens=ordered_allergens,
        diets=tuple(rules.diets_for_groups(set(group_grams))),
        group_grams=group_grams,
        plant_foods=tuple(sorted(plants)),
        cost_usd=round(totals["cost_usd"], 4),
    )


def _edge_names() -> tuple[str, ...]:
    return tuple(
        name.removesuffix("_mg") + "_g" if name.endswith("_mg") and name != "sodium_mg" else name
        for name in NUTRIENT_FIELDS
    )
