"""What a meal's options leave short of the bounds the plan must still reach, for every option
at once (the local search's inner loop, state.WeekSearch.slot_scores)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ByRule:
    """A meal type's values of some rules: one row per rule, one column per option (a rule's
    values side by side), and each rule's least value over the options."""

    values: np.ndarray
    least: np.ndarray


def by_rule(values: np.ndarray) -> ByRule:
    """From (options, rules) values."""
    return ByRule(np.ascontiguousarray(values.T), values.min(axis=0, initial=np.inf))


def shortfalls(room: np.ndarray, bounds: ByRule, violation_per_short: np.ndarray,
                objective_per_short: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Per option, what it leaves short of each bound (max(room - value, 0)), weighed into a
    violation and an objective. Only the bounds some option falls short of are worked out
    (room above their least value): for the others every term is 0, and most weekly rules and
    nutrient targets are there once the week is half planned."""
    short = np.flatnonzero(room > bounds.least)
    if not len(short):
        return np.zeros(n), np.zeros(n)
    amounts = room[short, None] - bounds.values[short]
    np.maximum(amounts, 0, out=amounts)
    return violation_per_short[short] @ amounts, objective_per_short[short] @ amounts
