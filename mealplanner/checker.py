"""Verify a plan independently of the model: recompute every total from ingredient grams and
the food data, and check every hard rule. Tests run it on every plan they make.

Nothing here reads the CP-SAT model or its rounded integers; only the plan document, the
request and the catalog.
"""

from __future__ import annotations

import math
from typing import Any

from mealplanner.catalog.store import Catalog
from mealplanner.planner.request import PORTIONS, PlanRequest
from mealplanner.planner.targets import resolve_targets

TOLERANCE = 1e-6


def _food_amounts(food, grams: float) -> dict[str, float]:
    n, scale = food.nutrients, grams / 100
    return {
        "energy_kcal": n.energy_kcal * scale,
        "protein_g": n.protein_mg / 1000 * scale,
        "fat_g": n.fat_mg / 1000 * scale,
        "saturated_fat_g": n.saturated_fat_mg / 1000 * scale,
        "carbohydrate_g": n.carbohydrate_mg / 1000 * scale,
        "fiber_g": n.fiber_mg / 1000 * scale,
        "sugars_g": n.sugars_mg / 1000 * scale,
        "sodium_mg": n.sodium_mg * scale,
        "prebiotic_g": food.prebiotic_mg_per_100g / 1000 * scale,
        "fermented_servings": (grams / food.fermented_serving_g
                               if food.live_cultures and food.fermented_serving_g else 0.0),
    }


def check_plan(document: dict[str, Any], request: PlanRequest, catalog: Catalog) -> list[str]:
    """Every broken rule as a sentence; an empty list means the plan holds."""
    problems: list[str] = []
    rules = catalog.rules
    targets = resolve_targets(request, rules)
    expected_slots = {(s.day, s.slot) for s in request.slots}
    seen_slots: dict[tuple[int, str], str] = {}
    group_grams_by_day: dict[int, dict[str, float]] = {}
    all_ingredients: list[dict] = []
    excluded_allergens = set(request.exclude_allergens)
    diet_excludes = rules.diets[request.diet].excludes_groups

    for day in document["days"]:
        d = day["day"]
        totals = dict.fromkeys(day["totals"], 0.0)
        groups: dict[str, float] = {}
        for meal in day["meals"]:
            key = (d, meal["slot"])
            if key in seen_slots:
                problems.append(f"day {d} {meal['slot']} has more than one dish")
            seen_slots[key] = meal["recipe_id"]
            recipe = catalog.recipes.get(meal["recipe_id"])
            if recipe is None:
                problems.append(f"day {d} {meal['slot']}: unknown recipe {meal['recipe_id']}")
                continue
            if meal["slot"] not in recipe.meal_types:
                problems.append(f"{recipe.id} is not a {meal['slot']} dish")
            if meal["portion"] not in PORTIONS:
                problems.append(f"{recipe.id}: portion {meal['portion']} is not allowed")
            if (request.max_prep_minutes is not None
                    and recipe.prep_minutes + recipe.cook_minutes > request.max_prep_minutes):
                problems.append(f"{recipe.id} takes longer than {request.max_prep_minutes} min")
            expected = {(line.food_id, line.grams * meal["portion"]) for line in recipe.ingredients}
            listed = {(i["food_id"], i["grams"]) for i in meal["ingredients"]}
            if {(f, round(g, 2)) for f, g in expected} != {(f, round(g, 2)) for f, g in listed}:
                problems.append(f"{recipe.id}: ingredient grams do not match recipe x portion")
            for ingredient in meal["ingredients"]:
                food = catalog.foods[ingredient["food_id"]]
                if excluded_allergens & set(food.allergens):
                    problems.append(f"{recipe.id} contains {food.name} "
                                    f"({', '.join(excluded_allergens & set(food.allergens))})")
                if diet_excludes & set(food.groups):
                    problems.append(f"{recipe.id} contains {food.name}, not {request.diet}")
                for name, value in _food_amounts(food, ingredient["grams"]).items():
                    totals[name] = totals.get(name, 0.0) + value
                for group in food.groups:
                    groups[group] = groups.get(group, 0.0) + ingredient["grams"]
                all_ingredients.append(ingredient)
        group_grams_by_day[d] = groups
        for name, value in totals.items():
            if not math.isclose(value, day["totals"].get(name, -1), abs_tol=0.02):
                problems.append(f"day {d}: {name} reported {day['totals'].get(name)} "
                                f"but the ingredients give {value:.2f}")
        problems += _daily_limits(d, totals, targets)

    missing = expected_slots - set(seen_slots)
    extra = set(seen_slots) - expected_slots
    if missing:
        problems.append(f"meals missing: {sorted(missing)}")
    if extra:
        problems.append(f"meals not asked for: {sorted(extra)}")
    if request.exclude_foods:
        from mealplanner.planner.candidates import resolve_food_terms

        banned = resolve_food_terms(request.exclude_foods, catalog, "exclude_foods")
        for ingredient in all_ingredients:
            if ingredient["food_id"] in banned:
                problems.append(f"{ingredient['food_id']} was to be avoided")
    problems += _variety(seen_slots, request)
    problems += _mediterranean(document, group_grams_by_day, request, targets, catalog)
    problems += _cost(document, request, catalog)
    if targets.plants_hard:
        count = len({i["food_id"] for i in all_ingredients
                     if rules.plant_groups & set(catalog.foods[i["food_id"]].groups)})
        if count < targets.plants.value:
            problems.append(f"{count} plant foods, fewer than {targets.plants.value:.0f}")
    return problems


def _daily_limits(day: int, totals: dict[str, float], t) -> list[str]:
    slack = 0.01
    checks = [
        (totals["energy_kcal"] >= t.energy_low - 1, f"energy {totals['energy_kcal']:.0f} "
         f"below {t.energy_low:.0f} kcal"),
        (totals["energy_kcal"] <= t.energy_high + 1, f"energy {totals['energy_kcal']:.0f} "
         f"above {t.energy_high:.0f} kcal"),
        (totals["fiber_g"] >= t.fiber_g.value - slack,
         f"fiber {totals['fiber_g']:.1f} g below {t.fiber_g.value:.1f} g"),
        (totals["prebiotic_g"] >= t.prebiotic_g.value - slack,
         f"prebiotic {totals['prebiotic_g']:.2f} g below {t.prebiotic_g.value:.2f} g"),
        (totals["prebiotic_g"] <= t.prebiotic_max_g.value + slack,
         f"prebiotic {totals['prebiotic_g']:.1f} g above {t.prebiotic_max_g.value:.0f} g"),
        (totals["fermented_servings"] >= t.fermented_servings.value - slack,
         f"{totals['fermented_servings']:.2f} fermented servings, below "
         f"{t.fermented_servings.value:g}"),
        (totals["sodium_mg"] <= t.sodium_max_mg.value + 1,
         f"sodium {totals['sodium_mg']:.0f} mg above {t.sodium_max_mg.value:.0f} mg"),
        (9 * totals["saturated_fat_g"]
         <= t.saturated_fat_max_share.value * totals["energy_kcal"] + 1,
         f"saturated fat above {t.saturated_fat_max_share.value:.0%} of energy"),
    ]
    return [f"day {day}: {message}" for ok, message in checks if not ok]


def _variety(seen_slots: dict[tuple[int, str], str], request: PlanRequest) -> list[str]:
    problems = []
    counts: dict[str, int] = {}
    for recipe_id in seen_slots.values():
        counts[recipe_id] = counts.get(recipe_id, 0) + 1
    for recipe_id, count in counts.items():
        if count > request.max_repeats:
            problems.append(f"{recipe_id} appears {count} times (max {request.max_repeats})")
    for (day, slot), recipe_id in seen_slots.items():
        if slot in ("lunch", "dinner") and seen_slots.get((day + 1, slot)) == recipe_id:
            problems.append(f"{recipe_id} is {slot} on days {day} and {day + 1}")
        same_day = [s for (d, s), r in seen_slots.items() if d == day and r == recipe_id]
        if len(same_day) > 1 and slot == same_day[0]:
            problems.append(f"{recipe_id} is served twice on day {day}")
    return problems


def _mediterranean(document, group_grams_by_day, request, targets, catalog) -> list[str]:
    problems = []
    skipped = {s["rule"] for s in document.get("skipped_rules", [])}
    for rule in catalog.rules.mediterranean:
        if rule.id in skipped:
            if not rule.is_minimum:
                problems.append(f"cap rule {rule.id} must never be skipped")
            continue

        def grams(groups, days):
            return sum(group_grams_by_day[d].get(g, 0.0) for d in days for g in groups)

        days = list(group_grams_by_day)
        if rule.kind == "min_share":
            whole = grams(rule.of, days)
            if whole and grams(rule.groups, days) < rule.share * whole - TOLERANCE:
                problems.append(f"{rule.label}: below {rule.share:.0%} of added fat")
            continue
        scale = targets.meal_share if rule.per_day else request.days / 7
        bound = rule.servings * rule.serving_g * scale
        periods = [[d] for d in days] if rule.per_day else [days]
        for period in periods:
            value = grams(rule.groups, period)
            if rule.is_minimum and value < bound - 0.25:
                problems.append(f"{rule.label}: {value:.0f} g below {bound:.0f} g ({period})")
            if not rule.is_minimum and value > bound + 0.25:
                problems.append(f"{rule.label}: {value:.0f} g above {bound:.0f} g ({period})")
    return problems


def _cost(document, request: PlanRequest, catalog: Catalog) -> list[str]:
    """Recompute packages from the meals: whole packages of edible grams, pantry first."""
    from mealplanner.planner.candidates import resolve_one_food

    pantry: dict[str, float] = {}
    for index, item in enumerate(request.pantry):
        food_id = resolve_one_food(item.food, catalog, f"pantry.{index}.food")
        pantry[food_id] = pantry.get(food_id, 0) + item.grams
    need: dict[str, float] = {}
    for day in document["days"]:
        for meal in day["meals"]:
            for ingredient in meal["ingredients"]:
                need[ingredient["food_id"]] = (
                    need.get(ingredient["food_id"], 0.0) + ingredient["grams"] * request.people
                )
    total_cents = 0
    for food_id, grams in need.items():
        food = catalog.foods[food_id]
        if food.staple and request.use_staples:
            continue
        missing = max(0.0, grams - pantry.get(food_id, 0))
        edible = food.package_g * (100 - food.refuse_pct) / 100
        packages = math.ceil(missing / max(1, round(edible)) - 1e-9)
        total_cents += packages * food.package_price_cents
    problems = []
    if abs(total_cents / 100 - document["cost"]["total"]) > 0.005:
        problems.append(f"cost reported {document['cost']['total']:.2f} but the packages "
                        f"cost {total_cents / 100:.2f}")
    if request.budget is not None:
        allowed = request.budget.amount * request.days / 7  # the budget is per week
        if total_cents > round(allowed * 100):
            problems.append(f"cost {total_cents / 100:.2f} exceeds the budget {allowed:.2f}")
    return problems
