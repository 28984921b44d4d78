"""A swap's exception: the daily rule that blocks the chosen dish, loosened on the swap's day
and kept in the plan's request (rules/day_exceptions.py says what an exception may be)."""

from __future__ import annotations

from dataclasses import replace

from mealplanner.planner.candidates import RequestError
from mealplanner.planner.prepared import prepare
from mealplanner.planner.request import DayException, PlanRequest
from mealplanner.plans.catalog import current_catalog
from mealplanner.rules.day_exceptions import exception_problem


def with_day_exception(request: PlanRequest, day: int,
                       day_exception: dict | None) -> PlanRequest:
    """The request with the rule loosened on `day` (replacing an earlier exception to the same
    rule that day), checked against the rule set: RequestError naming `day_exception.<name>`."""
    if day_exception is None:
        return request
    exception = DayException(day, day_exception["requirement"], day_exception.get("min"),
                             day_exception.get("max"))
    kept = tuple(e for e in request.day_exceptions
                 if (e.day, e.requirement) != (day, exception.requirement))
    changed = replace(request, day_exceptions=(*kept, exception))
    try:
        prepared = prepare(changed, current_catalog())
    except RequestError as error:
        if not error.field.startswith("day_exceptions."):
            raise
        name = error.field.rsplit(".", 1)[1]
        raise RequestError(f"day_exception.{name}", error.message) from error
    # the one the person asks for now must loosen the rule (a moot one would change nothing)
    problem = exception_problem(list(prepared.rule_set.requirements), exception, changed.days)
    if problem is not None:
        raise RequestError(f"day_exception.{problem[0]}", problem[1])
    return changed
