"""The limits a plan keeps that its charts and checklists do not show (sodium, saturated fat,
added sugars, the fibre and prebiotic ceilings, variety, the budget): every rule that can stop
a swap is on the plan page. Read from the request's own rule set, so a new cap shows up here
without a change to the page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mealplanner.catalog.store import Catalog
from mealplanner.formatting import count, money, number, significant
from mealplanner.planner.blockers import plain, reading, share_of_energy
from mealplanner.planner.checker import judge, plan_facts, rule_set_for
from mealplanner.planner.dates import day_name
from mealplanner.planner.request import PlanRequest
from mealplanner.rules.day_exceptions import excepted_limit, limit_words
from mealplanner.rules.requirements import (
    DAY,
    ENERGY,
    NUTRIENT_PREFIX,
    VARIETY,
    Requirement,
)


@dataclass(frozen=True)
class LimitRow:
    label: str  # the rule in plain words: "sodium at most 2300 mg/day"
    value: str  # what the plan reaches: "highest day 1,950 mg sodium"
    met: bool
    source: str


def limit_rows(request: PlanRequest, document: dict[str, Any], catalog: Catalog
               ) -> list[LimitRow]:
    """Each daily cap with the plan's highest day, then variety and the budget."""
    try:
        rule_set = rule_set_for(request, catalog)
    except (KeyError, ValueError):  # a plan made with foods the catalog no longer has
        return []
    facts = plan_facts(document["days"], catalog, request.use_staples)
    rows = [_cap(r, facts, document) for r in rule_set.linear(DAY) if _shown_here(r)]
    if rule_set.has(VARIETY):
        uses: dict[str, int] = {}
        for day in document["days"]:
            for meal in day["meals"]:
                uses[meal["recipe_id"]] = uses.get(meal["recipe_id"], 0) + 1
        most = max(uses.values(), default=0)
        rows.append(LimitRow(_sentence(rule_set.requirement(VARIETY).label),
                             f"most served dish: {count(most, 'time')}",
                             most <= request.max_repeats,
                             rule_set.requirement(VARIETY).source))
    cost = document.get("cost") or {}
    if cost.get("budget") is not None:
        basis = "eaten" if cost.get("budget_basis") == "eaten" else "checkout"
        spent = cost.get(basis, 0.0)
        what = "the food eaten" if basis == "eaten" else "the shopping"
        if len(document["days"]) != 7:
            what += f" of these {len(document['days'])} days"
        rows.append(LimitRow(
            f"Budget at most {money(cost['budget'], cost.get('currency', 'USD'))} for "
            f"{what}", f"{money(spent, cost.get('currency', 'USD'))} now",
            spent <= cost["budget"] + 0.005, "set in the request"))
    return rows


def _shown_here(requirement: Requirement) -> bool:
    """Daily caps only: energy, the minimums and the Mediterranean and dietitian's rules have
    charts and checklists of their own."""
    return (requirement.key != ENERGY and not requirement.is_mediterranean
            and not requirement.key.startswith(NUTRIENT_PREFIX)
            and requirement.bounds[0].high is not None)


def _cap(requirement: Requirement, facts, document: dict[str, Any]) -> LimitRow:
    verdicts = judge(requirement, facts)
    worst = max(verdicts, key=lambda v: v.value)
    value = reading(requirement, worst.value, facts, list(worst.days))
    if share_of_energy(requirement):
        shown = f"{number(value)}% of energy"
    else:
        shown = f"{significant(value)} {requirement.unit}".strip()
    label = _sentence(requirement.label)
    for day, _bound in requirement.day_bounds:  # the days the person loosened it
        limit = excepted_limit(requirement, day).get("max")
        if limit is not None:
            label += (f"; {day_name(document, day)} {limit_words('max', limit, requirement.unit)}"
                      ", your exception")
    return LimitRow(label.strip(), f"highest day {shown}", all(v.ok for v in verdicts),
                    requirement.source)


def _sentence(label: str) -> str:
    text = plain(label)
    return text[:1].upper() + text[1:]
