"""What a requirement measures, the way a person reads it: its limit, its unit, over which
period it is judged (the worst day for a daily rule, the plan for a weekly one), and the
expression CP-SAT optimises to find the best value reachable when the requirement is dropped
and every other one holds.

A best value is reported only when it fails the requirement's own limit: a value that meets it
would contradict the conflict it explains (a proxy measure, such as the most times a dish is
served for the variety rule, can meet its limit while another part of the rule does not).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from ortools.sat.python import cp_model

from mealplanner.planner.cpsat.compile import UPPER, period_limits, period_sums
from mealplanner.planner.cpsat.model import PlanModel
from mealplanner.planner.units import integer_bounds
from mealplanner.rules.requirements import (
    BUDGET,
    DAY,
    LINEAR,
    PACKAGES_FAMILY,
    PLANTS,
    PLANTS_FAMILY,
    VARIETY,
    Requirement,
    RuleSet,
)
from mealplanner.rules.ruleset import weekly_budget_amount

WORST_DAY, PLAN = "worst day", "plan"


@dataclass(frozen=True)
class Limit:
    """A requirement's bounds in its unit; `measure` says what they apply to."""

    low: float | None
    high: float | None
    unit: str
    measure: str

    def as_document(self) -> dict[str, float]:
        found = {}
        if self.low is not None:
            found["min"] = round(self.low, 2)
        if self.high is not None:
            found["max"] = round(self.high, 2)
        return found

    def met_by(self, value: float) -> bool:
        """Whether a value meets the limit, at the precision the value is reported."""
        shown = round(value, 2)
        return ((self.low is None or shown >= round(self.low, 2))
                and (self.high is None or shown <= round(self.high, 2)))


def limit_of(requirement: Requirement, rule_set: RuleSet) -> Limit | None:
    """The limit a person reads, or None for a rule with no unit of its own (a share of energy
    or of added fat)."""
    measure = WORST_DAY if requirement.period == DAY else PLAN
    if requirement.key == BUDGET:
        return Limit(None, _weekly_budget(rule_set), rule_set.currency + " a week", PLAN)
    if requirement.key == VARIETY:
        return Limit(None, float(rule_set.variety.max_repeats), "times a dish", PLAN)
    if requirement.key == PLANTS:
        return Limit(float(rule_set.plants_target), None, "different plant foods", PLAN)
    if requirement.family != LINEAR or not requirement.unit or not requirement.bounds:
        return None
    bound = requirement.bounds[0]
    size = requirement.unit_size
    unit = requirement.unit + ("/day" if requirement.period == DAY else "")
    return Limit(None if bound.low is None else bound.low / size,
                 None if bound.high is None else bound.high / size, unit, measure)


def _weekly_budget(rule_set: RuleSet) -> float:
    """The budget as the request gives it: per week (the rule set holds it for the plan's
    days)."""
    return float(weekly_budget_amount(rule_set.budget_amount or 0, rule_set.days))


@dataclass
class Measure:
    """An expression to optimise in model units, and how to read the solved model's best value
    in the limit's unit."""

    expression: cp_model.LinearExprT
    maximize: bool
    read: Callable[[cp_model.CpSolver], float]


def add_measure(pm: PlanModel, requirement: Requirement) -> Measure | None:
    """Add to the model what the requirement's best value is read from (helper variables that
    constrain nothing else), or None when it has no measure a person reads."""
    if limit_of(requirement, pm.rule_set) is None:
        return None
    if requirement.key == BUDGET and requirement.family == PACKAGES_FAMILY:
        days = pm.request.days
        return Measure(pm.cost_cents, False,
                       lambda s: float(weekly_budget_amount(s.value(pm.cost_cents) / 100, days)))
    if requirement.key == VARIETY:
        return _most_uses(pm)
    if requirement.family == PLANTS_FAMILY:
        count = sum(pm.plant_used.values())
        return Measure(count, True, lambda s: float(s.value(count)))
    return _linear_measure(pm, requirement)


def _linear_measure(pm: PlanModel, requirement: Requirement) -> Measure:
    sides = {("low" if b.low is not None else "high"): b for b in integer_bounds(requirement)}
    sums = {side: period_sums(pm, requirement, b) for side, b in sides.items()}
    per_unit = {side: float(b.multiplier) * requirement.unit_size for side, b in sides.items()}
    budget = requirement.key == BUDGET  # on the food eaten: read per week, as it is set
    days = pm.request.days

    def unit_value(side: str, amount: int) -> float:
        value = amount / per_unit[side]
        return float(weekly_budget_amount(value, days)) if budget else value

    if requirement.day_bounds:  # each day against its own bound: the farthest day outside
        return _shortfall_measure(pm, requirement, sides, sums, unit_value)
    if len(sides) == 1:
        (side, bound), = sides.items()
        lowest = side == "low"
        extreme = pm.model.new_int_var(-UPPER, UPPER, f"measure_{requirement.key}")
        if lowest:
            pm.model.add_min_equality(extreme, sums[side])
        else:
            pm.model.add_max_equality(extreme, sums[side])
        return Measure(extreme, lowest, lambda s: unit_value(side, s.value(extreme)))
    # a window (energy): the day farthest outside it, on whichever side
    low, high = sides["low"], sides["high"]
    # in the high side's model units: a shortfall below the window counts ratio per unit
    ratio = Fraction(high.multiplier) / Fraction(low.multiplier)
    worst = pm.model.new_int_var(0, UPPER, f"measure_{requirement.key}_outside")
    for amount in sums["low"]:
        pm.model.add(ratio.denominator * worst >= ratio.numerator * (low.low - amount))
    for amount in sums["high"]:
        pm.model.add(worst >= amount - high.high)

    def read(s: cp_model.CpSolver) -> float:
        below = [(low.low - s.value(a), unit_value("low", s.value(a))) for a in sums["low"]]
        above = [(s.value(a) - high.high, unit_value("high", s.value(a))) for a in sums["high"]]
        return max(below + above)[1]

    return Measure(worst, False, read)


def _shortfall_measure(pm: PlanModel, requirement: Requirement, sides: dict, sums: dict,
                       unit_value: Callable[[str, int], float]) -> Measure:
    """A daily rule with a person's exception on some day: the day farthest outside the bound
    that holds on it, read as that day's value. A window's shortfall below counts in the high
    side's model units, as _linear_measure's window does."""
    limits = {}  # per side, the limit of each day in period_sums' order
    for per_day in period_limits(pm, requirement):
        side = "low" if per_day[0].low is not None else "high"
        limits[side] = [b.low if side == "low" else b.high for b in per_day]
    ratio = Fraction(1)
    if len(sides) == 2:
        ratio = Fraction(sides["high"].multiplier) / Fraction(sides["low"].multiplier)
    worst = pm.model.new_int_var(-UPPER, UPPER, f"measure_{requirement.key}_outside")
    for amount, limit in zip(sums.get("low", []), limits.get("low", []), strict=True):
        pm.model.add(ratio.denominator * worst >= ratio.numerator * (limit - amount))
    for amount, limit in zip(sums.get("high", []), limits.get("high", []), strict=True):
        pm.model.add(worst >= amount - limit)

    def read(s: cp_model.CpSolver) -> float:
        outside = [((limit - s.value(a)) * ratio, unit_value("low", s.value(a)))
                   for a, limit in zip(sums.get("low", []), limits.get("low", []), strict=True)]
        outside += [(s.value(a) - limit, unit_value("high", s.value(a)))
                    for a, limit in zip(sums.get("high", []), limits.get("high", []),
                                        strict=True)]
        return max(outside)[1]

    return Measure(worst, False, read)


def _most_uses(pm: PlanModel) -> Measure:
    """The most times any dish is served: the part of the variety rule a number can show."""
    most = pm.model.new_int_var(0, len(pm.request.slots), "measure_variety")
    for rid in sorted({key[2] for key in pm.x}):
        pm.model.add(most >= sum(pm.chosen(m.day, m.slot, rid) for m in pm.request.slots))
    return Measure(most, False, lambda s: float(s.value(most)))
