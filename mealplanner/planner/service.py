"""Plan, swap and re-plan: the whole flow from a typed request to a document or explanation."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from mealplanner.catalog.store import Catalog
from mealplanner.checker import check_plan
from mealplanner.planner.candidates import build_candidates
from mealplanner.planner.explain import explain_empty_slots, explain_infeasible
from mealplanner.planner.report import plan_document
from mealplanner.planner.request import LockedMeal, PlanRequest
from mealplanner.planner.solve import (
    SolveSettings,
    add_hint,
    build_model,
    favorite_hint,
    requirements_broken_by,
    solve_model,
)
from mealplanner.planner.targets import resolve_targets
from mealplanner.planner.warmstart import WorkClock, greedy_plan

MIN_WEEKLY_SECONDS = 1.0


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
    """Solve the request; a plan that passes the checker, or the explanation why none exists."""
    settings = settings or SolveSettings(time_limit_seconds=request.time_limit_seconds)
    candidates = build_candidates(request, catalog)
    targets = resolve_targets(request, catalog.rules)
    model_args = dict(catalog=catalog, candidates=candidates, targets=targets,
                      locked=list(locked), forbidden=list(forbidden))
    pm = build_model(request, **model_args)
    empty = explain_empty_slots(pm)
    if empty:
        return PlanOutcome(False, empty.as_document())
    # Start the weekly search from a plan built day by day (see warmstart.py); it gets the
    # rest of the time budget, counted in deterministic seconds so runs stay reproducible.
    clock = WorkClock()
    hint = greedy_plan(request, catalog, targets, candidates.pantry_g,
                       {s["rule"] for s in pm.skipped}, list(locked), list(forbidden), clock)
    broken = requirements_broken_by(pm, hint, settings) if hint else None
    if hint and broken is not None:
        add_hint(pm, hint)
    elif candidates.favorites:
        add_hint(pm, favorite_hint(pm))
    weekly = dataclasses.replace(
        settings,
        time_limit_seconds=max(MIN_WEEKLY_SECONDS, settings.time_limit_seconds - clock.seconds),
    )
    solution = solve_model(pm, weekly, repair_hint=bool(broken))
    if solution.meals:
        return PlanOutcome(True, _checked_document(solution, request, catalog))
    if hint and broken == []:
        # The weekly search ran out of time, but the day-by-day plan already meets everything.
        solution.meals = sorted(hint)
        solution.figures.status = "feasible"
        return PlanOutcome(True, _checked_document(solution, request, catalog))
    proven = solution.figures.status == "infeasible"
    explanation = explain_infeasible(request, settings, proven, hint, broken, **model_args)
    if explanation.found_meals:
        solution.meals = explanation.found_meals
        solution.figures.status = "feasible"
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
    return make_plan(request, catalog, locked=locked,
                     forbidden=[(day, slot, current[0].recipe_id)])


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
