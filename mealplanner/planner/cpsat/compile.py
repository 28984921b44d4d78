"""Linear requirements into CP-SAT: one generic compiler for every rule that is a bounded sum
of what the meals hold (nutrients, food-group grams, shares), per day or over the plan.

The rule set (rules/ruleset.py) says what to count and within which bounds; units.py turns
each bound into integers; this module adds the guarded constraints, the distance-from-target
penalty (energy); measures.py reads the same sums for an explanation's best values.
"""

from __future__ import annotations

from mealplanner.planner.cpsat.model import PlanModel
from mealplanner.planner.objective import soft_penalty, target_penalty
from mealplanner.planner.units import IntegerBound, integer_bounds, soft_level
from mealplanner.rules.requirements import DAY, Requirement

UPPER = 10**9  # domain of the helper variables (lowest / highest value over the periods)


def period_sums(pm: PlanModel, requirement: Requirement, bound: IntegerBound) -> list:
    """The bound's sum for each day, or once for the whole plan."""
    if requirement.period == DAY:
        return pm.day_sums(bound.column)
    return [pm.plan_sum(bound.column)]


def period_limits(pm: PlanModel, requirement: Requirement) -> list[list[IntegerBound]]:
    """Per bound of the rule, the bound that holds in each period (period_sums' order): a
    day with the person's exception holds its own."""
    bounds = integer_bounds(requirement)
    if requirement.period != DAY or not requirement.day_bounds:
        return [[b] * (len(pm.days) if requirement.period == DAY else 1) for b in bounds]
    by_day = [integer_bounds(requirement, day) for day in pm.days]
    return [[day[index] for day in by_day] for index in range(len(bounds))]


def add_linear(pm: PlanModel, requirement: Requirement) -> None:
    guard = pm.require(requirement)
    sums = {}
    for bound, limits in zip(integer_bounds(requirement), period_limits(pm, requirement),
                             strict=True):
        sums[bound] = period_sums(pm, requirement, bound)
        for amount, limit in zip(sums[bound], limits, strict=True):
            if limit.low is not None:
                pm.model.add(amount >= limit.low).only_enforce_if(guard.literal)
            else:
                pm.model.add(amount <= limit.high).only_enforce_if(guard.literal)
    if not pm.penalised:
        return
    first = next(iter(sums))
    penalty = target_penalty(requirement.key)
    if requirement.target is not None and penalty:
        deviations = _deviations(pm, requirement, first, sums[first])
        pm.penalties[penalty] = sum(deviations)
    if requirement.soft_high is not None:
        high = next(b for b in sums if b.high is not None)
        level = soft_level(requirement, high)
        above = []
        for index, amount in enumerate(sums[high]):
            over = pm.model.new_int_var(0, UPPER, f"{requirement.key}_above_{index}")
            pm.model.add(over >= amount - level)
            above.append(over)
        pm.penalties[soft_penalty(requirement.key)] = sum(above)


def _deviations(pm: PlanModel, requirement: Requirement, bound: IntegerBound, amounts):
    target = round(requirement.target * bound.multiplier)
    deviations = []
    for index, amount in enumerate(amounts):
        deviation = pm.model.new_int_var(0, UPPER, f"{requirement.key}_deviation_{index}")
        pm.model.add(deviation >= amount - target)
        pm.model.add(deviation >= target - amount)
        deviations.append(deviation)
    return deviations
