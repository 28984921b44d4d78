"""Whole packages: what must be bought, per food, minus the pantry and the staples on hand,
and the budget on their cost. The model side, the local search's side and the checker's side
of the rule live here together, so one change reaches all three.

Opening a package once and using it across the week is cheaper than buying two, so the model
counts packages, not grams; leftovers follow from the package count.
"""

from __future__ import annotations

import math

import numpy as np
from ortools.sat.python import cp_model

from mealplanner.planner.cpsat.model import Relaxation
from mealplanner.planner.objective import COST
from mealplanner.planner.units import QUARTERS_PER_PORTION
from mealplanner.rules.requirements import BUDGET, RuleSet

# --- model side ---------------------------------------------------------------------------------


def add_to_model(pm) -> None:
    """Integer packages per food bought, their cost (the COST penalty) and, when the request
    has one, the budget on it."""
    people = pm.request.people
    need: dict[str, list] = {}
    for (_day, _slot, rid, q), var in pm.x.items():
        for food_id, qg in pm.candidates.figures[rid, q].food_qg.items():
            need.setdefault(food_id, []).append((var, qg * people))
    costs = []
    for food_id, terms in sorted(need.items()):
        food = pm.catalog.foods[food_id]
        if food.staple and pm.request.use_staples:
            continue  # assumed on hand
        pantry_qg = pm.candidates.pantry_g.get(food_id, 0) * QUARTERS_PER_PORTION
        package_qg = food.package_edible_g * QUARTERS_PER_PORTION
        most = sum(qg for _var, qg in terms)
        upper = max(0, math.ceil((most - pantry_qg) / package_qg))
        packages = pm.model.new_int_var(0, upper, f"packages_{food_id}")
        pm.model.add(
            package_qg * packages + pantry_qg
            >= cp_model.LinearExpr.weighted_sum(*zip(*terms, strict=True))
        )
        pm.packages[food_id] = packages
        costs.append(food.package_price_cents * packages)
    pm.cost_cents = sum(costs)
    pm.penalties[COST] = pm.cost_cents
    rule_set: RuleSet = pm.rule_set
    if rule_set.has(BUDGET):
        guard = pm.require(rule_set.requirement(BUDGET))
        pm.model.add(pm.cost_cents <= rule_set.budget_cents).only_enforce_if(guard.literal)
        phrase = guard.requirement.reach_phrase
        guard.relaxation = lambda: Relaxation(pm.cost_cents, False, lambda v: phrase(v / 100))


# --- search side ---------------------------------------------------------------------------------


def package_cost(need_qg: np.ndarray, pantry_qg: np.ndarray, package_qg: np.ndarray,
                 unit_cents: np.ndarray) -> np.ndarray:
    """Whole packages of what the pantry does not cover, in cents, summed over the last axis
    (need_qg may carry one row per option); staples on hand have unit_cents 0."""
    missing = np.maximum(need_qg - pantry_qg, 0)
    return (np.ceil(missing / package_qg) * unit_cents).sum(axis=-1)


# --- checker side --------------------------------------------------------------------------------


def recomputed_cost_cents(need_g: dict[str, float], pantry_g: dict[str, float], catalog,
                          use_staples: bool) -> int:
    """Packages recomputed from household grams, with the package's edible grams taken from
    its weight and refuse (not the model's figure)."""
    total_cents = 0
    for food_id, grams in need_g.items():
        food = catalog.foods[food_id]
        if food.staple and use_staples:
            continue
        missing = max(0.0, grams - pantry_g.get(food_id, 0))
        edible = food.package_g * (100 - food.refuse_pct) / 100
        packages = math.ceil(missing / max(1, round(edible)) - 1e-9)
        total_cents += packages * food.package_price_cents
    return total_cents


def check(total_cents: int, rule_set: RuleSet, reported_total: float) -> list[str]:
    """The plan's reported cost against the recomputed one, and the budget."""
    problems = []
    if abs(total_cents / 100 - reported_total) > 0.005:
        problems.append(f"cost reported {reported_total:.2f} but the packages "
                        f"cost {total_cents / 100:.2f}")
    if rule_set.has(BUDGET) and total_cents > rule_set.budget_cents:
        problems.append(f"cost {total_cents / 100:.2f} exceeds the budget "
                        f"{rule_set.budget_amount:.2f}")
    return problems
