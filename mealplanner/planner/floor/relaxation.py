"""The relaxation of one request, built once and solved for the objective with every
requirement, the budget too, and, where a checkout budget asks for it, for the checkout cost
with no budget (what the cheapest plan could cost). Worked out once per prepared request, from
the arrays the local search uses.

A plan's floor is worked out on a thread of its own while the local search runs (start_floor):
GLOP lets go of the interpreter while it solves (lp.solve), so on two cores the solves cost
the request next to nothing; only building the programme shares the interpreter."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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
               problem: WeekProblem | None = None, with_cost: bool = True,
               on_cost: Callable[[float | None], None] | None = None) -> Floor:
    """The floors over every option the request allows (`allowed`: only these (dish,
    portion) choices per meal, as cpsat/model.add_choice_variables reads it). `with_cost`:
    solve for the cost floor too (a second solve, as long as the first), first, and tell
    `on_cost` as soon as it is known."""
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
        if on_cost is not None:
            on_cost(_whole(cost.value))
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


def shared_problem(prepared) -> WeekProblem:
    """The arrays share_problem kept for the request, else built now."""
    return vars(prepared).get("_floor_problem") or prepared.problem()


class _FloorWork(threading.Thread):
    """plan_floor over every option on a thread of its own; the cost floor is told apart as
    soon as it is known (a budget below it needs no search)."""

    def __init__(self, prepared, problem: WeekProblem, with_cost: bool) -> None:
        super().__init__(name="plan-floor", daemon=True)
        self.prepared, self.problem, self.with_cost = prepared, problem, with_cost
        self.cost_known = threading.Event()
        self.cost_cents: float | None = None
        self.floor: Floor | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.floor = plan_floor(self.prepared, problem=self.problem,
                                    with_cost=self.with_cost, on_cost=self._cost)
        except BaseException as error:  # handed to whoever asks for the floor
            self.error = error
        finally:
            self.cost_known.set()

    def _cost(self, cents: float | None) -> None:
        self.cost_cents = cents
        self.cost_known.set()

    def result(self) -> Floor:
        self.join()
        if self.error is not None:
            raise self.error
        return self.floor


def start_floor(prepared, problem: WeekProblem) -> None:
    """Start working out the request's floors (floor_of's) beside the rest of planning; the
    first floor_of or cost_floor_cents then waits for them."""
    cache = vars(prepared)
    if "_floor" in cache or "_floor_work" in cache:
        return
    work = _FloorWork(prepared, problem, prepared.rule_set.budget_cents is not None)
    cache["_floor_work"] = work
    work.start()


@contextmanager
def floor_finished(prepared) -> Iterator[None]:
    """A floor started in the block (start_floor) is done by the block's end, used or not: a
    process that exits right after a request must not stop GLOP in the middle of a solve."""
    try:
        yield
    finally:
        work = vars(prepared).get("_floor_work")
        if work is not None:
            work.join()


def floor_of(prepared, with_cost: bool | None = None) -> Floor:
    """plan_floor over every option, once per prepared request. The cost floor (a second
    solve, as long as the first: every plan pays for its floor in time) only where a checkout
    budget needs it, or when asked for (`with_cost`)."""
    cache = vars(prepared)
    if with_cost is None:
        with_cost = prepared.rule_set.budget_cents is not None
    work = cache.pop("_floor_work", None)
    if work is not None:
        cache["_floor"], cache["_floor_with_cost"] = work.result(), work.with_cost
    found = cache.get("_floor")
    if found is None or (with_cost and not cache.get("_floor_with_cost")):
        problem = shared_problem(prepared)
        found = plan_floor(prepared, problem=problem, with_cost=with_cost)
        cache["_floor"], cache["_floor_with_cost"] = found, with_cost
    return found


def cost_floor_cents(prepared) -> float | None:
    """The least checkout cost of any plan for the request, ignoring its budget (None when
    not proven); worked out once per prepared request."""
    work = vars(prepared).get("_floor_work")
    if work is not None and work.with_cost:
        work.cost_known.wait()
        if work.error is None:
            return work.cost_cents
    return floor_of(prepared, with_cost=True).cost_cents
