"""The meals of the relaxation: one share in [0, 1] per (group of days, meal, dish and
portion), and every rule that sums what the meals hold.

Days that offer the same dishes for every meal are one group (a week without locked meals is
a single group of seven days): a group's share of an option is the average, over its days, of
the plan's choice. Every row below is an average or a sum of rows the plan meets day by day,
so any plan's averages meet them all and the minimum is a floor. Weighing a day's distance from
the energy target by the group's days is a floor too: the distance of the average is at most
the average distance. The per-day rows of the integer model are worked out by the same
integer arithmetic (search/problem.py's columns, from units.integer_bounds).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from mealplanner.planner.floor.lp import INF, SparseLP
from mealplanner.planner.floor.portions import Segments, segments
from mealplanner.planner.objective import (
    ENERGY_DISTANCE,
    FAVORITE_BONUS,
    NUTRIENTS_SHORT,
    WEIGHTS,
    soft_penalty,
)
from mealplanner.planner.search.problem import WeekProblem
from mealplanner.rules.requirements import BUDGET


@dataclass(frozen=True)
class Share:
    """The shares of one meal in one group of days: two columns per dish it may take (its
    smallest and largest portion allowed: portions.py), or one for a single portion."""

    group: int
    meal: str
    segments: Segments
    columns: np.ndarray  # programme columns, one per segment end
    recipe: np.ndarray  # per column, index into problem.recipes

    def values(self, matrix: np.ndarray, above) -> np.ndarray:
        """Per column, the dish's line through matrix's rows for its options: above every
        portion's value where `above` (per matrix column, or for all), else below."""
        rows = matrix[self.segments.options]
        over = self.segments.line(rows, True)
        if above is True:
            return over
        under = self.segments.line(rows, False)
        return under if above is False else np.where(above, over, under)


@dataclass
class Week:
    problem: WeekProblem
    groups: list[tuple[int, ...]]  # the days of each group
    shares: list[Share]
    budget_rows: list[int]  # rows on the money a budget limits (left out of the cost floor)
    served: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    # the rows each requirement adds, by its key (what dropping it from the relaxation frees)
    rule_rows: dict[str, list[int]] = field(default_factory=dict)

    def tag(self, key: str, rows) -> None:
        self.rule_rows.setdefault(key, []).extend(int(r) for r in np.ravel(rows))

    def days_in(self, share: Share) -> int:
        return len(self.groups[share.group])

    def need(self, share: Share) -> np.ndarray:
        """(columns, foods): household grams x quarters at each column's portion (exact:
        grams are linear in the portion)."""
        ends = share.segments
        return self.problem.options[share.meal].food[ends.options[ends.ends]]


def day_groups(problem: WeekProblem, allowed: list[np.ndarray]) -> list[list[int]]:
    """Slot indices per group: days whose meals offer the same options under the same
    daily rules are grouped (a day with the person's exception is a group of its own)."""
    by_day: dict[int, list[int]] = {}
    for index, (day, _meal) in enumerate(problem.slots):
        by_day.setdefault(day, []).append(index)
    groups: dict[tuple, list[int]] = {}
    for day, slots in sorted(by_day.items()):
        key = (tuple((problem.slots[s][1], allowed[s].tobytes()) for s in slots),
               day if day in problem.excepted_days else None)
        groups.setdefault(key, []).append(day)
    return list(groups.values())


def add_meals(lp: SparseLP, problem: WeekProblem, allowed: list[np.ndarray]) -> Week:
    """Shares, exactly one dish per meal, and the objective's bonus for favourites."""
    slot_of = {slot: i for i, slot in enumerate(problem.slots)}
    groups = [tuple(days) for days in day_groups(problem, allowed)]
    quarters = {meal: np.array([q for _rid, q in opts.keys], dtype=np.int64)
                for meal, opts in problem.options.items()}
    shares = []
    for g, days in enumerate(groups):
        for meal in problem.request.meals:
            opts = problem.options[meal]
            ends = segments(allowed[slot_of[days[0], meal]], opts.recipe, quarters[meal])
            columns = lp.add_columns(ends.columns, 0.0, 1.0)
            row = lp.add_rows(1, 1.0, 1.0)
            lp.add_terms(np.repeat(row, len(columns)), columns, 1.0)
            share = Share(g, meal, ends, columns, opts.recipe[ends.options][ends.ends])
            favorite = opts.favorite[ends.options][ends.ends]
            lp.add_objective("objective", columns[favorite], -FAVORITE_BONUS * len(days))
            shares.append(share)
    return Week(problem, groups, shares, [])


def _sums(lp: SparseLP, week: Week, rows_of_group, matrix_of, above, by_days: bool) -> None:
    """Add each share's values of matrix_of(share) (minimums read above, caps below) to
    rows_of_group(group), times the group's days when by_days."""
    for share in week.shares:
        values = share.values(matrix_of(share), above)
        if by_days:
            values = values * week.days_in(share)
        rows = rows_of_group(share.group)
        column, rule = np.nonzero(values)
        lp.add_terms(rows[rule], share.columns[column], values[column, rule])


def add_linear_rules(lp: SparseLP, week: Week) -> None:
    """Each bound of every linear requirement: per group of days (the average day meets
    what every day meets) and over the plan."""
    problem = week.problem
    daily, weekly = problem.daily_rules, problem.weekly_rules
    lows = np.array([r.low for r in daily]), np.array([r.low for r in weekly])
    highs = np.array([r.high for r in daily]), np.array([r.high for r in weekly])
    per_group = []
    for days in week.groups:  # a group's days hold the same daily rules
        rules = problem.daily_rules_on(days[0])
        per_group.append(lp.add_rows(len(daily), np.array([r.low for r in rules]),
                                     np.array([r.high for r in rules])))
    _sums(lp, week, lambda g: per_group[g], lambda s: problem.options[s.meal].daily,
          np.isfinite(lows[0]), False)
    plan = lp.add_rows(len(weekly), lows[1], highs[1])
    _sums(lp, week, lambda g: plan, lambda s: problem.options[s.meal].weekly,
          np.isfinite(lows[1]), True)
    week.budget_rows += [int(rows[i]) for rows in per_group
                         for i, r in enumerate(daily) if r.key == BUDGET]
    week.budget_rows += [int(plan[i]) for i, r in enumerate(weekly) if r.key == BUDGET]
    for rows in per_group:
        for i, rule in enumerate(daily):
            week.tag(rule.key, rows[i])
    for i, rule in enumerate(weekly):
        week.tag(rule.key, plan[i])


def add_day_penalties(lp: SparseLP, week: Week) -> None:
    """Distance from the energy target and fibre above this week's step, per group: each
    group's average day, weighted by its days."""
    problem = week.problem
    target = problem.rule_set.energy_target
    energy = problem.energy_column
    soft = [(i, r.soft_high) for i, r in enumerate(problem.daily_rules)
            if r.soft_high is not None]
    for g, days in enumerate(week.groups):
        distance = lp.add_columns(1)
        lp.add_objective("objective", distance, WEIGHTS[ENERGY_DISTANCE] * len(days))
        # distance >= target - day (the day read above), >= day - target (read below)
        _day_row(lp, week, g, energy, distance, 1.0, target, INF, True)
        _day_row(lp, week, g, energy, distance, -1.0, -INF, target, False)
        for column, level in soft:
            above = lp.add_columns(1)
            weight = WEIGHTS[soft_penalty(problem.daily_rules[column].key)]
            lp.add_objective("objective", above, weight * len(days))
            _day_row(lp, week, g, column, above, -1.0, -INF, level, False)  # >= day - level


def _day_row(lp: SparseLP, week: Week, group: int, column: int, helper, helper_weight: float,
             lower: float, upper: float, above: bool) -> None:
    """One row: the group's day sum of a daily column + helper_weight x helper, within
    [lower, upper]."""
    problem = week.problem
    row = lp.add_rows(1, lower, upper)
    for share in week.shares:
        if share.group == group:
            values = share.values(problem.options[share.meal].daily[:, column], above)
            lp.add_terms(np.repeat(row, len(values)), share.columns, values)
    lp.add_terms(row, helper, helper_weight)


def add_soft_minimums(lp: SparseLP, week: Week) -> None:
    """Weekly nutrient targets: shortfall >= target - what the plan holds."""
    problem = week.problem
    count = len(problem.soft_low)
    if not count:
        return
    short = lp.add_columns(count, 0.0, problem.soft_low)
    lp.add_objective("objective", short, WEIGHTS[NUTRIENTS_SHORT] * problem.soft_per_unit)
    rows = lp.add_rows(count, problem.soft_low, INF)  # total + short >= low
    lp.add_terms(rows, short, 1.0)
    _sums(lp, week, lambda g: rows, lambda s: problem.options[s.meal].soft, True, True)
