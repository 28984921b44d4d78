"""A meal's alternatives in the planner: every one offered keeps every rule (the checker on the
plan after the pick agrees), they are the planner's own ranking, and a meal no dish can take
names the rules that block in plain words."""

from __future__ import annotations

from dataclasses import replace

import pytest

from mealplanner.planner.alternatives import (
    LIMIT,
    NotAnAlternative,
    find_alternatives,
    pick_alternative,
)
from mealplanner.planner.checker import check_plan
from mealplanner.planner.pipeline import swap_meal
from mealplanner.planner.request import Budget
from mealplanner.rules.ruleset import plan_budget_amount
from tests.planner.plans import planned

HOUSEHOLD = {"days": 3, "people": 2, "diet": "vegetarian", "exclude_allergens": ["tree_nuts"],
             "time_limit_seconds": 2}


@pytest.fixture(scope="module")
def week(catalog):
    return planned(catalog, **HOUSEHOLD)


def meal_of(document, day, slot):
    return next(m for d in document["days"] if d["day"] == day for m in d["meals"]
                if m["slot"] == slot)


@pytest.mark.parametrize(("day", "slot"), [(1, "breakfast"), (2, "dinner"), (3, "snack")])
def test_every_alternative_offered_passes_the_checker_once_picked(catalog, week, day, slot):
    request, document = week
    found = find_alternatives(request, document, day, slot, catalog)
    assert 1 <= len(found.alternatives) <= LIMIT
    current = meal_of(document, day, slot)
    assert found.current.recipe_id == current["recipe_id"]
    for alternative in found.alternatives:
        choice = alternative.choice
        assert choice.recipe_id != current["recipe_id"]
        outcome = pick_alternative(request, document, day, slot, choice.recipe_id,
                                   choice.portion, catalog)
        assert outcome.ok, outcome.document.get("message")
        assert check_plan(outcome.document, request, catalog) == []
        picked = meal_of(outcome.document, day, slot)
        assert (picked["recipe_id"], picked["portion"]) == (choice.recipe_id, choice.portion)


def test_the_first_alternative_is_the_swap_the_planner_makes(catalog, week):
    request, document = week
    found = find_alternatives(request, document, 2, "lunch", catalog)
    outcome = swap_meal(request, document, 2, "lunch", catalog)
    assert outcome.ok
    swapped = meal_of(outcome.document, 2, "lunch")
    best = found.alternatives[0].choice
    assert (swapped["recipe_id"], swapped["portion"]) == (best.recipe_id, best.portion)


def test_a_dish_that_breaks_a_rule_is_refused_by_name(catalog, week):
    request, document = week
    current = meal_of(document, 2, "dinner")
    with pytest.raises(NotAnAlternative, match="is not a dinner that keeps every rule on day 2"):
        pick_alternative(request, document, 2, "dinner", current["recipe_id"], None, catalog)


def test_a_meal_no_dish_can_take_names_the_rules_in_plain_words(catalog, week):
    """With the budget at the plan's own checkout, every dearer dish breaks it: a meal whose
    every cheaper dish breaks another rule has no alternative, and says so."""
    request, document = week
    checkout = round(document["cost"]["checkout"] * 100)
    weekly = round(checkout / 100 * 7 / request.days, 2)
    while round(plan_budget_amount(weekly, request.days) * 100) < checkout:
        weekly = round(weekly + 0.01, 2)
    tight = replace(request, budget=Budget(weekly))
    assert check_plan(document, tight, catalog) == []
    blocked = None
    for day in range(1, request.days + 1):
        for slot in request.meals:
            found = find_alternatives(tight, document, day, slot, catalog)
            assert all(a.change.cost <= 0 for a in found.alternatives)
            if not found.alternatives and blocked is None:
                blocked = found
    assert blocked is not None, "every meal has a dish as cheap that keeps every rule"
    assert blocked.message.startswith(f"No other {blocked.slot} on day {blocked.day} keeps")
    keys = [b.requirement for b in blocked.blocked_by]
    assert "budget" in keys and len(keys) == len(set(keys))
    for blocker in blocked.blocked_by:
        assert blocker.dishes <= blocker.of_dishes
        for text in (blocker.text, blocker.relax or ""):
            assert "_" not in text and ">=" not in text and "<=" not in text
    budget = next(b for b in blocked.blocked_by if b.requirement == "budget")
    assert budget.closest_value > budget.limit
    assert f"above the budget of ${budget.limit:.2f}" in budget.text
