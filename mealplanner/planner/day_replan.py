"""A plan held to its rules again on one day, after the person takes back their exception for
that day, changing as little as it can: the meals stay as they are when that day already meets
the rule; else one meal of that day changes (the best plan of those that change one); else
that day's meals are planned again. Every other day is kept, so the rest of the week the
person has seen does not move. When no dishes for that day keep every rule, the outcome is the
explanation of why (nothing changes)."""

from __future__ import annotations

from typing import Any

from mealplanner.catalog.store import Catalog
from mealplanner.planner.pipeline import make_plan, meals_of
from mealplanner.planner.prepared import PlanOutcome
from mealplanner.planner.request import PlanRequest


def replan_day(request: PlanRequest, document: dict[str, Any], day: int,
               catalog: Catalog) -> PlanOutcome:
    """The plan of `document` under `request` (which no longer has the day's exception)."""
    meals = meals_of(document)
    kept = make_plan(request, catalog, locked=meals, explain=False)
    if kept.ok:
        return kept
    best = None
    for free in [m for m in meals if m.day == day]:
        outcome = make_plan(request, catalog, locked=[m for m in meals if m is not free],
                            explain=False)
        if outcome.ok and (best is None or _objective(outcome) < _objective(best)):
            best = outcome
    if best is not None:
        return best
    return make_plan(request, catalog, locked=[m for m in meals if m.day != day])


def _objective(outcome: PlanOutcome) -> float:
    return outcome.document["solver"]["objective"]
