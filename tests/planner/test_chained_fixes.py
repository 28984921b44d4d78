"""When no fix works alone, the failed ones are offered again with a fix for what their checks
still missed, and only once that changed request got a plan (then the first left unchecked for
lack of time is checked): a person short of two things at once (no vitamin B12 without
animal foods, and a live-culture target no dish left reaches) still gets a way forward. An
energy conflict without a figure gets the energy target moved a fifth."""

from __future__ import annotations

import time
from dataclasses import replace

from mealplanner.planner.cpsat.explain import Fix
from mealplanner.planner.fix_checks import NoPlan, checked_fixes
from mealplanner.planner.fixes import candidate_fixes
from mealplanner.planner.pipeline import make_plan
from tests.planner.plans import request_of
from tests.planner.test_fix_candidates import _conflict, _explanation

TOP_NINE = ["milk", "egg", "fish", "crustaceans", "molluscs", "tree_nuts", "peanuts", "wheat",
            "gluten", "soy", "sesame"]
SUPPLEMENT = Fix("Plan with a vitamin B12 supplement", {"supplements": ("b12",)})


def test_a_fix_that_falls_short_is_offered_with_what_its_check_missed(catalog):
    request = request_of(days=1, targets={"fermented_servings_per_day": 3})
    checked = []

    def plans(changed, _by, _first):
        checked.append(changed)
        if "b12" in changed.supplements and changed.targets.fermented_servings_per_day is None:
            return {}
        return NoPlan(("fermented", "sodium"))  # sodium: no change without a figure meets it

    soon = time.perf_counter() + 30
    assert checked_fixes(request, [SUPPLEMENT], soon, plans, catalog.rules) == []
    [chained] = checked_fixes(request, [SUPPLEMENT], soon, plans, catalog.rules, soon)
    assert chained.verified
    assert chained.text.startswith("Plan with a vitamin B12 supplement and use the "
                                   "recommended live-culture target (")
    assert chained.changes["supplements"] == ("b12",)
    assert chained.changes["targets"].fermented_servings_per_day is None
    assert checked[-1] == replace(request, **chained.changes)  # offered once it got a plan


def test_a_budget_it_missed_is_raised_to_what_its_best_plan_costs(catalog):
    request = request_of(days=7, budget={"amount": 60}, targets={"fiber_g_per_day": 75})
    lower = Fix("Use the recommended fiber target", {
        "targets": replace(request.targets, fiber_g_per_day=None)})

    def plans(changed, _by, _first):
        return {} if changed.budget.amount >= 129 else NoPlan(("budget",), 12_844)

    soon = time.perf_counter() + 30
    [chained] = checked_fixes(request, [lower], soon, plans, catalog.rules, soon)
    assert chained.text == ("Use the recommended fiber target and raise the weekly budget to "
                            "$129.00")
    assert chained.changes["budget"].amount == 129.0


def test_a_budget_missed_without_a_figure_is_kept_for_the_food_eaten(catalog):
    request = request_of(days=7, budget={"amount": 60}, targets={"fiber_g_per_day": 75})
    lower = Fix("Use the recommended fiber target", {
        "targets": replace(request.targets, fiber_g_per_day=None)})

    def plans(changed, _by, _first):
        return {} if changed.budget.basis == "eaten" else NoPlan(("budget",))

    soon = time.perf_counter() + 30
    [chained] = checked_fixes(request, [lower], soon, plans, catalog.rules, soon)
    assert chained.text == ("Use the recommended fiber target and keep the $60.00 budget for "
                            "the food eaten")
    assert (chained.changes["budget"].amount, chained.changes["budget"].basis) == (60, "eaten")


def test_nothing_is_offered_when_what_it_missed_has_no_fix(catalog):
    request = request_of(days=1)

    def plans(changed, _by, _first):
        return NoPlan(("energy", "nutrient:protein_g"))

    soon = time.perf_counter() + 30
    assert checked_fixes(request, [SUPPLEMENT], soon, plans, catalog.rules, soon) == []


def test_every_top_nine_allergen_and_three_live_culture_servings_get_a_way_forward(catalog):
    """No vitamin B12 and no live-culture dish without the top nine: the B12 conflict is
    proven on its own, and the supplement alone gets no plan; together with the recommended
    live-culture target it does."""
    request = request_of(days=7, exclude_allergens=TOP_NINE,
                         targets={"fermented_servings_per_day": 3}, time_limit_seconds=5)
    outcome = make_plan(request, catalog)
    assert not outcome.ok
    assert outcome.fixes, outcome.document["message"]
    for fix in outcome.fixes:
        again = make_plan(replace(request, **fix.changes), catalog, explain=False)
        assert again.ok, fix.text


def test_energy_without_a_figure_is_moved_a_fifth_toward_what_the_other_rules_need(catalog):
    """An unproven conflict of energy with minimums (fibre, protein) has no energy figure:
    a fifth more energy is offered, to the 50 kcal; with caps alone, a fifth less."""
    request = request_of(days=7, diet="vegan", energy_kcal=1000,
                         targets={"fiber_g_per_day": 50})
    unproven = _explanation(_conflict("energy", {"min": 900.0, "max": 1100.0}),
                            _conflict("fiber", {"min": 50.0}),
                            _conflict("nutrient:protein_g", {"min": 46.0}))
    unproven.proven = False
    fixes = {f.text: f for f in candidate_fixes(request, unproven, catalog.rules)}
    raised = fixes["Raise the energy target to 1,200 kcal a day (from 1,000)"]
    assert raised.changes == {"energy_kcal": 1200}
    capped = _explanation(_conflict("energy", {"min": 2250.0, "max": 2750.0}),
                          _conflict("sodium", {"max": 2300.0}))
    lowered = [f for f in candidate_fixes(request_of(days=7, energy_kcal=2500), capped,
                                          catalog.rules) if "energy_kcal" in f.changes]
    assert [f.text for f in lowered] == ["Lower the energy target to 2,000 kcal a day "
                                         "(from 2,500)"]


def test_with_no_fix_working_the_first_left_unchecked_for_time_is_checked(catalog):
    request = request_of(days=1)
    later = Fix("Plan without the snack", {"meals": ("breakfast", "lunch", "dinner")})
    checked = []

    def plans(changed, _by, _first):
        checked.append(changed.meals)
        return {} if len(changed.meals) == 3 else NoPlan(("energy",))

    now = time.perf_counter()
    [found] = checked_fixes(request, [later, SUPPLEMENT], now, plans, catalog.rules, now + 30)
    assert found.text == later.text and found.verified
    assert checked == [("breakfast", "lunch", "dinner")]  # the supplement was never planned
