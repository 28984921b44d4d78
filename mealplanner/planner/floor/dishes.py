"""Dishes in the relaxation: whether each is served at all, and how often.

"Served at all" (a share in [0, 1] per dish, at least its share in any one meal) is what makes
the floor strong: a dish spread thinly over many meals still pays for its first packages in
full (packages.py) and for every serving past the first as a repeat. Each row holds for the
plan itself (served = 1 exactly when the dish is on it), so the minimum stays a floor.
"""

from __future__ import annotations

import math

import numpy as np

from mealplanner.planner.floor.choices import Week
from mealplanner.planner.floor.lp import INF, SparseLP
from mealplanner.planner.objective import REPEATS, WEIGHTS
from mealplanner.rules.requirements import VARIETY


def add_dishes(lp: SparseLP, week: Week) -> None:
    """Per dish: served in [0, 1]. Its servings over the plan are at most the repeats
    allowed times served (a dish not served has none), at most served in any one meal (implied
    by the first when a group has at least that many days) and, once a day, over a day's
    meals; with no identical meal on consecutive days, at most every other day."""
    problem = week.problem
    limits = problem.rule_set.variety
    count = len(problem.recipes)
    served = week.served = lp.add_columns(count, 0.0, 1.0)
    at_most = _servings_rows(lp, week, -INF, 0.0)  # servings - repeats x served <= 0
    lp.add_terms(at_most, served, -limits.max_repeats)
    week.tag(VARIETY, at_most)
    consecutive = math.ceil(problem.request.days / 2)  # the most days with no two in a row
    for meal in limits.no_consecutive_days:
        if consecutive < limits.max_repeats:
            rows = _servings_rows(lp, week, -INF, 0.0, meal)
            lp.add_terms(rows, served, -consecutive)
            week.tag(VARIETY, rows)
    for share in week.shares:
        if week.days_in(share) >= limits.max_repeats:
            continue
        dishes, place = np.unique(share.recipe, return_inverse=True)
        rows = lp.add_rows(len(dishes), 0.0, INF)  # served - share of the meal >= 0
        lp.add_terms(rows, served[dishes], 1.0)
        lp.add_terms(rows[place], share.columns, -1.0)
    if limits.once_a_day:
        _once_a_day(lp, week, served, limits.max_repeats)


def add_repeats(lp: SparseLP, week: Week) -> None:
    """The objective's repeats: per dish, at least its servings - served (0 when not served,
    servings - 1 when it is)."""
    count = len(week.problem.recipes)
    repeats = lp.add_columns(count)
    lp.add_objective("objective", repeats, WEIGHTS[REPEATS])
    rows = _servings_rows(lp, week, -INF, 0.0)  # servings - served - repeats <= 0
    lp.add_terms(np.tile(rows, 2), np.concatenate([week.served, repeats]),
                 np.repeat([-1.0, -1.0], count))


def _servings_rows(lp: SparseLP, week: Week, lower, upper, meal: str | None = None):
    """One row per dish holding its servings over the plan (of one meal, when given)."""
    rows = lp.add_rows(len(week.problem.recipes), lower, upper)
    for share in week.shares:
        if meal is None or share.meal == meal:
            lp.add_terms(rows[share.recipe], share.columns, week.days_in(share))
    return rows


def _once_a_day(lp: SparseLP, week: Week, served: np.ndarray, repeats: int) -> None:
    """A dish on more than one meal of a group's days: over a day's meals, at most served
    (implied by servings <= repeats x served in a group of at least `repeats` days)."""
    problem = week.problem
    for g in range(len(week.groups)):
        if len(week.groups[g]) >= repeats:
            continue
        shares = [s for s in week.shares if s.group == g]
        recipes = [s.recipe for s in shares]
        dishes, meals = np.unique(np.concatenate([np.unique(r) for r in recipes]),
                                  return_counts=True)
        several = dishes[meals > 1]
        if not len(several):
            continue
        rows = lp.add_rows(len(several), -INF, 0.0)
        lp.add_terms(rows, served[several], -1.0)
        week.tag(VARIETY, rows)
        place = np.full(len(problem.recipes), -1)
        place[several] = np.arange(len(several))
        for share, recipe in zip(shares, recipes, strict=True):
            keep = place[recipe] >= 0
            lp.add_terms(rows[place[recipe[keep]]], share.columns[keep], 1.0)
