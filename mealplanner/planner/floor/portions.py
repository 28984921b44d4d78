"""A dish's portions as a segment: two columns per dish and meal, its smallest and largest
portion allowed, instead of one per portion.

Any portion in between is a mix of the two ends. What a portion holds is nearly linear in the
portion (rounded per portion), so each rule reads a straight line through the dish's figures,
moved up just enough to lie above every portion's figure for what must reach a minimum, or
down below every figure for what stays under a cap (and below the whole packages a portion
needs). The plan's own portion then meets every row it meets in the model: the relaxation
stays a relaxation, with a fraction of the columns (and far fewer ties for the simplex).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Segments:
    """Options of one meal (rows of its MealOptions, grouped by dish, portions ascending)
    mapped to segment ends: `start[k]`, `end[k]` are dish k's first and last option."""

    options: np.ndarray
    quarters: np.ndarray  # per option
    start: np.ndarray
    end: np.ndarray
    ends: np.ndarray  # per column: the option it stands at (its dish's first or last)
    dish_of_column: np.ndarray  # per column: k

    @property
    def columns(self) -> int:
        return len(self.ends)

    def line(self, values: np.ndarray, above: bool) -> np.ndarray:
        """values (options, ...) as each column's value on its dish's line: above (or
        below) every option's own value."""
        q = self.quarters.astype(np.float64)
        first, last = values[self.start], values[self.end]
        spread = (q[self.end] - q[self.start])
        slope = np.zeros_like(first, dtype=np.float64)
        wide = spread > 0
        slope[wide] = ((last[wide] - first[wide]).T / spread[wide]).T
        dish = np.repeat(np.arange(len(self.start)), self.end - self.start + 1)
        offset = values - (slope[dish].T * q).T
        reduce = np.maximum if above else np.minimum
        level = reduce.reduceat(offset, self.start, axis=0)
        k = self.dish_of_column
        return (slope[k].T * q[self.ends]).T + level[k]


def segments(options: np.ndarray, recipe: np.ndarray, quarters: np.ndarray) -> Segments:
    """Segments of the allowed options (in MealOptions order: by dish, then portion)."""
    dish = recipe[options]
    starts = np.flatnonzero(np.r_[True, dish[1:] != dish[:-1]])
    ends = np.r_[starts[1:] - 1, len(dish) - 1]
    two = starts != ends
    dish_of_column = np.repeat(np.arange(len(starts)), np.where(two, 2, 1))
    at = np.stack([starts, ends], axis=1).ravel()
    column_ends = at[np.stack([np.ones(len(starts), dtype=bool), two], axis=1).ravel()]
    return Segments(options, quarters[options], starts, ends, column_ends, dish_of_column)
