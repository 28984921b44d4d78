"""The relaxation as a proof: when no fractional week meets a set of requirements, no plan
does (every plan is a point of the relaxation), so that set cannot hold together.

The weekly CP-SAT core can take longer than an explanation has to prove a conflict that the
relaxation proves in a few hundredths of a second (a vegan week with live cultures, without
soy and sesame). The set is shrunk by deletion, one GLOP solve each, the requirements the
search missed kept longest. It is proven, not shown minimal: a smaller set could still have no
whole-number plan."""

from __future__ import annotations

import math
import time

import numpy as np

from mealplanner.planner.floor import choices, dishes, packages
from mealplanner.planner.floor.lp import INF, SparseLP, solve
from mealplanner.planner.floor.relaxation import shared_problem

SOLVE_SECONDS = 0.5  # GLOP's limit per solve; a week's relaxation takes hundredths
# the shrinking gets at least this long, past the deadline if need be: a set of twenty
# requirements named as a conflict helps nobody, and twenty solves take a quarter of a second
LEAST_SHRINK_SECONDS = 0.4


class RelaxedWeek:
    """The request's relaxation (every rule of the floor's, no objective), to ask which sets
    of its requirements it can meet."""

    def __init__(self, prepared) -> None:
        problem = shared_problem(prepared)
        lp = SparseLP()
        week = choices.add_meals(lp, problem, problem.allowed)
        choices.add_linear_rules(lp, week)
        dishes.add_dishes(lp, week)
        packages.add_packages(lp, week)
        self.model = lp.proto()
        self.zero = np.zeros(lp.columns)
        self.rows = week.rule_rows
        self.bounds = {row: (self.model.constraint[row].lower_bound,
                             self.model.constraint[row].upper_bound)
                       for found in self.rows.values() for row in found}

    @property
    def requirements(self) -> list[str]:
        return list(self.rows)

    def infeasible(self, kept: list[str], seconds: float = SOLVE_SECONDS) -> bool | None:
        """Whether the relaxation with only `kept` of the requirements has no solution (None:
        GLOP gave no answer in `seconds`)."""
        for key, found in self.rows.items():
            free = key not in kept
            for row in found:
                low, up = (-INF, INF) if free else self.bounds[row]
                constraint = self.model.constraint[row]
                constraint.lower_bound, constraint.upper_bound = low, up
        status = solve(self.model, self.zero, 0.0, seconds).status
        return None if status == "unknown" else status == "infeasible"


def relaxed_core(prepared, missed: list[str], deadline: float,
                 latest: float | None = None) -> list[str] | None:
    """A set of requirements whose relaxation has no solution, shrunk until `deadline` (and
    for LEAST_SHRINK_SECONDS at least, but never past `latest`, the request's own deadline):
    from the search's `missed` requirements alone when they suffice, else from every
    requirement; None when the whole relaxation has a solution (or GLOP gives no answer in
    time)."""
    latest = math.inf if latest is None else latest

    def infeasible(kept: list[str]) -> bool | None:
        return week.infeasible(kept, max(0.01, min(SOLVE_SECONDS,
                                                   latest - time.perf_counter())))

    week = RelaxedWeek(prepared)
    everything = week.requirements
    if not infeasible(everything):
        return None
    deadline = min(latest, max(deadline, time.perf_counter() + LEAST_SHRINK_SECONDS))
    first = [k for k in missed if k in everything]
    core = first if first and infeasible(first) else everything
    # the search's missed requirements last: the rules a person already sees as short
    for key in sorted(core, key=lambda k: (k in missed, core.index(k))):
        if len(core) == 1 or time.perf_counter() >= deadline:
            break
        rest = [k for k in core if k != key]
        if infeasible(rest):
            core = rest
    return core
