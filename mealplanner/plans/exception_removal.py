"""Taking back an exception for a single day from a stored plan (one the person made when a
rule blocked a swap): the plan is then held to the rule on that day too. The meals stay when
the day already meets it; else that day is planned again, every other day kept
(planner/day_replan.py). When no dishes for that day can, nothing is stored and the outcome
says why, so the exception stays until the person changes a meal themselves.

Like a swap, it needs the owner token and honours the version the owner saw (service)."""

from __future__ import annotations

from dataclasses import replace

from mealplanner.planner.day_replan import replan_day
from mealplanner.planner.request import PlanRequest
from mealplanner.plans import service
from mealplanner.plans.capacity import planner_slot
from mealplanner.plans.catalog import current_catalog


class NoSuchException(LookupError):
    """The plan has no exception for this rule on this day."""

    def __init__(self, day: int, requirement: str) -> None:
        super().__init__(f"the plan has no exception for {requirement!r} on day {day}")
        self.day = day
        self.requirement = requirement


def without_exception(request: PlanRequest, day: int, requirement: str) -> PlanRequest:
    """The request without the exception; NoSuchException when it has none such."""
    kept = tuple(e for e in request.day_exceptions
                 if (e.day, e.requirement) != (day, requirement))
    if len(kept) == len(request.day_exceptions):
        raise NoSuchException(day, requirement)
    return replace(request, day_exceptions=kept)


def remove_day_exception(plan_id: str, day: int, requirement: str, *,
                         owner_token: str | None, version: int | None = None
                         ) -> tuple[str, dict]:
    """('ok', plan) with the exception gone, or the planner's (status, explanation) when that
    day cannot meet the rule with the rest of the week kept (nothing stored). NotPlanOwner,
    PlanChanged, PlanNotFound, NoSuchException."""
    request, document = service.owned_at_version(plan_id, owner_token, version)
    return _removed(plan_id, request, document, day, requirement)


def remove_exception_at_version(plan_id: str, version: int, day: int, requirement: str
                                ) -> tuple[str, dict]:
    """The removal a queued job makes: only to the plan as its owner saw it (`version`)."""
    request, document = service.at_version(plan_id, version)
    return _removed(plan_id, request, document, day, requirement)


def _removed(plan_id: str, request: PlanRequest, document: dict, day: int,
             requirement: str) -> tuple[str, dict]:
    changed = without_exception(request, day, requirement)
    with planner_slot():
        outcome = replan_day(changed, document, day, current_catalog())
    if not outcome.ok:
        return outcome.document["status"], service.with_suggestions(outcome, changed)
    return "ok", service.save_plan(changed, outcome.document, plan_id, document["version"])
