"""A meal type's arrays that the local search's score (state.WeekSearch.slot_scores) reads
whole, laid out once per request: its package uses grouped by (food, grams) pair, with each
day's purchase columns, and the option columns read on every look (energy, the capped daily
columns, the favourite bonus)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mealplanner.planner.families import packages
from mealplanner.planner.objective import FAVORITE_BONUS


@dataclass(frozen=True)
class MealFigures:
    """Columns of a meal type's options the score reads whole: energy, the capped daily
    columns, and each option's favourite bonus."""

    energy: np.ndarray
    capped: list[np.ndarray]
    favourite_bonus: np.ndarray

    @classmethod
    def of(cls, options, energy_column: int, capped_columns: list[int]) -> MealFigures:
        return cls(np.ascontiguousarray(options.daily[:, energy_column]),
                   [np.ascontiguousarray(options.daily[:, c]) for c in capped_columns],
                   FAVORITE_BONUS * options.favorite)


@dataclass(frozen=True)
class FoodPairs:
    """A meal type's uses (option, food, grams) grouped into distinct (food, grams) pairs:
    what a use adds to the plan's packages depends only on its food's purchase column and its
    grams, and a food buys from one column on a given day, so the pairs are the same every
    day (a quarter to a third as many as the uses)."""

    option: np.ndarray  # per use: the option (sorted)
    pair: np.ndarray  # per use: its (food, grams) pair
    pair_food: np.ndarray  # per pair
    pair_qg: np.ndarray  # per pair: household grams x quarters
    # per option: where its uses start, when every option has some (sums by segment, faster
    # than by index); None otherwise
    option_start: np.ndarray | None


@dataclass(frozen=True)
class MealUses:
    """A meal type's uses on one day (its FoodPairs), each pair with the purchase column its
    food buys from that day, and per pair that column's pantry, package size, package price
    and objective weights."""

    pairs: FoodPairs
    pair_column: np.ndarray  # per pair: its food's purchase column on this day
    pair_pantry: np.ndarray
    pair_package: np.ndarray
    unit_cents: np.ndarray
    # objective units per package bought and per grams x quarter missing (the credit for
    # what is left of the packages: package x packs - missing), per pair
    per_pack: np.ndarray
    per_missing: np.ndarray

    def per_option(self, per_pair: np.ndarray, options: int) -> np.ndarray:
        """Per option, the sum over its uses of their pair's figure (whole numbers: exact in
        any order)."""
        pairs = self.pairs
        per_use = per_pair[pairs.pair]
        if pairs.option_start is not None:
            return np.add.reduceat(per_use, pairs.option_start)
        return np.bincount(pairs.option, per_use, minlength=options)


def use_columns(problem, day: int, meal: str) -> MealUses:
    """A meal type's uses on a day (MealUses), from the week's purchase columns; kept with the
    problem for every search of it, the (food, grams) pairs once per meal type."""
    uses = problem.meal_uses.get((day, meal))
    if uses is None:
        pairs = problem.meal_uses.get(meal)
        if pairs is None:
            pairs = problem.meal_uses[meal] = food_pairs(problem.options[meal])
        uses = problem.meal_uses[day, meal] = _meal_uses(
            problem, pairs, problem.day_columns[day - 1][pairs.pair_food])
    return uses


def food_pairs(options) -> FoodPairs:
    """A meal type's uses grouped into distinct (food, grams) pairs."""
    span = int(options.use_qg.max(initial=0)) + 1  # one whole number per (food, grams)
    keys, pair = np.unique(options.use_food * span + options.use_qg, return_inverse=True)
    start = options.use_start
    every = len(start) > 1 and bool((start[1:] > start[:-1]).all())
    return FoodPairs(option=options.use_option, pair=pair.reshape(-1),
                     pair_food=keys // span, pair_qg=keys % span,
                     option_start=start[:-1] if every else None)


def _meal_uses(problem, pairs: FoodPairs, column: np.ndarray) -> MealUses:
    unit, credit = problem.unit_cents[column], problem.credit_qg[column]
    package = problem.package_qg[column]
    per_pack, per_missing = packages.objective_per_use(unit, credit, package)
    return MealUses(
        pairs=pairs, pair_column=column, pair_pantry=problem.pantry_qg[column],
        pair_package=package, unit_cents=unit, per_pack=per_pack, per_missing=per_missing,
    )
