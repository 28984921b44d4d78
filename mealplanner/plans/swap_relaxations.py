"""What a blocked swap offers to relax so the chosen dish fits, kept in the plan's request: the
daily rule that blocks it, loosened on the swap's day (rules/day_exceptions.py says what an
exception may be), or the weekly budget, raised to what the shopping then costs."""

from __future__ import annotations

from dataclasses import dataclass, replace

from marshmallow import ValidationError

from mealplanner.formatting import money
from mealplanner.planner.candidates import RequestError
from mealplanner.planner.prepared import prepare
from mealplanner.planner.request import PlanRequest
from mealplanner.plans.catalog import current_catalog
from mealplanner.plans.day_exception_schema import DayExceptionSchema
from mealplanner.plans.schemas import BudgetSchema
from mealplanner.rules.day_exceptions import exception_problem


class RelaxationError(RequestError):
    """A relaxation the plan cannot take; `field` names it (`day_exception.<name>`,
    `budget`)."""


@dataclass(frozen=True)
class Relaxation:
    """What the person relaxes to make a blocked swap (a blocker's `relax_swap`): a daily rule
    on the swap's day ({"requirement", "min" or "max"}), or the weekly budget (its new
    amount). None of either: the swap keeps every rule as it is."""

    day_exception: dict | None = None
    budget: float | None = None

    def applied(self, request: PlanRequest, day: int) -> PlanRequest:
        """The request the swap is made under; RelaxationError naming the field it cannot
        take."""
        return with_raised_budget(with_day_exception(request, day, self.day_exception),
                                  self.budget)

    @property
    def asked(self) -> bool:
        return self.day_exception is not None or self.budget is not None


NO_RELAXATION = Relaxation()


def with_day_exception(request: PlanRequest, day: int,
                       day_exception: dict | None) -> PlanRequest:
    """The request with the rule loosened on `day`, checked as a request's own
    `day_exceptions` entry is (DayExceptionSchema) and against the rule set: RelaxationError
    naming `day_exception.<name>`. An earlier exception to the same rule that day keeps the
    side this one does not set (a window, as energy's, may be loosened on both)."""
    if day_exception is None:
        return request
    earlier = next((e for e in request.day_exceptions
                    if (e.day, e.requirement) == (day, day_exception.get("requirement"))), None)
    try:
        exception = DayExceptionSchema().load({"day": day, **day_exception})
    except ValidationError as error:
        name, messages = next(iter(error.normalized_messages().items()))
        raise RelaxationError(f"day_exception.{name}", " ".join(map(str, messages))) from None
    if earlier is not None:
        exception = replace(exception,
                            min=earlier.min if exception.min is None else exception.min,
                            max=earlier.max if exception.max is None else exception.max)
    kept = tuple(e for e in request.day_exceptions if e is not earlier)
    changed = replace(request, day_exceptions=(*kept, exception))
    try:
        prepared = prepare(changed, current_catalog())
    except RequestError as error:
        new = f"day_exceptions.{len(kept)}."  # this one, not one the plan already had
        if not error.field.startswith(new):
            raise
        raise RelaxationError(f"day_exception.{error.field[len(new):]}",
                              error.message) from error
    # the one the person asks for now must loosen the rule (a moot one would change nothing)
    problem = exception_problem(list(prepared.rule_set.requirements), exception, changed.days)
    if problem is not None:
        raise RelaxationError(f"day_exception.{problem[0]}", problem[1])
    return changed


def with_raised_budget(request: PlanRequest, amount: float | None) -> PlanRequest:
    """The request with its weekly budget raised to `amount`, checked as a request's own
    budget is (BudgetSchema); RelaxationError naming `budget` for a plan without a budget or
    an amount that does not raise it."""
    if amount is None:
        return request
    if request.budget is None:
        raise RelaxationError("budget", "this plan has no budget to raise")
    try:
        BudgetSchema().load({"amount": amount, "currency": request.budget.currency,
                             "basis": request.budget.basis})
    except ValidationError as error:
        messages = error.normalized_messages().get("amount") or ["is not a budget"]
        raise RelaxationError("budget", " ".join(map(str, messages))) from None
    if amount <= request.budget.amount:
        raise RelaxationError("budget", "must be above the plan's weekly budget of "
                                        f"{money(request.budget.amount, request.budget.currency)}")
    return replace(request, budget=replace(request.budget, amount=amount))
