"""What the planner minimises, in one place: the penalty names, their weights, and how the
local search ranks a broken rule against them.

Objective units: lowest cost first, then closeness to the energy target, plant variety, fewer
repeats and favourites:
  100 per cent of cost at the checkout
  -80 per cent of the value of leftovers that keep (CARRY_CREDIT)
   10 per kcal/day away from the energy target (10 kcal ~ 1 cent)
 5000 per plant food short of the soft plant target (~ 50 cents each)
 2000 per repeated dish (~ 20 cents each)
  500 per decigram of fibre a day above this week's step of a fibre ramp (~ 50 cents a gram:
      comfort first, while the cheapest Mediterranean week would be far above the step)
30000 per weekly nutrient target missed entirely, in proportion (~ 3 dollars each)
-20000 per favourite dish in the plan (worth ~ 2 dollars each: people cook what they like)
"""

from __future__ import annotations

from mealplanner.rules.requirements import ENERGY, FIBER_CEILING

COST = "cost"
ENERGY_DISTANCE = "distance from the energy target"
PLANTS_SHORT = "plant foods short of the target"
REPEATS = "repeated dishes"
CARRIED_OVER = "credit for leftovers that keep"
FAVORITES = "favourite dishes served"
FIBER_ABOVE_STEP = "fibre above this week's step"
NUTRIENTS_SHORT = "nutrients short of their weekly targets"
# A weekly nutrient target (calcium, vitamin D...) missed entirely costs this many objective
# units ($3 at COST's weight), in proportion to how much is missing: worth a little more money
# each, never a broken rule (families/nutrient_targets.py).
NUTRIENT_TARGET_UNITS = 30_000

# Leftovers that keep for the next plan are credited at this share of their value (what they
# cost, per edible gram): most of it, not all, as they may still go unused. Leftovers that
# spoil get no credit, so the objective pays their full price. The credit is counted in
# objective units (families/packages.credit_per_qg: 100 a cent, as COST), so its weight is -1.
CARRY_CREDIT = 0.8
WEIGHTS = {COST: 100, ENERGY_DISTANCE: 10, PLANTS_SHORT: 5000, REPEATS: 2000, CARRIED_OVER: -1,
           FIBER_ABOVE_STEP: 500, NUTRIENTS_SHORT: 1}
FAVORITE_BONUS = 20_000
# The order penalties are reported in (the plan document's solver section).
PENALTIES = (COST, CARRIED_OVER, ENERGY_DISTANCE, PLANTS_SHORT, REPEATS, FIBER_ABOVE_STEP,
             NUTRIENTS_SHORT, FAVORITES)

# The local search (search/) scores a plan as VIOLATION_WEIGHT per unit of broken rule (a day
# 10% short of its fiber counts 0.1), far above any objective difference, plus the objective.
VIOLATION_WEIGHT = 1e12
# The budget comes last: a plan meeting every other rule is always preferred, so that when the
# budget cannot be met the search ends on the cheapest plan meeting everything else (the number
# the explanation gives). Per cent over budget: 100x the cost weight, far below any other rule.
BUDGET_WEIGHT = 10_000


def objective_terms(amounts: dict[str, float]) -> list[dict]:
    """Each penalty's amount and what it cost in objective units, for the plan document (the
    per-rule report of shift_scheduling_sat.py)."""
    rows = []
    for name in PENALTIES:
        if name not in amounts:
            continue
        weight = -FAVORITE_BONUS if name == FAVORITES else WEIGHTS[name]
        rows.append({"penalty": name, "weight": weight, "amount": amounts[name],
                     "objective": weight * amounts[name]})
    return rows


def target_penalty(requirement_key: str) -> str | None:
    """The penalty for distance from a requirement's target, where it has one."""
    return ENERGY_DISTANCE if requirement_key == ENERGY else None


def soft_penalty(requirement_key: str) -> str | None:
    """The penalty for each unit above a cap's comfortable level, where it has one."""
    return FIBER_ABOVE_STEP if requirement_key == FIBER_CEILING else None
