"""A person's exceptions to daily rules on single days: when a rule blocks the swap they want
("every other dinner would put day 3 above 2,300 mg sodium"), they may loosen that rule on
that day only. The exception is part of the request, so every part that reads the rule set
(search, CP-SAT, the floor, the checker, the plan page) holds that day to the exception and
every other day to the rule.

An exception moves a bound, never its terms: it applies to a daily rule that is one bounded
sum of what the meals hold (not a share of the day's energy, whose bound is a ratio), and it
may only loosen it.
"""

from __future__ import annotations

from dataclasses import replace

from mealplanner.formatting import measured
from mealplanner.rules.requirements import DAY, LINEAR, Bound, Requirement, RuleSet


class DayExceptionError(ValueError):
    """An exception the rule set cannot take; `field` names the input
    (`day_exceptions.<index>.<name>`)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def can_except(requirement: Requirement) -> bool:
    """Whether a rule takes a one-day exception: a daily bounded sum of positive terms."""
    return (requirement.period == DAY and requirement.family == LINEAR
            and len(requirement.bounds) == 1
            and all(term.weight > 0 for term in requirement.bounds[0].terms))


def with_day_exceptions(requirements: list[Requirement], exceptions, days: int,
                        left_out: frozenset[str] = frozenset()) -> list[Requirement]:
    """The requirements with each exception's bound on its day. DayExceptionError for one that
    names no daily rule that takes an exception, or a side the rule does not have; one that no
    longer applies is moot, and that day keeps the rule: a day the plan does not have, a limit
    no looser than the rule (after a fix that lowered the target), or a rule this request
    leaves out (`left_out`: skipped, or covered by a supplement, after a fix that changed
    the diet or the supplements)."""
    by_key = {r.key: r for r in requirements}
    bounds: dict[str, dict[int, Bound]] = {}
    for index, exception in enumerate(exceptions):
        if exception.requirement in left_out:
            continue
        problem = exception_problem(requirements, exception, days)
        if problem is not None:
            name, message, moot = problem
            if moot:
                continue
            raise DayExceptionError(f"day_exceptions.{index}.{name}", message)
        requirement = by_key[exception.requirement]
        bound = requirement.bounds[0]
        size = requirement.unit_size or 1.0
        low = bound.low if exception.min is None else exception.min * size
        high = bound.high if exception.max is None else exception.max * size
        bounds.setdefault(requirement.key, {})[exception.day] = replace(bound, low=low,
                                                                        high=high)
    return [replace(r, day_bounds=tuple(sorted(bounds[r.key].items())))
            if r.key in bounds else r for r in requirements]


def exception_problem(requirements: list[Requirement], exception, days: int
                      ) -> tuple[str, str, bool] | None:
    """Why the exception cannot hold, as (field name, message, moot), or None: not moot when
    the rule cannot take it at all; moot when it no longer applies."""
    requirement = next((r for r in requirements if r.key == exception.requirement), None)
    if requirement is None or not can_except(requirement):
        allowed = ", ".join(r.key for r in requirements if can_except(r))
        return ("requirement", f"{exception.requirement!r} is not a daily rule of this "
                               f"request that can be loosened for a day; must be one of: "
                               f"{allowed}", False)
    if exception.min is None and exception.max is None:
        return "min", "give the day's min or max", False
    bound = requirement.bounds[0]
    for name, value, rule_value in (("min", exception.min, bound.low),
                                    ("max", exception.max, bound.high)):
        if value is not None and rule_value is None:
            side = "minimum" if name == "min" else "cap"
            return name, f"{requirement.label!r} has no {side} to loosen", False
    if not 1 <= exception.day <= days:
        return "day", f"the plan has days 1 to {days}", True
    size = requirement.unit_size or 1.0
    for name, value, rule_value in (("min", exception.min, bound.low),
                                    ("max", exception.max, bound.high)):
        if value is None:
            continue
        rule_amount = rule_value / size
        if (value >= rule_amount) if name == "min" else (value <= rule_amount):
            side = "below" if name == "min" else "above"
            return (name, f"an exception loosens a rule: {requirement.label!r} needs a "
                          f"{name} {side} {measured(rule_amount, requirement.unit)}", True)
    return None


# An exception's limit as stated and read: to the thousandth, as a blocker offers it (a
# serving's step is a quarter of a hundredth), so a minimum just under the rule's does not read
# as the rule's own figure
EXCEPTION_DIGITS = 3


def excepted_limit(requirement: Requirement, day: int) -> dict[str, float] | None:
    """The exception's limit on `day` in the rule's unit ({"min": ...} and/or {"max": ...}),
    or None when the day keeps the rule."""
    for excepted, bound in requirement.day_bounds:
        if excepted == day:
            size = requirement.unit_size or 1.0
            rule = requirement.bounds[0]
            limit = {}
            if bound.low != rule.low:
                limit["min"] = round(bound.low / size, EXCEPTION_DIGITS)
            if bound.high != rule.high:
                limit["max"] = round(bound.high / size, EXCEPTION_DIGITS)
            return limit
    return None


def limit_words(side: str, value: float, unit: str = "") -> str:
    """"at least 1.997 servings of fruit", "at most 2,700 mg sodium": an exception's limit as
    the plan page and the plan document say it."""
    words = "at least" if side == "min" else "at most"
    return f"{words} {measured(value, unit, EXCEPTION_DIGITS)}"


def on_day(rule_set: RuleSet, day: int) -> RuleSet:
    """The rule set as it holds on `day`, for a model of that day alone (its day 1)."""
    if not any(r.day_bounds for r in rule_set.requirements):
        return rule_set
    requirements = tuple(replace(r, bounds=r.bounds_on(day), day_bounds=())
                         if r.day_bounds else r for r in rule_set.requirements)
    return replace(rule_set, requirements=requirements, by_key={})


def day_signature(rule_set: RuleSet, day: int) -> tuple:
    """What the person's exceptions hold on `day`: days that differ in it differ in rules."""
    return tuple((r.key, r.bounds_on(day)) for r in rule_set.requirements if r.day_bounds)
