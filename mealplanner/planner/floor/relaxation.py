"""The relaxation of one request, built once and solved twice: for the checkout cost with no
budget (what the cheapest plan could cost) and for the objective with every requirement, the
budget too. The two solves run side by side (GLOP releases the interpreter while it works),
and the whole floor can start in the background as soon as the request's arrays exist, so it
is ready by the time the plan is."""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass

import numpy as np

from mealplanner.planner.floor import choices, dishes, packages
from mealplanner.planner.floor.lp import INF, Solved, SparseLP, solve
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
               problem: WeekProblem | None = None) -> Floor:
    """The floors over every option the request allows (`allowed`: only these (dish,
    portion) choices per meal, as cpsat/model.add_choice_variables reads it)."""
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
    cost_model = lp.proto(mark)
    for row in week.budget_rows:  # the cost floor is the cheapest plan at any budget
        cost_model.constraint[row].upper_bound = INF
    found: dict[str, Solved] = {}
    side = threading.Thread(target=lambda: found.update(cost=solve(
        cost_model, lp.objective_vector("cost"), 0.0, SOLVE_SECONDS)), name="cost-floor")
    side.start()
    objective = solve(lp.proto(), lp.objective_vector("objective"), lp.offset, SOLVE_SECONDS)
    side.join()
    cost = found.get("cost", Solved("unknown", None))
    if cost.status == "infeasible":
        objective = cost  # no plan at any price
    return Floor(_whole(cost.value), _whole(objective.value), objective.status,
                 round(time.perf_counter() - started, 4))


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


class _Pending:
    """plan_floor on a thread of its own; result() waits for it (and raises what it
    raised)."""

    def __init__(self, prepared, problem: WeekProblem) -> None:
        self.floor: Floor | None = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(prepared, problem),
                                       name="plan-floor", daemon=True)
        self.thread.start()

    def _run(self, prepared, problem: WeekProblem) -> None:
        try:
            self.floor = plan_floor(prepared, problem=problem)
        except BaseException as error:  # handed to whoever waits for the floor
            self.error = error

    def result(self) -> Floor:
        self.thread.join()
        if self.error is not None:
            raise self.error
        return self.floor


def start_floor(prepared, problem: WeekProblem) -> None:
    """Start working out the request's floors in the background (floor_of collects them)."""
    if "_floor" not in vars(prepared):
        vars(prepared)["_floor"] = _Pending(prepared, problem)


def floor_of(prepared) -> Floor:
    """plan_floor over every option, once per prepared request."""
    if "_floor" not in vars(prepared):
        start_floor(prepared, prepared.problem())
    return vars(prepared)["_floor"].result()


def cost_floor_cents(prepared) -> float | None:
    """The least checkout cost of any plan for the request, ignoring its budget (None when
    not proven); worked out once per prepared request."""
    return floor_of(prepared).cost_cents
