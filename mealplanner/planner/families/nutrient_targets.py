"""Weekly nutrient targets (calcium, iron, vitamin D...: rule_set.soft_minimums) that the
objective pursues but never requires: each model unit short of a target costs the same whole
number of objective units in CP-SAT and in the local search, so that missing a target entirely
costs objective.NUTRIENT_TARGET_UNITS. Model side and search side together; the checker does not
judge them (the plan reports them: planner/nutrient_report.py)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mealplanner.planner.objective import NUTRIENT_TARGET_UNITS, NUTRIENTS_SHORT
from mealplanner.planner.units import IntegerBound, integer_bounds
from mealplanner.rules.requirements import RuleSet


@dataclass(frozen=True)
class SoftMinimum:
    key: str
    bound: IntegerBound  # its minimum over the plan, in model integers
    per_unit_short: int  # objective units per model unit short


def soft_minimums(rule_set: RuleSet) -> list[SoftMinimum]:
    found = []
    for requirement in rule_set.soft_minimums:
        bound = integer_bounds(requirement)[0]
        per_unit = max(1, round(NUTRIENT_TARGET_UNITS / max(1, bound.low)))
        found.append(SoftMinimum(requirement.key, bound, per_unit))
    return found


# --- model side ---------------------------------------------------------------------------------


def add_to_model(pm) -> None:
    if not pm.penalised:
        return  # never a requirement
    shortfalls = []
    for soft in soft_minimums(pm.rule_set):
        total = pm.plan_sum(soft.bound.column)
        short = pm.model.new_int_var(0, soft.bound.low, f"short_{soft.key}")
        pm.model.add(short >= soft.bound.low - total)
        shortfalls.append(soft.per_unit_short * short)
    if shortfalls:
        pm.penalties[NUTRIENTS_SHORT] = sum(shortfalls)


# --- search side ---------------------------------------------------------------------------------


def shortfall_cost(totals: np.ndarray, low: np.ndarray, per_unit: np.ndarray) -> np.ndarray:
    """Objective units for the targets' shortfalls, over the last axis (one row per option)."""
    return (np.maximum(low - totals, 0) * per_unit).sum(axis=-1)
