"""The fixes worth trying for an explanation, before any is checked: a nutrient a supplement
covers is offered with the supplement, the first change for each conflicting requirement is
also offered together, and the together fix is not checked once one of its parts works."""

from __future__ import annotations

import time
from dataclasses import replace

from mealplanner.planner.cpsat.explain import Explanation, Fix
from mealplanner.planner.fix_checks import checked_fixes
from mealplanner.planner.fixes import candidate_fixes
from tests.planner.plans import request_of


def _conflict(requirement: str, limit: dict, best_value: float | None = None) -> dict:
    return {"requirement": requirement, "label": requirement, "limit": limit,
            "best_value": best_value, "unit": "", "measure": "worst day"}


def _explanation(*conflicts: dict) -> Explanation:
    return Explanation("conflict", "No plan can meet ...", conflicts=list(conflicts),
                       proven=True)


def test_vitamin_b12_out_of_reach_is_offered_with_a_supplement(catalog):
    request = request_of(days=7, exclude_allergens=["milk", "egg", "fish"])
    explanation = _explanation(_conflict("nutrient:vitamin_b12_ug", {"min": 2.4}),
                               _conflict("med:red_meat", {"max": 1}))
    fixes = candidate_fixes(request, explanation, catalog.rules)
    [supplement] = [f for f in fixes if "supplements" in f.changes]
    assert supplement.text == "Plan with a vitamin B12 supplement"
    assert supplement.changes == {"supplements": ("b12",)}


def test_a_supplement_already_stated_is_not_offered_again(catalog):
    request = request_of(days=7, supplements=["b12"])
    explanation = _explanation(_conflict("nutrient:vitamin_b12_ug", {"min": 2.4}))
    assert not [f for f in candidate_fixes(request, explanation, catalog.rules)
                if "supplements" in f.changes]


def test_the_first_change_for_each_conflicting_requirement_is_offered_together(catalog):
    """1,200 kcal with 75 g of fibre: the energy raised to what the fibre takes and the
    recommended fibre target, as one fix after both."""
    request = request_of(days=1, energy_kcal=1200, targets={"fiber_g_per_day": 75})
    explanation = _explanation(
        _conflict("energy", {"min": 1080.0, "max": 1320.0}, 1831.0),
        _conflict("fiber", {"min": 75.0}, 65.0))
    fixes = candidate_fixes(request, explanation, catalog.rules)
    texts = [f.text for f in fixes]
    energy = "Raise the energy target to 1,850 kcal a day (from 1,200)"
    fiber = next(t for t in texts if t.startswith("Use the recommended fiber target"))
    together = f"{energy} and {fiber[:1].lower()}{fiber[1:]}"
    assert together in texts
    both = fixes[texts.index(together)]
    assert both.changes["energy_kcal"] == 1850
    assert both.changes["targets"].fiber_g_per_day is None
    assert set(both.parts) == {energy, fiber}
    assert texts.index(together) > max(texts.index(energy), texts.index(fiber))


def test_the_together_fix_is_not_checked_once_a_part_works_alone(catalog):
    request = request_of(days=1, energy_kcal=1200, targets={"fiber_g_per_day": 75})
    explanation = _explanation(
        _conflict("energy", {"min": 1080.0, "max": 1320.0}, 1831.0),
        _conflict("fiber", {"min": 75.0}, 65.0))
    fixes = candidate_fixes(request, explanation, catalog.rules)
    checked = []

    def plans(changed, _deadline, _first):
        checked.append(changed)
        # only the recommended fibre target gets a plan
        return {} if changed.targets.fiber_g_per_day is None and \
            changed.energy_kcal == 1200 else None

    verified = checked_fixes(request, fixes, time.perf_counter() + 60, plans)
    assert [f.text for f in verified][0].startswith("Use the recommended fiber target")
    assert not [f for f in verified if f.parts]
    assert not [c for c in checked if c.energy_kcal != 1200 and
                c.targets.fiber_g_per_day is None]  # the together fix was never planned


def _budget_explanation(cheapest: float, least_eaten: float | None) -> Explanation:
    explanation = _explanation(_conflict("budget", {"max": 86.1}, cheapest))
    explanation.least_eaten = least_eaten
    return explanation


def test_a_checkout_budget_out_of_reach_is_offered_for_the_food_eaten(catalog):
    """One person, $86.10 a week (1.25 x the Thrifty Food Plan): whole packages make the first
    week dearer than the food in it; the same budget held to the food eaten is offered after
    the raise, the budget's amount kept."""
    request = request_of(days=7, budget={"amount": 86.1})
    fixes = candidate_fixes(request, _budget_explanation(105.2, 56.61), catalog.rules)
    texts = [f.text for f in fixes]
    eaten = ("Keep the $86.10 budget for the food eaten, not the shopping: leftovers that "
             "keep go to next week's plan")
    assert texts[:2] == ["Raise the weekly budget to $106.00", eaten]
    changed = fixes[1].changes["budget"]
    assert (changed.amount, changed.basis) == (86.1, "eaten")


def test_a_budget_on_the_food_eaten_is_not_offered_again(catalog):
    request = request_of(days=7, budget={"amount": 86.1, "basis": "eaten"})
    fixes = candidate_fixes(request, _budget_explanation(105.2, 56.61), catalog.rules)
    assert not [f for f in fixes if "food eaten" in f.text]


def test_the_food_eaten_is_not_offered_when_no_plan_found_eats_within_the_budget(catalog):
    """$20 a week: even the food eaten in the cheapest plans found costs more; the check
    would only spend the explanation's time."""
    request = request_of(days=7, budget={"amount": 20})
    for least_eaten in (None, 41.3):
        fixes = candidate_fixes(request, _budget_explanation(105.2, least_eaten),
                                catalog.rules)
        assert [f.text for f in fixes if "food eaten" in f.text] == []


def test_the_food_eaten_is_checked_after_a_raise_that_works():
    """One budget figure is offered (the lowest that works), but holding the budget to the
    food eaten is another kind of change: it is still checked and offered."""
    request = request_of(days=7, budget={"amount": 86.1})
    raised = Fix("Raise the weekly budget to $106.00",
                 {"budget": replace(request.budget, amount=106.0)}, verified=True)
    higher = Fix("Raise the weekly budget to $120.00",
                 {"budget": replace(request.budget, amount=120.0)})
    eaten = Fix("Keep the $86.10 budget for the food eaten",
                {"budget": replace(request.budget, basis="eaten")})
    checked = []

    def plans(changed, by, first):
        checked.append(changed.budget)
        return {"cost": {"checkout": 127.04}}

    found = checked_fixes(request, [raised, higher, eaten], time.perf_counter() + 5, plans)
    assert [f.text for f in found] == [raised.text, eaten.text]
    assert [(b.amount, b.basis) for b in checked] == [(86.1, "eaten")]


def test_a_live_culture_target_reads_in_servings_a_person_would_say(catalog):
    """'1 serving a day', never '1 servings a day', for the recommended target and a lower
    one."""
    request = request_of(days=1, exclude_allergens=["milk"],
                         targets={"fermented_servings_per_day": 6})
    explanation = _explanation(_conflict("fermented", {"min": 6.0}, 2.5))
    texts = [f.text for f in candidate_fixes(request, explanation, catalog.rules)]
    assert "Use the recommended live-culture target (1 serving a day)" in texts
    assert "Lower the live-culture target to 2.5 servings a day" in texts
    assert not [t for t in texts if "1 servings" in t]
