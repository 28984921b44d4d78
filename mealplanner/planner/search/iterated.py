"""The week's plan in well under a second: iterated local search over one (dish, portion) per
meal, scored on the same rule set and objective as the CP-SAT model.

Why: CP-SAT needs seconds to find any plan from scratch on the weekly model (many daily sums
must land in narrow windows at once) and improves slowly from there, because the cost counts
whole packages: a package is only saved once the last meal using it changes. Here a move that
changes one meal is scored for every alternative dish and portion at once with whole-array
arithmetic (state.py), and three kinds of perturbation (moves.py: re-draw a few meals, stop
buying one food, serve a favourite) followed by descent explore the rest, with threshold
accepting. CP-SAT then confirms the plan against the model and optimises a neighbourhood of it
(cpsat/solve.polish); when the search cannot meet some rule, what it misses tells the
explanation where to look. Deterministic: fixed seed, fixed amounts of work; a clock only to
give up (a search checking a suggested fix within the explanation's time).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from mealplanner.planner.search import moves
from mealplanner.planner.search.problem import WeekProblem
from mealplanner.planner.search.state import WeekSearch
from mealplanner.rules.requirements import BUDGET

Meal = tuple[int, str, str, int]  # day, slot, recipe id, quarters


@dataclass
class SearchResult:
    meals: list[Meal]
    broken: list[str]  # requirement keys the plan misses ([] = meets every rule)
    objective: float
    cost_cents: int
    evaluations: int
    # per slot: option indices ranked best first at the final plan (neighbourhoods for CP-SAT)
    ranking: list[np.ndarray]


@dataclass
class GaveUp:
    """What a search stopped by its deadline had reached (filled in when it gives up): its
    best plan's missed requirements and checkout. Never a plan: a search the clock stopped
    proves nothing, but what it still missed says where a changed request falls short."""

    broken: list[str] | None = None
    cost_cents: int | None = None


KICKS = 60  # perturbation rounds after the first local optimum (a fixed amount of work)
EXTRA_KICKS = 120  # more rounds while the best plan still misses a rule (borderline budgets)
# A round may end on a plan up to 1% worse than the one it started from (falling to 0 by the
# last round), so the search can cross ridges; measured on the bench profiles: plans ~1%
# cheaper than accepting improvements only, for the same work.
ACCEPT_WORSE = 0.01


def search_week(problem: WeekProblem, kicks: int = KICKS, deadline: float | None = None,
                extra_kicks: int = EXTRA_KICKS, extra_for_budget: bool = True,
                before_extra: Callable[[list[str], list[Meal]], bool] | None = None,
                first_plan: bool = False, gave_up: GaveUp | None = None
                ) -> SearchResult | None:
    """Greedy fill, descent, then perturb-and-descend rounds (iterated local search with
    threshold accepting), keeping the best plan. `extra_for_budget=False`: no extra rounds
    when only the checkout budget is missed (the caller then searches for the cheapest plan
    instead: pipeline.make_plan). `before_extra(missed, meals)` is asked, with the best plan so
    far, before the extra rounds and stops the search when it answers True (a conflict proven,
    or a plan found, meanwhile). Past `deadline` (time.perf_counter()) the search gives up and
    returns None: a search that finishes is never changed by the clock.

    `first_plan`: the first plan meeting every rule ends the search (a check that a changed
    request has a plan). The rounds up to it are those of the whole search, whose best plan
    can only be better, so the request then planned in full gets a plan too (its extra rounds
    run unless before_extra has settled the question). `gave_up` is told what the best plan
    missed when the deadline stops the search."""
    if any(len(rows) == 0 for rows in problem.allowed):
        return None
    state = WeekSearch(problem)
    for slot in range(len(problem.slots)):
        moves.improve_slot(state, slot)
    moves.descend(state)
    best_choice, best_score = list(state.choice), state.score()
    current_choice, current_score = list(best_choice), best_score
    found_one = first_plan and not state.total()[2]
    perturbations = [moves.kick, moves.drop_food]
    if any(problem.options[meal].favorite.any() for meal in problem.options):
        perturbations.append(moves.place_favourite)
    kick, limit = 0, kicks
    while kick < limit and not found_one:
        # in turn: re-draw a few meals at random / stop buying one food / serve a favourite
        touched = perturbations[kick % len(perturbations)](state)
        moves.descend(state, touched)
        score = state.score()
        if score < best_score - 1e-6:
            best_choice, best_score = list(state.choice), score
            if first_plan and not state.total()[2]:
                break
        # go on from a slightly worse plan too, less and less so (threshold accepting)
        threshold = ACCEPT_WORSE * (1 - kick / limit) * abs(current_score)
        if score < current_score + threshold - 1e-6:
            current_choice, current_score = list(state.choice), score
        else:
            state.restore(current_choice)
        kick += 1
        if deadline is not None and time.perf_counter() > deadline:
            if gave_up is not None:
                state.restore(best_choice)
                gave_up.broken = state.total()[2]
                gave_up.cost_cents = int(state._cost(state.need))
            return None
        if kick == limit == kicks:
            state.restore(best_choice)
            current_choice, current_score = list(best_choice), best_score
            missed = state.total()[2]
            if missed and before_extra is not None and before_extra(missed, _meals(state)):
                break
            if missed and (extra_for_budget or missed != [BUDGET]):
                limit += extra_kicks  # a rule is still missed: try harder
    state.restore(best_choice)
    return _result(state)


def improve_from(problem: WeekProblem, meals: list[Meal]) -> SearchResult:
    """Descent from a given plan (one meal per slot, among the allowed options): a plan CP-SAT
    found where the search found none, made as cheap as the search's moves make it, and
    ranked for the polish like the search's own."""
    state = WeekSearch(problem)
    by_slot = {(day, meal): (rid, q) for day, meal, rid, q in meals}
    state.restore([problem.options[meal].index[by_slot[day, meal]]
                   for day, meal in problem.slots])
    return _result(state)


def _result(state: WeekSearch) -> SearchResult:
    """The plan after a last descent, as the pipeline takes it."""
    moves.descend(state)
    violation, objective, broken = state.total()
    return SearchResult(
        meals=_meals(state), broken=broken, objective=objective,
        cost_cents=int(state._cost(state.need)), evaluations=state.evaluations,
        ranking=ranking(state),
    )


def _meals(state: WeekSearch) -> list[Meal]:
    problem = state.p
    return sorted((day, meal, *problem.options[meal].keys[option])
                  for (day, meal), option in zip(problem.slots, state.choice, strict=True))


def ranking(state: WeekSearch) -> list[np.ndarray]:
    """Per slot, its options best first at the plan as it stands (CP-SAT's neighbourhoods)."""
    ranked = []
    for slot, rows in enumerate(state.p.allowed):
        violation, objective = state.slot_scores(slot, rows)
        ranked.append(rows[np.lexsort((objective, violation))])
    return ranked
