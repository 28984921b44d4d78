"""The relaxation of one request, built once and solved for the objective with every
requirement, the budget too, and, where a checkout budget asks for it, for the checkout cost
with no budget (what the cheapest plan could cost). Worked out once per prepared request, from
the arrays the local search uses.

Both solves run on the calling thread: GLOP holds the interpreter while it works (measured:
a thread of its own stalls the rest of the request), so there is nothing to gain from one."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from mealplanner.planner.floor import choices, dishes, packages
from mealplanner.planner.floor.lp import INF, SparseLP, solve
from mealplanner.planner.search.problem import WeekProblem

# GLOP's own limit per solve: a safety net (a week's relaxation solves in a fraction of this).
SOLVE_SECONDS = 2.0


@dataclass(frozen=True)
class Floor:
    """The floors of one request. None: not proven (status says why); a relaxation with no
    solution proves that no plan meets the requirements (status "infeasible")."""

    cost_cents: float | None  # the least checkout cost of any plan, whole cents
    objective: float | None  # the least objective of any plan, in the model's units
    status: str  # of the objective's solve: optimal, infeasible, unknown
    seconds: float  # building and solving both


def plan_floor(prepared, allowed: dict[tuple[int, str], set[tuple[str, int]]] | None = None,
               problem: WeekProblem | None = None, with_cost: bool = True) -> Floor:
    """The floors over every option the request allows (`allowed`: only these (dish,
    portion) choices per meal, as cpsat/model.add_choice_variables reads it). `with_cost`:
    solve for the cost floor too (a second solve, as long as the first)."""
    started = time.perf_counter()
    problem = problem or prepared.problem()
    lp = SparseLP()
    # what the checkout cost depends on comes first: the cost floor is solved on it alone
    week = choices.add_meals(lp, problem, _allowed(problem, allowed))
    choices.add_linear_rules(lp, week)
    dishes.add_dishes(lp, week)
    packages.add_packages(lp, week)
    mark = lp.mark()
    choices.add_day_penalties(lp, week)
    choices.add_soft_minimums(lp, week)
    dishes.add_repeats(lp, week)
    cost = None
    if with_cost:
        cost_model = lp.proto(mark)
        for row in week.budget_rows:  # the cost floor is the cheapest plan at any budget
            cost_model.constraint[row].upper_bound = INF
        cost = solve(cost_model, lp.objective_vector("cost"), 0.0, SOLVE_SECONDS)
    if cost is not None and cost.status == "infeasible":
        objective = cost  # no plan at any price
    else:
        objective = solve(lp.proto(), lp.objective_vector("objective"), lp.offset,
                          SOLVE_SECONDS)
    return Floor(_whole(cost.value) if cost else None, _whole(objective.value),
                 objective.status, round(time.perf_counter() - started, 4))


def _whole(value: float | None) -> float | None:
    """Plans cost whole cents and score whole objective units: a floor rounds up."""
    return None if value is None else float(math.ceil(value))


def _allowed(problem: WeekProblem, allowed) -> list[np.ndarray]:
    if allowed is None:
        return problem.allowed
    narrowed = []
    for (day, meal), rows in zip(problem.slots, problem.allowed, strict=True):
        near = allowed.get((day, meal), set())
        keys = problem.options[meal].keys
        narrowed.append(np.array([r for r in rows.tolist() if keys[r] in near], dtype=np.int64))
    return narrowed


def share_problem(prepared, problem: WeekProblem) -> None:
    """The request's arrays, already built for the search: the floor reads the same ones."""
    vars(prepared)["_floor_problem"] = problem


def floor_of(prepared, with_cost: bool | None = None) -> Floor:
    """plan_floor over every option, once per prepared request. The cost floor (a second
    solve, as long as the first: every plan pays for its floor in time) only where a checkout
    budget needs it, or when asked for (`with_cost`)."""
    cache = vars(prepared)
    if with_cost is None:
        with_cost = prepared.rule_set.budget_cents is not None
    found = cache.get("_floor")
    if found is None or (with_cost and not cache.get("_floor_with_cost")):
        problem = cache.get("_floor_problem") or prepared.problem()
        found = plan_floor(prepared, problem=problem, with_cost=with_cost)
        cache["_floor"], cache["_floor_with_cost"] = found, with_cost
    return found


def cost_floor_cents(prepared) -> float | None:
    """The least checkout cost of any plan for the request, ignoring its budget (None when
    not proven); worked out once per prepared request."""
    return floor_of(prepared, with_cost=True).cost_cents
