"""Everything about a dish that follows from its ingredients, computed here and nowhere else.

Nutrients, allergens, diet fit, food-group grams, plant foods, prebiotic grams, live-culture
servings and cost per serving are all sums over ingredient grams times per-100 g food data.

A nutrient an ingredient has no USDA value for adds nothing to the sum, and the recipe says
so: `unknown` names, per nutrient, the foods without a value, and such a total is a lower
bound ("at least"). That is the right reading for a minimum (fiber is never overstated); for
a cap (sodium, saturated fat) the sum holds for the known part only, which `unknown` shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from mealplanner.catalog.records import (
    MG_PER_G,
    NUTRIENT_NAMES,
    FoodRecord,
    IngredientLine,
    RecipeRecord,
)
from mealplanner.rules import Rules


@dataclass(frozen=True)
class RecipeFacts:
    """Derived facts for one serving (one person) of a recipe."""

    recipe_id: str
    nutrients: dict[str, float]  # export names: energy_kcal, protein_g, ... added_sugars_g
    prebiotic_g: float  # as eaten: cooking's loss counted (the minimum rule)
    prebiotic_most_g: float  # no loss to cooking counted (the tolerance)
    fermented_servings: float
    allergens: tuple[str, ...]
    diets: tuple[str, ...]
    group_grams: dict[str, int]
    plant_foods: tuple[str, ...]
    cost_usd: float
    # nutrient -> the ingredients (food ids) USDA has no value of it for; its total is then
    # a lower bound. Nutrients every ingredient has a value for are absent.
    unknown: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def groups(self) -> tuple[str, ...]:
        return tuple(sorted(self.group_grams))

    @property
    def lower_bound(self) -> tuple[str, ...]:
        """The nutrients whose total is at least the figure given (some value unknown)."""
        return tuple(name for name in NUTRIENT_NAMES if name in self.unknown)


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
    and cost of one line; `retention` is the rules' prebiotic_cooked_retention. A nutrient the
    food has no value for counts 0 here (`food.nutrients.unknown()`)."""
    per_100 = food.nutrients.as_edge_units()
    scale = line.grams / 100
    amounts = {name: (value or 0.0) * scale for name, value in per_100.items()}
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
    unknown: dict[str, set[str]] = {}
    for line in recipe.ingredients:
        food = foods[line.food_id]
        for name, value in line_amounts(line, food,
                                        rules.gut.prebiotic_cooked_retention).items():
            totals[name] = totals.get(name, 0.0) + value
        for name in food.nutrients.unknown() if line.grams else ():
            unknown.setdefault(name, set()).add(food.id)
        for group in food.groups:
            group_grams[group] = group_grams.get(group, 0) + line.grams
        allergens.update(food.allergens)
        if rules.plant_groups & set(food.groups):
            plants.add(food.id)
    ordered_allergens = tuple(a for a in rules.allergens if a in allergens)
    return RecipeFacts(
        recipe_id=recipe.id,
        nutrients={n: round(totals.get(n, 0.0), 3) for n in NUTRIENT_NAMES},
        prebiotic_g=round(totals["prebiotic_g"], 3),
        prebiotic_most_g=round(totals["prebiotic_most_g"], 3),
        fermented_servings=round(totals["fermented_servings"], 3),
        allergens=ordered_allergens,
        diets=tuple(rules.diets_for_groups(set(group_grams))),
        group_grams=group_grams,
        plant_foods=tuple(sorted(plants)),
        cost_usd=round(totals["cost_usd"], 4),
        unknown={n: tuple(sorted(unknown[n])) for n in NUTRIENT_NAMES if n in unknown},
    )
