"""What must be bought: whole packages per food, minus the pantry and the staples on hand.

Opening a package once and using it across the week is cheaper than buying two, so the model
counts packages, not grams; leftovers follow from the package count.
"""

from __future__ import annotations

import math

from ortools.sat.python import cp_model

from mealplanner.planner.model import PlanModel, Relaxation
from mealplanner.planner.units import QUARTERS_PER_PORTION, cents

COST_PENALTY = "cost"


def add_budget(pm: PlanModel) -> None:
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
    pm.penalties.append((COST_PENALTY, pm.cost_cents, 1))
    budget = pm.request.budget
    if budget is not None:
        days = pm.request.days
        label = f"weekly budget {budget.amount:.2f} {budget.currency}"
        if days != 7:
            label += f" ({plan_budget(pm.request):.2f} for {days} days)"
        literal = pm.require("budget", label)
        pm.model.add(pm.cost_cents <= cents(plan_budget(pm.request))).only_enforce_if(literal)
        pm.requirement("budget").relaxation = lambda: Relaxation(
            pm.cost_cents, False,
            lambda v: f"the cheapest plan found meeting every other requirement costs "
                      f"{v / 100:.2f} {budget.currency}",
        )



def plan_budget(request) -> float:
    """The request's budget is per week for the household; a plan of other length scales it."""
    return request.budget.amount * request.days / 7
