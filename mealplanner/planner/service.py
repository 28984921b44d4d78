"""Plan, swap and re-plan: the whole flow from a typed request to a document or explanation."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from mealplanner.catalog.store import Catalog
from mealplanner.checker import check_plan
from mealplanner.planner.candidates import build_candidates
from mealplanner.planner.explain import (
    explain_budget,
    explain_empty_slots,
    explain_infeasible,
    explain_unreachable,
)
from mealplanner.planner.report import plan_document
from mealplanner.planner.request import LockedMeal, PlanRequest
from mealplanner.planner.search import (
    build_problem,
    neighbourhood,
    search_week,
    unreachable_rules,
)
from mealplanner.planner.solve import (
    FAVORITE_BONUS,
    WEIGHTS,
    SolveSettings,
    add_hint,
    build_model,
    polish,
    requirements_broken_by,
    solve_model,
)
from mealplanner.planner.targets import resolve_targets

# Local-search perturbation rounds per second of the request's time limit. One round costs
# about 10 ms on the reference 2-core machine (bench/README.md), so the search takes about a
# tenth of the limit; the limit stays a cap for the rarer CP-SAT path below.
KICKS_PER_SECOND = 12
# A request with at most this many (meal, dish, portion) choices left open (a swap: one meal
# free) is polished on its whole model, where CP-SAT can prove the plan optimal; a week is
# polished on the search plan's neighbourhood.
COMPLETE_MODEL_OPTIONS = 1000


class PlanCheckError(RuntimeError):
    """The independent checker found a broken rule in a solved plan (a bug, never shown)."""


@dataclass
class PlanOutcome:
    ok: bool
    document: dict[str, Any]


def make_plan(
    request: PlanRequest,
    catalog: Catalog,
    settings: SolveSettings | None = None,
    locked: list[LockedMeal] = (),
    forbidden: list[tuple[int, str, str]] = (),
) -> PlanOutcome:
    """Solve the request; a plan that passes the checker, or the explanation why none exists.

    1. Cheap impossibilities, proven before any search: a meal with no dish left, a rule no
       choice of dishes can meet (explain.py).
    2. Local search over the whole week (search.py) finds a plan meeting every rule in a
       fraction of a second; CP-SAT then optimises over the best alternatives for each meal,
       every requirement enforced (solve.polish).
    3. A plan that misses only the budget: the cheapest plan found is the explanation.
    4. Anything else goes to CP-SAT on the full weekly model, started from the search's plan,
       and to the relaxation-based explanation when it finds no plan either.
    """
    started = time.perf_counter()
    settings = settings or SolveSettings(time_limit_seconds=request.time_limit_seconds)
    candidates = build_candidates(request, catalog)
    targets = resolve_targets(request, catalog.rules)
    model_args = dict(catalog=catalog, candidates=candidates, targets=targets,
                      locked=list(locked), forbidden=list(forbidden))
    problem = build_problem(request, catalog, candidates, targets, WEIGHTS, FAVORITE_BONUS,
                            list(locked), list(forbidden))
    empty = explain_empty_slots(
        request, candidates,
        [slot for slot, rows in zip(problem.slots, problem.allowed, strict=True) if not len(rows)],
    )
    if empty:
        return PlanOutcome(False, empty.as_document())
    labels = build_model(request, allowed={}, **model_args)
    unreachable = unreachable_rules(problem)
    if unreachable:
        return PlanOutcome(False, explain_unreachable(request, labels, unreachable).as_document())

    kicks = max(1, round(KICKS_PER_SECOND * settings.time_limit_seconds))
    found = search_week(problem, kicks=kicks)
    if not found.broken:
        complete = problem.free_options() <= COMPLETE_MODEL_OPTIONS
        allowed = None if complete else neighbourhood(problem, found)
        pm = build_model(request, allowed=allowed, **model_args)
        solution = polish(pm, found.meals, found.objective, settings, complete=complete)
        if solution.meals:
            solution.figures.wall_seconds = round(time.perf_counter() - started, 3)
            return PlanOutcome(True, _checked_document(solution, request, catalog))
    if found.broken == ["budget"]:
        explanation = explain_budget(request, labels, found.cost_cents)
        return PlanOutcome(False, explanation.as_document())

    pm = build_model(request, **model_args)
    broken = requirements_broken_by(pm, found.meals, settings)
    add_hint(pm, found.meals)
    solution = solve_model(pm, settings, repair_hint=bool(broken))
    if solution.meals:
        solution.figures.wall_seconds = round(time.perf_counter() - started, 3)
        return PlanOutcome(True, _checked_document(solution, request, catalog))
    proven = solution.figures.status == "infeasible"
    explanation = explain_infeasible(request, settings, proven, found.meals, broken,
                                     **model_args)
    if explanation.found_meals:
        solution.meals = explanation.found_meals
        solution.figures.status = "feasible"
        solution.figures.wall_seconds = round(time.perf_counter() - started, 3)
        return PlanOutcome(True, _checked_document(solution, request, catalog))
    return PlanOutcome(False, explanation.as_document())


def meals_of(document: dict[str, Any]) -> list[LockedMeal]:
    return [
        LockedMeal(day["day"], meal["slot"], meal["recipe_id"], meal["portion"])
        for day in document["days"] for meal in day["meals"]
    ]


def swap_meal(
    request: PlanRequest, document: dict[str, Any], day: int, slot: str, catalog: Catalog
) -> PlanOutcome:
    """Replace one meal by the best alternative; every other meal stays as it is."""
    current = [m for m in meals_of(document) if (m.day, m.slot) == (day, slot)]
    if not current:
        raise ValueError(f"the plan has no {slot} on day {day}")
    locked = [m for m in meals_of(document) if (m.day, m.slot) != (day, slot)]
    outcome = make_plan(request, catalog, locked=locked,
                        forbidden=[(day, slot, current[0].recipe_id)])
    if not outcome.ok and outcome.document.get("reason") == "conflict":
        # say it in the terms of the swap: the other meals stay, so this is about one meal
        outcome.document["message"] = (
            f"No other {slot} on day {day} keeps every requirement with the rest of the plan "
            f"as it is. " + outcome.document["message"])
    return outcome


def regenerate(
    request: PlanRequest, document: dict[str, Any], keep: list[tuple[int, str]],
    catalog: Catalog,
) -> PlanOutcome:
    """Keep the chosen meals and re-solve the rest."""
    wanted = set(keep)
    locked = [m for m in meals_of(document) if (m.day, m.slot) in wanted]
    return make_plan(request, catalog, locked=locked)


def _checked_document(solution, request: PlanRequest, catalog: Catalog) -> dict[str, Any]:
    """The plan document, verified by the independent checker before anyone sees it."""
    document = plan_document(solution, request)
    problems = check_plan(document, request, catalog)
    if problems:
        raise PlanCheckError("; ".join(problems))
    document["check"] = {"passed": True, "rules_checked": "all hard rules"}
    return document
