"""The local search scores every option of a meal at once from running sums, package arithmetic
per (purchase column, grams) pair and only the rules some option still falls short of: each
option's score must differ from another's exactly as the whole plan's score, worked out again
from scratch with that option in the meal, does."""

from __future__ import annotations

import numpy as np
import pytest

from mealplanner.planner.objective import BUDGET_WEIGHT
from mealplanner.planner.pipeline import prepare
from mealplanner.planner.search.iterated import search_week
from mealplanner.planner.search.state import WeekSearch
from mealplanner.plans.schemas import PlanRequestSchema


def _whole_plan(state: WeekSearch) -> tuple[float, float]:
    """(violation, objective) of the plan as it stands, from its totals (no move arithmetic)."""
    violation, objective, _broken = state.total()
    return violation, objective + BUDGET_WEIGHT * state.over_budget()


@pytest.mark.parametrize("fields", [
    {"days": 3},
    {"days": 3, "people": 2, "budget": {"amount": 90}},  # a checkout budget: the whole cost
    {"days": 2, "pantry": [{"food": "olive_oil", "grams": 400}], "use_staples": False},
    {"days": 2, "diet": "vegan", "usual_fiber_g_per_day": 15},  # the fibre ramp's cap
])
def test_every_option_scores_as_the_whole_plan_does(catalog, fields):
    problem = prepare(PlanRequestSchema().load(fields), catalog).problem()
    found = search_week(problem, kicks=2)
    state = WeekSearch(problem)
    for (day, meal, rid, q) in found.meals:
        slot = problem.slots.index((day, meal))
        state.assign(slot, problem.options[meal].index[rid, q])
    rng = np.random.default_rng(7)
    for slot in rng.choice(len(problem.slots), size=4, replace=False):
        rows = problem.allowed[slot]
        violation, objective = state.slot_scores(int(slot), rows)
        picked = rng.permutation(len(rows))  # every option, the first at random
        whole = []
        for at in picked:
            state.assign(int(slot), int(rows[at]))
            whole.append(_whole_plan(state))
        for (v, o), at in zip(whole[1:], picked[1:], strict=True):
            first = picked[0]
            assert violation[at] - violation[first] == pytest.approx(v - whole[0][0], abs=1e-9)
            assert objective[at] - objective[first] == pytest.approx(o - whole[0][1], rel=1e-9,
                                                                      abs=1e-6)
