"""One meal of a plan with the rest fixed: every (dish, portion) it may take scored at once on
the week's rules as arrays (search/state.slot_scores, the same integer arithmetic as the CP-SAT
model), then the whole-plan rules (the budget on the checkout, variety, plant foods) read back
exactly for the best ones. What alternatives.py offers and blockers.py explains."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from mealplanner.catalog.store import Catalog
from mealplanner.planner.pipeline import Prepared, meals_of, prepare
from mealplanner.planner.request import PlanRequest
from mealplanner.planner.search.problem import WeekProblem
from mealplanner.planner.search.state import WeekSearch
from mealplanner.planner.units import quarters

NO_VIOLATION = 1e-9  # a score this small breaks no rule (scores are sums of whole numbers)


@dataclass
class Screen:
    """Every option of one meal scored with the rest of the plan fixed."""

    prepared: Prepared
    problem: WeekProblem
    search: WeekSearch
    slot: int  # index into problem.slots
    chosen: dict[tuple[int, str], tuple[str, int]]  # the plan's (dish, quarters) per meal
    ranked: list[int]  # option rows the search finds keep every rule, best first


def screen(request: PlanRequest, document: dict[str, Any], day: int, slot: str,
           catalog: Catalog, dishes: int | None = None, recipe_id: str | None = None) -> Screen:
    """The meal's options with every rule held, best first: those of the first `dishes` dishes
    (None: all), or of `recipe_id` alone; ValueError when the plan has no such meal or holds
    a dish the catalog no longer offers."""
    meals = meals_of(document)
    current = [m for m in meals if (m.day, m.slot) == (day, slot)]
    if not current:
        raise ValueError(f"the plan has no {slot} on day {day}")
    others = [m for m in meals if (m.day, m.slot) != (day, slot)]
    prepared = prepare(request, catalog, others, [(day, slot, current[0].recipe_id)])
    problem = prepared.problem()
    search = WeekSearch(problem)
    chosen = {(m.day, m.slot): (m.recipe_id, quarters(m.portion)) for m in meals}
    for index, (d, s) in enumerate(problem.slots):
        row = problem.options[s].index.get(chosen[d, s])
        if row is None:
            raise ValueError("the plan holds a dish the catalog no longer offers; make the "
                             "plan again to swap its meals")
        search.assign(index, row)
    index = problem.slots.index((day, slot))
    rows = problem.allowed[index]
    violation, objective = search.slot_scores(index, rows)
    order = [rows[k] for k in np.argsort(objective, kind="stable") if violation[k] <= NO_VIOLATION]
    here = search.choice[index]
    keys = problem.options[slot].keys
    ranked, seen = [], set()
    for row in order:  # the budget on the checkout and the whole-plan rules, exactly
        if recipe_id is not None and keys[row][0] != recipe_id:
            continue
        if dishes is not None and len(seen) >= dishes and keys[row][0] not in seen:
            continue
        search.assign(index, row)
        if not search.total()[2]:
            ranked.append(int(row))
            seen.add(keys[row][0])
    search.assign(index, here)
    return Screen(prepared, problem, search, index, chosen, ranked)
