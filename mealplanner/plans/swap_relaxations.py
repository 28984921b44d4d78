"""What a blocked swap offers to relax so the chosen dish fits, kept in the plan's request: the
daily rule that blocks it, loosened on the swap's day (rules/day_exceptions.py says what an
exception may be), or the weekly budget, raised to what the shopping then costs."""

from __future__ import annotations

from dataclasses import dataclass, replace

from mealplanner.planner.candidates import RequestError
from mealplanner.planner.prepared import prepare
from mealplanner.planner.request import DayException, PlanRequest
from mealplanner.plans.catalog import current_catalog
from mealplanner.rules.day_exceptions import exception_problem


@dataclass(frozen=True)
class Relaxation:
    """What the person relaxes to make a blocked swap (a blocker's `relax_swap`): a daily rule
    on the swap's day ({"requirement", "min" or "max"}), or the weekly budget (its new
    amount). None of either: the swap keeps every rule as it is."""

    day_exception: dict | None = None
    budget: float | None = None

    def applied(self, request: PlanRequest, day: int) -> PlanRequest:
        """The request the swap is made under; RequestError naming the field it cannot take."""
        return with_raised_budget(with_day_exception(request, day, self.day_exception),
                                  self.budget)

    @property
    def asked(self) -> bool:
        return self.day_exception is not None or self.budget is not None


NONE = Relaxation()

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


def with_raised_budget(request: PlanRequest, amount: float | None) -> PlanRequest:
    """The request with its weekly budget raised to `amount`; RequestError naming `budget`
    for a plan without a budget or an amount that does not raise it."""
    if amount is None:
        return request
    if request.budget is None:
        raise RequestError("budget", "this plan has no budget to raise")
    if amount <= request.budget.amount:
        raise RequestError("budget", f"must be above the plan's weekly budget of "
                                     f"{request.budget.amount:.2f}")
    return replace(request, budget=replace(request.budget, amount=amount))
