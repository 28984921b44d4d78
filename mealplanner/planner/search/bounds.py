"""What the local search proves or hands on: rules no choice of dishes can meet (each meal
at its extreme, added up), and the neighbourhood of a plan that CP-SAT polishes."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from mealplanner.formatting import measured
from mealplanner.planner.families.plants import most_reachable
from mealplanner.planner.search.iterated import SearchResult
from mealplanner.planner.search.problem import Rule, WeekProblem
from mealplanner.rules.requirements import PLANTS


@dataclass
class Unreachable:
    """A rule no choice of dishes can meet: proven by adding up each meal's extremes."""

    key: str
    low: bool  # a minimum out of reach (else a maximum always exceeded)
    reachable: float  # the most (or least) the meals can give, in model units
    rule: Rule
    period: str  # "a day" or "over the plan"

    def describe(self) -> str:
        amount = self.reachable / self.rule.per_unit
        extreme = "most" if self.low else "least"
        return (f"the {extreme} the eligible dishes can give is "
                f"{measured(amount, self.rule.unit)} {self.period}")


def unreachable_rules(problem: WeekProblem) -> list[Unreachable]:
    """Rules out of reach whatever the choice: each slot at its extreme option, summed."""
    found: dict[str, Unreachable] = {}

    def extremes(matrix_of) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per slot, each column's most and least over the options it allows (worked out
        once per meal type when a slot allows them all, as most do)."""
        whole: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        found_per_slot = []
        for (_day, meal), rows in zip(problem.slots, problem.allowed, strict=True):
            matrix = matrix_of(problem.options[meal])
            if len(rows) == len(matrix):
                if meal not in whole:
                    whole[meal] = (matrix.max(axis=0), matrix.min(axis=0))
                found_per_slot.append(whole[meal])
            else:
                chosen = matrix[rows]
                found_per_slot.append((chosen.max(axis=0), chosen.min(axis=0)))
        return found_per_slot

    def check(rules, per_slot, slots, period):
        for i, rule in enumerate(rules):
            if rule.key in found or not rule.unit:
                continue
            most = sum(float(per_slot[slot][0][i]) for slot in slots)
            least = sum(float(per_slot[slot][1][i]) for slot in slots)
            if most < rule.low:
                found[rule.key] = Unreachable(rule.key, True, most, rule, period)
            elif least > rule.high:
                found[rule.key] = Unreachable(rule.key, False, least, rule, period)

    if any(not len(rows) for rows in problem.allowed):
        return []  # a meal with no dish at all is explained on its own
    daily = extremes(lambda options: options.daily)
    for day in sorted({d for d, _s in problem.slots}):
        check(problem.daily_rules_on(day), daily,
              [i for i, (d, _s) in enumerate(problem.slots) if d == day], "a day")
    check(problem.weekly_rules, extremes(lambda options: options.weekly),
          range(len(problem.slots)), "over the plan")
    rule_set = problem.rule_set
    if rule_set.plants_hard:
        reachable = most_reachable(
            [problem.options[meal].food[problem.allowed[slot]]
             for slot, (_day, meal) in enumerate(problem.slots)], problem.plant)
        if reachable < rule_set.plants_target:
            requirement = rule_set.requirement(PLANTS)
            rule = Rule(PLANTS, low=rule_set.plants_target, unit=requirement.unit)
            found[PLANTS] = Unreachable(PLANTS, True, reachable, rule, "over the plan")
    return list(found.values())


@dataclass
class ShortWithRepeats:
    """A daily minimum the week cannot reach with each dish served at most `max_repeats`
    times: proven by the most the week's meals can add up to (each dish's best portion, as
    often as the limit and its meals allow), against the days times the daily minimum."""

    key: str
    rule: Rule
    max_repeats: int
    week_most: float  # model units, the whole plan
    needed: float  # model units, the whole plan
    days: int
    repeats_needed: int | None  # the least limit that leaves the total within reach

    def per_day(self) -> float:
        """The most a day could average, in the rule's unit (each day counted up to the
        minimum)."""
        return self.week_most / self.days / self.rule.per_unit


def _week_most(problem: WeekProblem, column: int, max_repeats: int, cap: float) -> float:
    """The most the plan's meals can add up to in one daily column with each dish at most
    `max_repeats` times, each meal counted up to `cap` (the daily minimum: what a day has
    beyond it cannot help another day): every dish at its best allowed portion, as many times
    as the limit and the meals it may fill allow, the largest first (a bound: which meal takes
    which dish is left free). A plan meeting the minimum every day needs the sum of the days'
    minimums."""
    best = np.full(len(problem.recipes), -np.inf)
    meals = np.zeros(len(problem.recipes), dtype=np.int64)
    for slot, (_day, meal) in enumerate(problem.slots):
        options = problem.options[meal]
        rows = problem.allowed[slot]
        values = options.daily[rows, column].astype(np.float64)
        recipes = options.recipe[rows]
        here = np.full(len(problem.recipes), -np.inf)
        np.maximum.at(here, recipes, values)
        reached = here > -np.inf
        meals += reached
        best = np.maximum(best, here)
    counts = np.minimum(meals, max_repeats)
    values = np.repeat(best[counts > 0], counts[counts > 0])
    top = np.sort(np.minimum(values, cap))[::-1][:len(problem.slots)]
    return float(np.maximum(top, 0).sum())


def short_with_repeats(problem: WeekProblem) -> list[ShortWithRepeats]:
    """Daily minimums the variety limit puts out of reach (none of them out of reach alone:
    unreachable_rules comes first)."""
    limit = problem.rule_set.variety.max_repeats
    day_list = sorted({day for day, _meal in problem.slots})
    days = len(day_list)
    found = []
    for column, rule in enumerate(problem.daily_rules):
        if rule.low == -math.inf or not rule.unit or rule.low <= 0:
            continue
        needed = sum(problem.daily_rules_on(day)[column].low for day in day_list)
        cap = max(problem.daily_rules_on(day)[column].low for day in day_list)
        most = _week_most(problem, column, limit, cap)
        if most >= needed:
            continue
        repeats = next((r for r in range(limit + 1, len(problem.slots) + 1)
                        if _week_most(problem, column, r, cap) >= needed), None)
        found.append(ShortWithRepeats(rule.key, rule, limit, most, needed, days, repeats))
    return found


NEIGHBOURHOOD_SIZE = 6  # best alternatives per meal CP-SAT may choose among (solve.polish)


def neighbourhood(problem: WeekProblem, result: SearchResult,
                  size: int = NEIGHBOURHOOD_SIZE) -> dict[tuple[int, str], set[tuple[str, int]]]:
    """Per slot: the plan's own (dish, portion) and the `size` best alternatives to it."""
    chosen = {(day, slot): (rid, q) for day, slot, rid, q in result.meals}
    return {
        (day, slot): {problem.options[slot].keys[o] for o in result.ranking[i][:size]}
        | {chosen[day, slot]}
        for i, (day, slot) in enumerate(problem.slots)
    }
