"""Turn a solution into the plan document the API, CLI and pages show.

Totals here are recomputed from ingredient grams (catalog.derive.line_amounts), not read from
the model's rounded integers, so what a person sees is what the food gives.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from mealplanner.catalog.derive import line_amounts, live_culture_servings
from mealplanner.catalog.export import ingredient_documents
from mealplanner.catalog.records import NUTRIENT_NAMES
from mealplanner.catalog.store import Catalog
from mealplanner.planner.checker import check_linear, plan_facts
from mealplanner.planner.cpsat.solve import Solution
from mealplanner.planner.dates import day_dates
from mealplanner.planner.exceptions_report import exceptions_document
from mealplanner.planner.families import plants
from mealplanner.planner.nutrient_report import nutrients_document
from mealplanner.planner.objective import objective_terms
from mealplanner.planner.purchase import Purchase, compute_purchases, keeps_days
from mealplanner.planner.request import PlanRequest
from mealplanner.planner.targets import ResolvedTargets
from mealplanner.planner.units import portion_of
from mealplanner.rules import MEALS
from mealplanner.rules.day_exceptions import excepted_limit
from mealplanner.rules.requirements import RuleSet, group_quantity
from mealplanner.rules.ruleset import rule_scale

DAILY_FIELDS = (
    "energy_kcal", "protein_g", "fat_g", "saturated_fat_g", "carbohydrate_g", "fiber_g",
    "sugars_g", "sodium_mg", "prebiotic_g", "prebiotic_most_g", "fermented_servings",
    *NUTRIENT_NAMES[8:],  # calcium_mg ... added_sugars_g
)


def meal_document(catalog: Catalog, slot: str, recipe_id: str, q: int) -> dict[str, Any]:
    recipe = catalog.recipes[recipe_id]
    portion = portion_of(q)
    return {
        "slot": slot,
        "recipe_id": recipe_id,
        "name": recipe.name,
        "cuisine": recipe.cuisine,
        "portion": portion,
        "prep_minutes": recipe.prep_minutes,
        "cook_minutes": recipe.cook_minutes,
        "ingredients": ingredient_documents(catalog, recipe_id, portion),
        "live_cultures": live_culture_sources(catalog, recipe_id, portion),
    }


def live_culture_sources(catalog: Catalog, recipe_id: str, portion: float) -> list[dict]:
    """Which unheated foods of a meal give its live-culture servings, per person."""
    sources = []
    for line in catalog.recipes[recipe_id].ingredients:
        food = catalog.foods[line.food_id]
        servings = live_culture_servings(food, line.grams * portion, line.heated)
        if servings:
            sources.append({"food_id": food.id, "name": food.name,
                            "servings": round(servings, 2)})
    return sources


def day_totals(catalog: Catalog, meals: list[dict[str, Any]]) -> dict[str, float]:
    """A day's totals per person; an ingredient without a value of a nutrient adds 0 to it
    (`day_lower_bound` names those totals)."""
    totals = dict.fromkeys(DAILY_FIELDS, 0.0)
    for meal in meals:
        for ingredient in meal["ingredients"]:
            food = catalog.foods[ingredient["food_id"]]
            amounts = line_amounts_for_grams(food, ingredient["grams"], ingredient["heated"],
                                             catalog.rules.gut.prebiotic_cooked_retention)
            for name in DAILY_FIELDS:
                totals[name] += amounts[name]
    return {name: round(value, 2) for name, value in totals.items()}


def day_lower_bound(catalog: Catalog, meals: list[dict[str, Any]]) -> list[str]:
    """The day's totals that are at least the figure given: some ingredient eaten that day
    has no USDA value of the nutrient."""
    unknown = {name for meal in meals for ingredient in meal["ingredients"] if ingredient["grams"]
               for name in catalog.foods[ingredient["food_id"]].nutrients.unknown()}
    return [name for name in DAILY_FIELDS if name in unknown]


def line_amounts_for_grams(food, grams: float, heated: bool,
                           retention: float) -> dict[str, float]:
    from mealplanner.catalog.records import IngredientLine

    # line_amounts works on whole grams per serving; scale from 100 g to keep fractions exact.
    per_100 = line_amounts(IngredientLine(food.id, 100, heated), food, retention)
    return {name: value * grams / 100 for name, value in per_100.items()}


def days_document(catalog: Catalog, meals, day_count: int,
                  start_date: date | None = None) -> list[dict[str, Any]]:
    """Each day's date and weekday (none without a start date), meals (day, slot, recipe id,
    quarters) with ingredients, and totals."""
    by_day: dict[int, list[dict]] = {day: [] for day in range(1, day_count + 1)}
    slot_order = {slot: i for i, slot in enumerate(MEALS)}
    for day, slot, rid, q in sorted(meals, key=lambda k: (k[0], slot_order[k[1]])):
        by_day[day].append(meal_document(catalog, slot, rid, q))
    return [{"day": day, **named, "meals": items, "totals": day_totals(catalog, items),
             "totals_lower_bound": day_lower_bound(catalog, items)}
            for (day, items), named in zip(by_day.items(), day_dates(start_date, day_count),
                                           strict=True)]


def targets_document(t: ResolvedTargets) -> dict[str, Any]:
    return {
        "meal_share": t.meal_share,
        "energy_kcal": {"target": t.energy.value, "min": round(t.energy_low, 1),
                        "max": round(t.energy_high, 1), "whole_day": t.energy_kcal_per_day,
                        "source": t.energy.source},
        "fiber_g": {"min": t.fiber_g.value, "max": t.fiber_max_g.value,
                    "source": t.fiber_g.source, "max_source": t.fiber_max_g.source,
                    "ramp": t.fiber_ramp.as_document() if t.fiber_ramp else None},
        "prebiotic_g": {"min": t.prebiotic_g.value, "max": t.prebiotic_max_g.value,
                        "source": t.prebiotic_g.source},
        "fermented_servings": {"min": t.fermented_servings.value,
                               "source": t.fermented_servings.source},
        "sodium_mg": {"max": t.sodium_max_mg.value, "source": t.sodium_max_mg.source},
        "saturated_fat_share": {"max": t.saturated_fat_max_share.value,
                                "source": t.saturated_fat_max_share.source},
        "plants_per_week": {"target": t.plants.value, "hard": t.plants_hard,
                            "source": t.plants.source},
    }


def mediterranean_document(rule_set: RuleSet, days: list[dict], catalog: Catalog,
                           meal_share: float) -> list[dict[str, Any]]:
    """The Mediterranean tally: every rule of the rule set, with what the plan holds, and
    "met" as the checker judges it (checker.check_linear on the same numbers)."""
    facts = plan_facts(days, catalog)
    day_numbers = [d["day"] for d in days]
    skipped = {s["rule"]: s["reason"] for s in rule_set.skipped}
    rows = []
    for rule, key in rule_set.mediterranean:
        row: dict[str, Any] = {"rule": rule.id, "label": rule.label, "kind": rule.kind,
                               "source": rule.source}
        rows.append(row)
        if rule.id in skipped:
            row.update(skipped=True, reason=skipped[rule.id], met=None)
            continue

        def grams(groups, period):
            return sum(facts.amount(group_quantity(g), period) for g in groups)

        if rule.kind == "min_share":
            part, whole = grams(rule.groups, day_numbers), grams(rule.of, day_numbers)
            row.update(share=round(part / whole, 3) if whole else 1.0, required=rule.share)
        else:
            bound = rule.servings * rule_scale(rule, meal_share, len(days))
            if rule.per_day:
                servings = [grams(rule.groups, [d]) / rule.serving_g for d in day_numbers]
                value = min(servings) if rule.is_minimum else max(servings)
                row["servings_per_day"] = [round(s, 2) for s in servings]
            else:
                value = grams(rule.groups, day_numbers) / rule.serving_g
            row.update(servings=round(value, 2), required=round(bound, 2),
                       per="day" if rule.per_day else "plan")
        requirement = rule_set.requirement(key)
        row["met"] = not check_linear(requirement, facts)
        if requirement.day_bounds:  # the person's exceptions, as they read them
            row["exceptions"] = [{"day": day, **excepted_limit(requirement, day)}
                                 for day, _bound in requirement.day_bounds]
    return rows


def cost_document(purchases: list[Purchase], request: PlanRequest, rule_set: RuleSet,
                  catalog: Catalog) -> dict[str, Any]:
    """The plan's money for the household: what the shopping costs (`checkout`, also `total`),
    the food eaten, the leftovers that keep (`carried_over`) and those that spoil (`waste`)."""
    budget = request.budget
    checkout = sum(p.cost_cents for p in purchases)
    return {
        "total": round(checkout / 100, 2),
        "checkout": round(checkout / 100, 2),
        "eaten": round(sum(p.eaten_cents for p in purchases) / 100, 2),
        "carried_over": round(sum(p.carried_cents for p in purchases) / 100, 2),
        "waste": round(sum(p.waste_cents for p in purchases) / 100, 2),
        "currency": budget.currency if budget else "USD",
        "budget_per_week": budget.amount if budget else None,
        "budget": round(rule_set.budget_amount, 2) if budget else None,
        "budget_basis": budget.basis if budget else None,
        "people": request.people,
        "price_year": max((catalog.foods[p.food_id].price_year for p in purchases),
                          default=None),
    }


def purchase_document(p: Purchase, catalog: Catalog) -> dict[str, Any]:
    food = catalog.foods[p.food_id]
    storage = getattr(food, "storage", None)
    return {
        "food_id": p.food_id,
        "name": food.name,
        "needed_g": round(p.needed_g, 1),
        "pantry_g": p.pantry_g,
        "staple_on_hand": p.staple,
        "packages": p.packages,
        "package_g": food.package_g,
        "package": food.package,
        "cost": round(p.cost_cents / 100, 2),
        "leftover_g": p.leftover_g,
        "buys": [{"day": day, "packages": n} for day, n in p.buys],
        "keeps_days": keeps_days(food),
        "stored": storage.place if storage else None,
    }


def leftovers_document(purchases: list[Purchase], catalog: Catalog) -> list[dict[str, Any]]:
    """What is left of the packages: carried over (keeps `keeps_days_after` days after the
    plan) or waste (spoils before a next plan could use it)."""
    rows = []
    for p in purchases:
        name = catalog.foods[p.food_id].name
        if p.carried_g > 0.05:
            rows.append({"food_id": p.food_id, "name": name, "grams": round(p.carried_g, 1),
                         "fate": "carried_over", "keeps_days_after": p.keeps_after,
                         "value": round(p.carried_cents / 100, 2)})
        if p.waste_g > 0.05:
            rows.append({"food_id": p.food_id, "name": name, "grams": round(p.waste_g, 1),
                         "fate": "waste", "keeps_days_after": None,
                         "value": round(p.waste_cents / 100, 2)})
    return rows


def trips_document(purchases: list[Purchase]) -> list[dict[str, Any]]:
    """The shopping trips the plan needs: every day something must be bought fresh."""
    days: dict[int, list[str]] = {}
    for p in purchases:
        for day, _packages in p.buys:
            days.setdefault(day, []).append(p.food_id)
    return [{"day": day, "foods": sorted(foods)} for day, foods in sorted(days.items())]


def plan_document(solution: Solution, request: PlanRequest, rule_set: RuleSet,
                  targets: ResolvedTargets) -> dict[str, Any]:
    """The plan document the API returns and stores. Long on purpose: it is the document's
    shape, field by field, in one place (api/plans/schemas.py documents the same fields)."""
    pm = solution.plan_model
    catalog = pm.catalog
    days = days_document(catalog, solution.meals, request.days, request.start_date)

    purchases = compute_purchases(
        [(d, rid, q) for d, _s, rid, q in solution.meals], request.people,
        pm.candidates.pantry_g, catalog, request.use_staples, request.days,
    )
    plant_foods = sorted(plants.plant_foods(
        {ing["food_id"] for d in days for m in d["meals"] for ing in m["ingredients"]}, catalog))
    return {
        "status": "ok",
        "days": days,
        "targets": targets_document(targets),
        "plants": {"count": len(plant_foods), "target": targets.plants.value,
                   "hard": targets.plants_hard, "foods": plant_foods},
        "mediterranean": mediterranean_document(rule_set, days, catalog, targets.meal_share),
        "day_exceptions": exceptions_document(rule_set, days, catalog, request.use_staples),
        "skipped_rules": list(rule_set.skipped),
        "nutrients": nutrients_document(days, targets, list(rule_set.skipped), rule_set),
        "start_day": request.start_day,
        "pantry": dict(pm.candidates.pantry_g),
        "cost": cost_document(purchases, request, rule_set, catalog),
        "purchases": [purchase_document(p, catalog) for p in purchases],
        "leftovers": leftovers_document(purchases, catalog),
        "shopping_trips": trips_document(purchases),
        "solver": {
            "status": solution.figures.status,
            "objective": solution.figures.objective,
            "best_bound": solution.figures.best_bound,
            "gap": solution.figures.gap,
            "cost_floor": solution.figures.cost_floor,
            "wall_seconds": solution.figures.wall_seconds,
            "workers": solution.figures.workers,
            "seed": solution.figures.seed,
            "method": solution.figures.method,
            "objective_terms": objective_terms(solution.penalties),
        },
        "notes": list(targets.notes),
    }
