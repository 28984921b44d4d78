"""Why no other dish can take a meal's place: which rules rule the dishes out, in plain words
with numbers ("every other dinner would put day 2 above 2,300 mg sodium (the closest, Lentil
soup, to 2,412 mg sodium)"), worded from the rule set's own labels and units.

Each other dish is tried at its best portion with the rest of the plan fixed (the search's
scores); the rules it breaks are read back by requirement, and the figures quoted are the
checker's, from ingredient grams.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mealplanner.catalog.store import Catalog
from mealplanner.planner.checker import judge, plan_facts
from mealplanner.planner.objective import VIOLATION_WEIGHT
from mealplanner.planner.purchase import compute_purchases
from mealplanner.planner.report import meal_document
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

if TYPE_CHECKING:
    from mealplanner.planner.alternatives import Screen

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
    relax: str | None = None  # what relaxing the rule for that day would allow


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


def no_alternative_message(day: int, slot: str, found: list[Blocker]) -> str:
    head = f"No other {slot} on day {day} keeps every rule with the rest of the plan as it is."
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
    high = all(above for _value, above in values.values())
    bound, unit, digits = _limit(found, requirement, high)
    rid = min(values, key=lambda r: abs(values[r][0] - bound) if bound is not None else 0)
    value = values[rid][0]
    digits = _digits(value, bound, digits)
    where = f"day {day}" if requirement.period == DAY else _plan_measure(found, requirement)
    if requirement.key == BUDGET:
        where = "the shopping" if requirement.family == PACKAGES_FAMILY else "the food eaten"
    name = catalog.recipes[rid].name
    text = (f"{who} would take {where} {'above' if high else 'below'} "
            f"{_number(bound, digits, unit)} ({label}); the closest, {name}, brings it to "
            f"{_number(value, digits, unit)}.")
    relax = None
    if alone:  # relaxing this rule alone would let these dishes in: the nearest one
        nearest = min(alone, key=lambda r: abs(values[r][0] - bound) if r in values and
                      bound is not None else 0)
        if nearest in values:
            relax = (f"Allowing {_number(values[nearest][0], digits, unit)} for {where} "
                     f"would let {catalog.recipes[nearest].name} in.")
    return Blocker(requirement.key, label, len(ruled_out), total, text, name, round(value, 2),
                   round(bound, 2) if bound is not None else None, unit, relax)


def _limit(found: Screen, requirement: Requirement, high: bool
           ) -> tuple[float | None, str, int]:
    """(the bound broken: the cap when `high`, else the minimum; unit; digits) as a person
    reads the rule."""
    rule_set = found.prepared.rule_set
    if requirement.family == PACKAGES_FAMILY:
        return rule_set.budget_amount, rule_set.currency, 2
    if requirement.family != LINEAR:
        return None, "", 0
    bound = requirement.bounds[0]
    if _share_of_energy(requirement):
        return -bound.terms[-1].weight * 100, "% of energy", 1
    limit = bound.high if high else bound.low
    if limit is None:
        return None, requirement.unit, 0
    limit /= requirement.unit_size or 1.0
    return limit, requirement.unit, 0 if abs(limit) >= 100 else 1


def _digits(value: float, bound: float | None, digits: int) -> int:
    """Enough decimals that a value just past its bound does not read as the bound."""
    while bound is not None and digits < 3 and f"{value:.{digits}f}" == f"{bound:.{digits}f}":
        digits += 1
    return digits


def _plan_measure(found: Screen, requirement: Requirement) -> str:
    days = found.prepared.request.days
    if requirement.key.startswith(NUTRIENT_PREFIX):
        return "the plan's daily average"
    return "the week" if days == 7 else f"the {days} days"


def _share_of_energy(requirement: Requirement) -> bool:
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
    if _share_of_energy(requirement):
        energy = facts.amount("energy_kcal", list(verdict.days))
        share = (verdict.value / energy + bound.terms[-1].weight * -1) if energy else 0.0
        return share * 100, above
    return verdict.value / (requirement.unit_size or 1.0), above


def _number(value: float | None, digits: int, unit: str) -> str:
    if value is None:
        return ""
    if unit in ("USD",):
        return f"${value:,.2f}"
    if unit.startswith("%"):
        return f"{value:.{digits}f}{unit}"
    text = f"{value:,.{digits}f}"
    return f"{text} {unit}".strip()
