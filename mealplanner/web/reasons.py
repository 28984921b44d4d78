"""Why a dish is good for the plan, from the facts derived from its ingredients."""

from __future__ import annotations

from dataclasses import dataclass

from mealplanner.catalog.store import Catalog
from mealplanner.formatting import count, grams, percent

HIGH_FIBER_G = 8.0
PREBIOTIC_G = 1.0
# Food groups the Mediterranean checklist counts: badge, and the sentence on the recipe page.
GROUP_REASONS = (
    (("fish", "shellfish"), "fish", "Fish or seafood: the Mediterranean pattern asks for 3 "
                                    "servings a week."),
    (("legume",), "legumes", "Legumes: 3 servings a week in the Mediterranean pattern, and "
                             "their fiber feeds gut bacteria."),
    (("nuts_seeds",), "nuts & seeds", "Nuts or seeds: 3 small handfuls a week in the "
                                      "Mediterranean pattern."),
    (("whole_grain",), "whole grain", "Whole grains: fiber the refined kind has lost."),
    (("olive_oil",), None, "Olive oil as the main fat, as the Mediterranean pattern asks."),
)


@dataclass(frozen=True)
class Reason:
    badge: str | None  # short word for the plan grid, or None
    text: str  # the sentence on the recipe page
    kind: str  # css hook: fiber, prebiotic, fermented, group


def recipe_reasons(catalog: Catalog, recipe_id: str, portion: float = 1.0,
                   fiber_target_g: float | None = None) -> list[Reason]:
    recipe, facts = catalog.recipes[recipe_id], catalog.facts[recipe_id]
    foods = [catalog.foods[line.food_id] for line in recipe.ingredients]
    reasons = []
    fiber = facts.nutrients.get("fiber_g", 0.0) * portion
    if fiber >= HIGH_FIBER_G:
        share = (f" ({percent(fiber / fiber_target_g)} of the day's target)"
                 if fiber_target_g else "")
        reasons.append(Reason("high fiber", f"High in fiber: {grams(fiber)}{share}.", "fiber"))
    live = [f.name for f, line in zip(foods, recipe.ingredients, strict=True)
            if f.live_cultures and not line.heated]
    cooked = [f.name for f, line in zip(foods, recipe.ingredients, strict=True)
              if f.fermented and f.name not in live]
    if facts.fermented_servings > 0:
        servings = facts.fermented_servings * portion
        reasons.append(Reason("live cultures", f"Live cultures from {', '.join(live)}, added "
                                               f"unheated: {count(servings, 'serving')}.",
                              "fermented"))
    if cooked:
        reasons.append(Reason(None, f"Fermented ingredients ({', '.join(cooked)}), without "
                                    "live cultures: cooked in the dish, or heat-treated "
                                    "when made.", "fermented"))
    prebiotic = facts.prebiotic_g * portion
    if prebiotic >= PREBIOTIC_G:
        top = sorted(((line.grams * catalog.foods[line.food_id].prebiotic_mg_per_100g,
                       catalog.foods[line.food_id].name) for line in recipe.ingredients),
                     reverse=True)
        names = ", ".join(name for amount, name in top[:3] if amount > 0)
        reasons.append(Reason("prebiotic", f"Prebiotic fiber (inulin, GOS): {grams(prebiotic)}, "
                                           f"mostly from {names}.", "prebiotic"))
    groups = set(facts.group_grams)
    for wanted, badge, text in GROUP_REASONS:
        if groups & set(wanted):
            reasons.append(Reason(badge, text, "group"))
    if len(facts.plant_foods) >= 5:
        reasons.append(Reason(None, f"{len(facts.plant_foods)} different plant foods toward "
                                    "the week's variety.", "group"))
    return reasons


def badges(catalog: Catalog, recipe_id: str, portion: float) -> list[str]:
    if recipe_id not in catalog.recipes:
        return []
    return [r.badge for r in recipe_reasons(catalog, recipe_id, portion) if r.badge]
