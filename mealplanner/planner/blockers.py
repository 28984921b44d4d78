"""Why no other dish can take a meal's place: which rules rule the dishes out, in plain words
with numbers ("every other dinner would put day 2 above 2,300 mg sodium (the closest, Lentil
soup, to 2,412 mg sodium)"), worded from the rule set's own labels and units.

Each other dish is tried at its best portion with the rest of the plan fixed (the search's
scores); the rules it breaks are read back by requirement, and the figures quoted are the
checker's, from ingredient grams.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from mealplanner.catalog.store import Catalog
from mealplanner.formatting import measured
from mealplanner.planner.checker import judge, plan_facts
from mealplanner.planner.meal_screen import Screen
from mealplanner.planner.objective import VIOLATION_WEIGHT
from mealplanner.planner.purchase import compute_purchases
from mealplanner.planner.report import meal_document
from mealplanner.planner.request import MOST_BUDGET, MOST_EXCEPTION_LIMIT
from mealplanner.planner.units import portion_of
from mealplanner.rules.day_exceptions import can_except
from mealplanner.rules.requirements import (
    BUDGET,
    DAY,
    LINEAR,
    NUTRIENT_PREFIX,
    PACKAGES_FAMILY,
    PLANTS,
    VARIETY,
    Requirement,
)
from mealplanner.rules.ruleset import budget_for, plan_budget_amount, weekly_budget_amount

SHOWN = 3  # blockers worded in the message
PLURALS = {"lunch": "lunches"}


@dataclass(frozen=True)
class Blocker:
    """One rule that stands in the way of a swap."""

    requirement: str  # the rule set's key, for programs
    label: str  # the rule, as the rule set words it, in plain signs
    dishes: int  # how many of the other dishes it rules out
    of_dishes: int  # how many other dishes the meal could take at all
    text: str  # plain words with numbers
    closest: str | None = None  # the dish nearest to keeping the rule
    closest_value: float | None = None  # what that dish reaches, in `unit`
    limit: float | None = None  # the rule's bound, in `unit`
    unit: str = ""
    relax: str | None = None  # what relaxing the rule (for that day, or the week) would allow
    # the swap that relaxing it makes, as the swap endpoint takes it: {"recipe_id", "portion",
    # and "day_exception": {"requirement", "min" or "max"} or "budget": the weekly amount}
    relax_swap: dict | None = None


def plain(label: str) -> str:
    """The rule set's '>=' and '<=' in words."""
    return label.replace(">=", "at least").replace("<=", "at most")


def plural(slot: str) -> str:
    return PLURALS.get(slot, slot + "s")


def blockers(found: Screen, catalog: Catalog) -> list[Blocker]:
    """The rules that rule out the other dishes, the one ruling out the most first."""
    problem, search = found.problem, found.search
    day, slot = problem.slots[found.slot]
    options = problem.options[slot]
    rows = problem.allowed[found.slot]
    violation, objective = search.slot_scores(found.slot, rows)
    score = VIOLATION_WEIGHT * violation + objective
    best: dict[str, int] = {}  # each other dish at its best portion
    for k in sorted(range(len(rows)), key=lambda k: score[k]):
        best.setdefault(options.keys[rows[k]][0], int(rows[k]))
    here = search.choice[found.slot]
    broken: dict[str, list[str]] = {}
    for rid, row in best.items():
        search.assign(found.slot, row)
        broken[rid] = search.total()[2]
    search.assign(found.slot, here)
    rule_set = found.prepared.rule_set
    order = {r.key: i for i, r in enumerate(rule_set.requirements)}
    keys = sorted({key for keys in broken.values() for key in keys},
                  key=lambda key: (-sum(key in b for b in broken.values()), order.get(key, 0)))
    result = []
    for key in keys:
        if not rule_set.has(key):
            continue
        ruled_out = [rid for rid in best if key in broken[rid]]
        alone = [rid for rid in ruled_out if broken[rid] == [key]]
        result.append(_blocker(found, catalog, rule_set.requirement(key),
                               {rid: options.keys[best[rid]][1] for rid in ruled_out},
                               alone, len(best)))
    return result


def headline(day: int, slot: str) -> str:
    return f"No other {slot} on day {day} keeps every rule with the rest of the plan as it is."


def no_alternative_message(day: int, slot: str, found: list[Blocker]) -> str:
    head = headline(day, slot)
    if not found:
        return head + f" No other {slot} suits this request on day {day}."
    return " ".join([head, *(b.text for b in found[:SHOWN])])


def _blocker(found: Screen, catalog: Catalog, requirement: Requirement,
             ruled_out: dict[str, int], alone: list[str], total: int) -> Blocker:
    day, slot = found.problem.slots[found.slot]
    who = (f"Every other {slot}" if len(ruled_out) == total
           else f"{len(ruled_out)} of the {total} other {plural(slot)}")
    label = plain(requirement.label)
    values = {rid: _reached(found, catalog, requirement, rid, q) for rid, q in ruled_out.items()}
    values = {rid: v for rid, v in values.items() if v is not None}
    if not values:
        return Blocker(requirement.key, label, len(ruled_out), total,
                       f"{who} would break the rule “{label}”.")
    above = [rid for rid, (_value, up) in values.items() if up]
    high = len(above) * 2 >= len(values)  # the side most dishes fall on
    values = {rid: v for rid, v in values.items() if v[1] == high}
    bound, unit, digits = _limit(found, requirement, high)
    rid = min(values, key=lambda r: abs(values[r][0] - bound) if bound is not None else 0)
    value = values[rid][0]
    digits = _digits(value, bound, digits)
    name = catalog.recipes[rid].name
    reach = f"the closest, {name}, brings it to {_number(value, digits, unit)}"
    if requirement.key == BUDGET:
        days = found.prepared.request.days
        spent = "the shopping" if requirement.family == PACKAGES_FAMILY else "the food eaten"
        span = "the week" if days == 7 else f"these {days} days"
        text = (f"{who} would take {spent} above the budget of "
                f"{_number(bound, digits, unit)} for {span}; {reach}.")
    else:
        where = f"day {day}" if requirement.period == DAY else _plan_measure(found, requirement)
        text = (f"{who} would take {where} {'above the limit' if high else 'below the minimum'}"
                f" of {_number(bound, digits, unit)}; {reach}.")
    relax, relax_swap = None, None
    alone = [r for r in alone if r in values]
    if alone and bound is not None:  # relaxing this rule alone would let these dishes in
        nearest = min(alone, key=lambda r: abs(values[r][0] - bound))
        allowed = values[nearest][0]
        if can_except(requirement):  # a one-day exception the swap can make
            exception = _day_exception(found, requirement, nearest, ruled_out[nearest],
                                       high, digits)
            if exception is not None:
                allowed = exception["max" if high else "min"]
                relax_swap = {"recipe_id": nearest, "portion": portion_of(ruled_out[nearest]),
                              "day_exception": exception}
        elif requirement.family == PACKAGES_FAMILY:  # the weekly budget the shopping needs
            weekly = budget_for(allowed, found.prepared.request.days)
            allowed = plan_budget_amount(weekly, found.prepared.request.days)
            if weekly <= MOST_BUDGET:  # a budget a request may set
                relax_swap = {"recipe_id": nearest, "portion": portion_of(ruled_out[nearest]),
                              "budget": weekly}
        relax = _relax_text(found, requirement, allowed, digits, unit,
                            catalog.recipes[nearest].name, high)
    return Blocker(requirement.key, label, len(ruled_out), total, text, name, round(value, 2),
                   round(bound, 2) if bound is not None else None, unit, relax, relax_swap)


def _day_exception(found: Screen, requirement: Requirement, rid: str, q: int, high: bool,
                   digits: int) -> dict | None:
    """The exception that lets (rid, q) into the meal: the day's value with that dish, in the
    search's integers (each figure rounded against the rule, as CP-SAT and the checker's
    bound are), rounded outwards at the digits the person reads."""
    problem, search = found.problem, found.search
    day, slot = problem.slots[found.slot]
    here = search.choice[found.slot]
    search.assign(found.slot, problem.options[slot].index[rid, q])
    totals = search.day_total[search.day_row[day]].copy()
    search.assign(found.slot, here)
    side = "high" if high else "low"
    for column, rule in enumerate(problem.daily_rules_on(day)):
        limit = getattr(rule, side)
        if rule.key != requirement.key or not math.isfinite(limit):
            continue
        step = 10 ** digits
        if high and totals[column] > limit:
            most = math.ceil(totals[column] / rule.per_unit * step - 1e-9) / step
            return None if most > MOST_EXCEPTION_LIMIT else {"requirement": requirement.key,
                                                             "max": most}
        if not high and totals[column] < limit:
            return {"requirement": requirement.key,
                    "min": math.floor(totals[column] / rule.per_unit * step + 1e-9) / step}
    return None


def _relax_text(found: Screen, requirement: Requirement, value: float, digits: int,
                unit: str, name: str, high: bool) -> str:
    day, _slot = found.problem.slots[found.slot]
    if requirement.key == BUDGET:  # weekly, as a request sets it; also for the plan's days
        days = found.prepared.request.days
        weekly = weekly_budget_amount(value, days)
        span = "" if days == 7 else f" ({_number(value, 2, unit)} for these {days} days)"
        return f"A weekly budget of {_number(weekly, 2, unit)}{span} would let {name} in."
    where = f"on day {day}" if requirement.period == DAY else "over the plan"
    limit = "A limit" if high else "A minimum"
    return f"{limit} of {_number(value, digits, unit)} {where} would let {name} in."


def _subject(requirement: Requirement) -> str:
    """What a rule counts, from its label: 'sodium <= 2300 mg/day' -> 'sodium'."""
    return requirement.label.split(" >= ")[0].split(" <= ")[0]


def _limit(found: Screen, requirement: Requirement, high: bool
           ) -> tuple[float | None, str, int]:
    """(the bound broken: the cap when `high`, else the minimum; unit; digits) as a person
    reads the rule."""
    rule_set = found.prepared.rule_set
    if requirement.family == PACKAGES_FAMILY:
        return rule_set.budget_amount, rule_set.currency, 2
    if requirement.family != LINEAR:
        return None, "", 0
    day, _slot = found.problem.slots[found.slot]
    bound = requirement.bounds_on(day)[0] if requirement.period == DAY else requirement.bounds[0]
    if share_of_energy(requirement):
        return -bound.terms[-1].weight * 100, f"% of energy from {_subject(requirement)}", 1
    limit = bound.high if high else bound.low
    if limit is None:
        return None, requirement.unit, 0
    limit /= requirement.unit_size or 1.0
    unit = requirement.unit
    if requirement.key.startswith(NUTRIENT_PREFIX):
        unit = f"{unit} of {_subject(requirement)}"
    return limit, unit, 0 if abs(limit) >= 100 else 1


def _digits(value: float, bound: float | None, digits: int) -> int:
    """Enough decimals that a value just past its bound does not read as the bound."""
    while bound is not None and digits < 3 and f"{value:.{digits}f}" == f"{bound:.{digits}f}":
        digits += 1
    return digits


def _plan_measure(found: Screen, requirement: Requirement) -> str:
    days = found.prepared.request.days
    if requirement.key.startswith(NUTRIENT_PREFIX):
        return "the plan's daily average"
    return "the week" if days == 7 else f"these {days} days"


def share_of_energy(requirement: Requirement) -> bool:
    """Saturated fat and added sugars: a share of the day's energy, read as a percentage."""
    return any(t.quantity == "energy_kcal" and t.weight < 0
               for t in requirement.bounds[0].terms)


def _reached(found: Screen, catalog: Catalog, requirement: Requirement, rid: str,
             q: int) -> tuple[float, bool] | None:
    """(what the plan reaches with `rid` in the meal, in the rule's unit; whether it is above
    the rule's bound), or None for a rule without a figure (variety, plant foods)."""
    day, slot = found.problem.slots[found.slot]
    chosen = {**found.chosen, (day, slot): (rid, q)}
    request = found.prepared.request
    if requirement.key in (VARIETY, PLANTS):
        return None
    if requirement.family == PACKAGES_FAMILY:
        purchases = compute_purchases([(d, r, k) for (d, _s), (r, k) in chosen.items()],
                                      request.people, found.prepared.candidates.pantry_g,
                                      catalog, request.use_staples, request.days)
        return sum(p.cost_cents for p in purchases) / 100, True
    days = sorted({d for d, _s in chosen} if requirement.period != DAY else {day})
    documents = [{"day": d, "meals": [meal_document(catalog, s, r, k)
                                      for (dd, s), (r, k) in chosen.items() if dd == d]}
                 for d in days]
    facts = plan_facts(documents, catalog, request.use_staples)
    verdicts = [v for v in judge(requirement, facts) if not v.ok]
    if not verdicts:
        return None
    verdict = verdicts[0]
    bound = requirement.bounds[0]
    above = bound.high is not None and (bound.low is None or verdict.value > bound.high)
    return reading(requirement, verdict.value, facts, list(verdict.days)), above


def reading(requirement: Requirement, value: float, facts, days: list[int]) -> float:
    """A requirement's value over `days` as a person reads it: in its unit, or as a
    percentage of energy for a share of energy (saturated fat, added sugars)."""
    if share_of_energy(requirement):
        energy = facts.amount("energy_kcal", days)
        share = -requirement.bounds[0].terms[-1].weight
        return (value / energy + share) * 100 if energy else 0.0
    return value / (requirement.unit_size or 1.0)


def _number(value: float | None, digits: int, unit: str) -> str:
    return "" if value is None else measured(value, unit, digits)
