"""The planner: every plan it makes passes the independent checker; explanations name causes."""

from __future__ import annotations

import json
import math
from dataclasses import replace

import pytest

from mealplanner.planner.candidates import RequestError
from mealplanner.planner.checker import check_plan
from mealplanner.planner.pipeline import make_plan, regenerate, swap_meal
from mealplanner.planner.request import PORTIONS
from mealplanner.planner.targets import mifflin_st_jeor_kcal, resolve_targets
from tests.planner.plans import planned, request_of


def test_a_full_week_meets_every_target(catalog):
    request, plan = planned(catalog)
    assert len(plan["days"]) == 7
    assert all(len(day["meals"]) == 4 for day in plan["days"])
    targets = plan["targets"]
    for day in plan["days"]:
        totals = day["totals"]
        assert totals["fiber_g"] >= targets["fiber_g"]["min"] - 0.01
        assert totals["prebiotic_g"] >= targets["prebiotic_g"]["min"] - 0.01
        assert totals["fermented_servings"] >= targets["fermented_servings"]["min"] - 0.01
        assert targets["energy_kcal"]["min"] - 1 <= totals["energy_kcal"]
        assert totals["energy_kcal"] <= targets["energy_kcal"]["max"] + 1
    assert all(row["met"] for row in plan["mediterranean"])
    assert plan["solver"]["status"] in ("optimal", "feasible")
    assert plan["cost"]["total"] > 0 and plan["cost"]["currency"] == "USD"
    assert plan["plants"]["count"] >= 30  # the soft default is reached on the full database


def test_the_solver_section_says_what_each_penalty_cost(catalog):
    _r, first = planned(catalog, days=2)
    favourite = next(m["recipe_id"] for m in first["days"][0]["meals"] if m["slot"] == "dinner")
    _r, plan = planned(catalog, days=2, favorite_recipes=[favourite])
    terms = {t["penalty"]: t for t in plan["solver"]["objective_terms"]}
    assert sum(t["objective"] for t in terms.values()) == pytest.approx(
        plan["solver"]["objective"])
    assert terms["cost"]["amount"] == pytest.approx(plan["cost"]["total"] * 100)
    served = sum(m["recipe_id"] == favourite for d in plan["days"] for m in d["meals"])
    assert terms["favourite dishes served"]["amount"] == served >= 1
    assert terms["favourite dishes served"]["objective"] < 0
    dishes = [m["recipe_id"] for d in plan["days"] for m in d["meals"]]
    assert terms["repeated dishes"]["amount"] == len(dishes) - len(set(dishes))


def test_ingredients_are_per_person_with_the_portion_applied(catalog):
    _request, plan = planned(catalog, days=1)
    meal = plan["days"][0]["meals"][0]
    recipe = catalog.recipes[meal["recipe_id"]]
    expected = [line.grams * meal["portion"] for line in recipe.ingredients]
    assert [i["grams"] for i in meal["ingredients"]] == pytest.approx(expected)
    assert all(i["ndb_no"] == catalog.foods[i["food_id"]].ndb_no for i in meal["ingredients"])


def test_same_request_same_plan(catalog):
    request = request_of(days=3, diet="vegetarian")
    first = make_plan(request, catalog).document
    second = make_plan(request, catalog).document
    assert first["days"] == second["days"]
    assert first["cost"] == second["cost"]


@pytest.mark.parametrize(
    "fields",
    [
        {"diet": "vegan", "days": 3},
        {"diet": "pescatarian", "exclude_allergens": ["milk"], "days": 3},
        {"exclude_allergens": ["gluten", "wheat", "milk"], "days": 3},
        {"exclude_allergens": ["tree_nuts", "peanuts"], "diet": "vegan", "days": 3},
        {"meals": ["breakfast", "lunch", "dinner"], "people": 4, "days": 3},
        {"profile": {"sex": "male", "age": 34, "height_cm": 180, "weight_kg": 78,
                     "activity": "moderate"}, "days": 2},
        {"max_prep_minutes": 30, "days": 2},
    ],
)
def test_varied_requests_pass_the_checker(catalog, fields):
    request, plan = planned(catalog, **fields)
    forbidden = set(request.exclude_allergens)
    for day in plan["days"]:
        for meal in day["meals"]:
            assert not forbidden & set(catalog.facts[meal["recipe_id"]].allergens)
            assert request.diet in catalog.facts[meal["recipe_id"]].diets


def test_fish_rule_is_skipped_for_vegans_and_reported(catalog):
    _request, plan = planned(catalog, diet="vegan", days=2)
    skipped = {s["rule"]: s["reason"] for s in plan["skipped_rules"]}
    assert "fish" in skipped and "vegan" in skipped["fish"]
    row = next(r for r in plan["mediterranean"] if r["rule"] == "fish")
    assert row["skipped"] is True


def test_disliked_foods_never_appear(catalog):
    _request, plan = planned(catalog, days=2, exclude_foods=["mushroom", "Garlic"])
    used = {i["food_id"] for d in plan["days"] for m in d["meals"] for i in m["ingredients"]}
    assert "garlic" not in used
    assert not any(food_id.startswith("mushrooms") for food_id in used)


def test_unknown_disliked_food_is_an_error_naming_the_field(catalog):
    with pytest.raises(RequestError) as error:
        make_plan(request_of(exclude_foods=["dragonfruit gummies"]), catalog)
    assert error.value.field == "exclude_foods"


def test_pantry_is_free_and_lowers_the_cost(catalog):
    request, plan = planned(catalog, days=2)
    bought = [p for p in plan["purchases"] if p["packages"] > 0]
    food_id = max(bought, key=lambda p: p["cost"])["food_id"]
    with_pantry = request_of(days=2, pantry=[{"food": food_id, "grams": 5000}])
    outcome = make_plan(with_pantry, catalog)
    assert outcome.ok
    assert check_plan(outcome.document, with_pantry, catalog) == []
    line = next((p for p in outcome.document["purchases"] if p["food_id"] == food_id), None)
    assert line is None or line["packages"] == 0
    assert outcome.document["cost"]["total"] <= plan["cost"]["total"]


def test_household_size_scales_what_is_bought_not_what_is_eaten(catalog):
    _r, plan = planned(catalog, days=2, people=3)
    for purchase in plan["purchases"]:
        grams = sum(i["grams"] for d in plan["days"] for m in d["meals"]
                    for i in m["ingredients"] if i["food_id"] == purchase["food_id"])
        assert purchase["needed_g"] == pytest.approx(3 * grams, abs=0.1)


def test_swap_replaces_one_meal_and_keeps_every_target(catalog):
    request, plan = planned(catalog, days=3)
    outcome = swap_meal(request, plan, 2, "dinner", catalog)
    assert outcome.ok, outcome.document.get("message")
    swapped = outcome.document
    assert check_plan(swapped, request, catalog) == []
    # one meal open: CP-SAT holds every alternative and proves the choice the best
    assert swapped["solver"]["status"] == "optimal" and swapped["solver"]["gap"] == 0
    old = {(d["day"], m["slot"]): m["recipe_id"] for d in plan["days"] for m in d["meals"]}
    new = {(d["day"], m["slot"]): m["recipe_id"] for d in swapped["days"] for m in d["meals"]}
    assert new[2, "dinner"] != old[2, "dinner"]
    assert {k: v for k, v in new.items() if k != (2, "dinner")} == {
        k: v for k, v in old.items() if k != (2, "dinner")
    }


def test_regenerate_keeps_the_locked_meals(catalog):
    request, plan = planned(catalog, days=3)
    keep = [(1, "lunch"), (3, "breakfast")]
    outcome = regenerate(request, plan, keep, catalog)
    assert outcome.ok
    assert check_plan(outcome.document, request, catalog) == []
    old = {(d["day"], m["slot"]): (m["recipe_id"], m["portion"])
           for d in plan["days"] for m in d["meals"]}
    new = {(d["day"], m["slot"]): (m["recipe_id"], m["portion"])
           for d in outcome.document["days"] for m in d["meals"]}
    for key in keep:
        assert new[key] == old[key]


def test_regenerate_changes_the_meals_not_kept(catalog):
    """Asking again gives other dishes where the rules allow it, not the same week back."""
    request, plan = planned(catalog, days=3)
    keep = [(1, "lunch"), (2, "dinner")]
    outcome = regenerate(request, plan, keep, catalog)
    assert outcome.ok
    assert check_plan(outcome.document, request, catalog) == []
    old = {(d["day"], m["slot"]): m["recipe_id"] for d in plan["days"] for m in d["meals"]}
    new = {(d["day"], m["slot"]): m["recipe_id"] for d in outcome.document["days"]
           for m in d["meals"]}
    assert all(new[key] == old[key] for key in keep)
    changed = [key for key in old if key not in keep and new[key] != old[key]]
    assert len(changed) == len(old) - len(keep), sorted(set(old) - set(keep) - set(changed))


def test_favourites_are_preferred(catalog):
    _r, plan = planned(catalog, days=2, diet="vegetarian")
    first = {m["recipe_id"] for d in plan["days"] for m in d["meals"] if m["slot"] == "dinner"}
    # A dinner that a valid plan uses besides the first plan's: three days without a repeat
    # need a third dinner ...
    _r, other = planned(catalog, days=3, diet="vegetarian",
                        exclude_foods=[], favorite_recipes=[],
                        time_limit_seconds=4, max_repeats=1)
    others = {m["recipe_id"] for d in other["days"] for m in d["meals"]
              if m["slot"] == "dinner"} - first
    assert others, "setup: a second valid plan with other dinners is needed"
    favourite = sorted(others)[0]
    # ... is chosen when the person marks it as a favourite.
    _r, liked = planned(catalog, days=2, diet="vegetarian", favorite_recipes=[favourite])
    assert favourite in {m["recipe_id"] for d in liked["days"] for m in d["meals"]}


@pytest.mark.parametrize(("energy_kcal", "meals", "diet"), [
    (1200, ["breakfast", "lunch", "dinner", "snack"], "omnivore"),
    (1200, ["breakfast", "lunch", "dinner"], "vegan"),
    (3200, ["breakfast", "lunch", "dinner", "snack"], "vegan"),
    (3200, ["breakfast", "lunch", "dinner"], "vegetarian"),
    (3200, ["lunch", "dinner", "snack"], "omnivore"),
])
def test_small_and_large_eaters_get_a_week_meeting_every_rule(catalog, energy_kcal, meals, diet):
    """Portions from a half to a double one reach 1,200 and 3,200 kcal days with every rule
    (the checker judges each day's energy against its band). With portions of 0.75-1.5 only
    the first of these had a plan."""
    request, plan = planned(catalog, energy_kcal=energy_kcal, meals=meals, diet=diet)
    low, high = plan["targets"]["energy_kcal"]["min"], plan["targets"]["energy_kcal"]["max"]
    for day in plan["days"]:
        assert low <= day["totals"]["energy_kcal"] <= high
        for meal in day["meals"]:
            assert meal["portion"] in PORTIONS


@pytest.mark.parametrize("fields", [
    # a sedentary woman of 56 who plans lunch and dinner (about 900 kcal of her day)
    {"meals": ["lunch", "dinner"],
     "profile": {"sex": "female", "age": 56, "height_cm": 160, "weight_kg": 60,
                 "activity": "sedentary"}},
    # an active vegan man (about 3,200 kcal a day) with 20 minutes a meal
    {"diet": "vegan", "max_prep_minutes": 20,
     "profile": {"sex": "male", "age": 25, "height_cm": 185, "weight_kg": 82,
                 "activity": "active"}},
])
def test_small_and_large_eaters_from_their_body_data(catalog, fields):
    """Both had no plan before portions reached a half and a double one and the catalog had
    quick vegan dinners and lunches and dinners with fruit."""
    _request, plan = planned(catalog, **fields)
    energy = plan["targets"]["energy_kcal"]
    assert all(energy["min"] <= d["totals"]["energy_kcal"] <= energy["max"]
               for d in plan["days"])


def test_energy_from_a_profile_uses_mifflin_st_jeor(catalog):
    request = request_of(profile={"sex": "female", "age": 40, "height_cm": 165,
                                  "weight_kg": 60, "activity": "sedentary"})
    expected = (10 * 60 + 6.25 * 165 - 5 * 40 - 161) * 1.2
    assert mifflin_st_jeor_kcal(request.profile, catalog.rules) == pytest.approx(expected)
    targets = resolve_targets(request, catalog.rules)
    assert targets.energy.value == pytest.approx(round(expected), abs=0.5)
    # 14 g/1,000 kcal is 22.7 g here; the adequate intake for a woman of 40 is 25 g.
    assert targets.fiber_g.value == 25


def test_fewer_meals_scale_the_daily_targets(catalog):
    targets = resolve_targets(request_of(meals=["lunch", "dinner"]), catalog.rules)
    assert targets.meal_share == pytest.approx(0.65)
    assert targets.energy.value == pytest.approx(1300)
    assert targets.fiber_g.value == pytest.approx(28 * 0.65)


# Explanations: each built to fail for one reason.


def test_no_dish_left_for_a_slot_is_explained_before_solving(catalog):
    outcome = make_plan(request_of(days=1, max_prep_minutes=5), catalog)
    assert not outcome.ok
    doc = outcome.document
    assert doc["reason"] == "no_dishes"
    assert "takes longer than 5 minutes" in json.dumps(doc["empty_slots"])


def test_a_budget_too_small_is_named_with_the_cheapest_cost_found(catalog):
    outcome = make_plan(request_of(days=2, budget={"amount": 5}), catalog)
    assert not outcome.ok
    doc = outcome.document
    assert doc["reason"] == "conflict"
    assert [c["requirement"] for c in doc["conflicts"]] == ["budget"]
    budget = doc["conflicts"][0]
    cheapest = budget["best_value"]  # per week, as the budget is set
    assert budget["limit"] == {"max": 5.0} and budget["unit"] == "USD a week"
    assert cheapest > 5
    assert "weekly budget $5.00 ($1.43 for 2 days)" in doc["message"]
    assert f"${cheapest:,.2f} a week" in doc["message"] and " USD" not in doc["message"]
    # the fix raises the budget to the cheapest plan found, and that request gets a plan
    [raise_budget] = [f for f in outcome.fixes
                      if f.text.startswith("Raise the weekly budget")]
    assert raise_budget.changes["budget"].amount == math.ceil(cheapest)
    changed = replace(request_of(days=2, budget={"amount": 5}), **raise_budget.changes)
    assert make_plan(changed, catalog).ok


def test_fiber_beyond_reach_is_proven_with_the_most_a_day_can_reach(catalog):
    """100 g of fiber in a 1,300 kcal day: proven on one day's meals, the two requirements
    named, and each one's best value (with the other held) fails its own limit."""
    outcome = make_plan(request_of(days=1, energy_kcal=1300,
                                   targets={"fiber_g_per_day": 100}), catalog)
    assert not outcome.ok
    doc = outcome.document
    assert doc["proven"] and doc["message"].startswith("No plan can meet")
    by_key = {c["requirement"]: c for c in doc["conflicts"]}
    assert set(by_key) == {"energy", "fiber"}
    fiber, energy = by_key["fiber"], by_key["energy"]
    assert fiber["limit"] == {"min": 100.0} and fiber["measure"] == "worst day"
    assert fiber["best_value"] is not None and fiber["best_value"] < 100
    assert f"{fiber['best_value']:,.1f} g fiber/day" in doc["message"]
    low, high = energy["limit"]["min"], energy["limit"]["max"]
    assert not low <= energy["best_value"] <= high


def test_fermented_target_beyond_reach_is_named(catalog):
    outcome = make_plan(
        request_of(days=1, targets={"fermented_servings_per_day": 10}), catalog
    )
    assert not outcome.ok
    assert "fermented" in [c["requirement"] for c in outcome.document["conflicts"]]


def test_hard_plant_target_beyond_reach_is_named(catalog):
    outcome = make_plan(request_of(days=1, targets={"plants_per_week": 80}), catalog)
    assert not outcome.ok
    conflict = next(c for c in outcome.document["conflicts"] if c["requirement"] == "plants")
    assert conflict["best_value"] < 80 and conflict["limit"] == {"min": 80.0}


def test_a_swap_with_no_alternative_is_explained_as_a_swap(catalog, monkeypatch):
    import mealplanner.planner.pipeline as service

    request, plan = planned(catalog, days=2)
    conflict = service.PlanOutcome(False, {"reason": "conflict", "message": "No plan can meet X."})
    monkeypatch.setattr(service, "make_plan", lambda *args, **kwargs: conflict)
    outcome = swap_meal(request, plan, 2, "snack", catalog)
    assert outcome.document["message"] == (
        "No other snack on day 2 keeps every requirement with the rest of the plan as it is. "
        "No plan can meet X.")


def test_the_checker_refuses_live_cultures_from_a_heated_ingredient(catalog):
    """A document that calls a cooked live-culture food unheated is caught: the checker reads
    whether the dish heats it from the recipe, not from the document."""
    request, plan = planned(catalog, days=2)
    tampered = json.loads(json.dumps(plan))
    heated = [(meal, i) for d in tampered["days"] for meal in d["meals"]
              for i in meal["ingredients"] if i["heated"]]
    assert heated, "setup: a plan with a cooked ingredient"
    meal, ingredient = heated[0]
    ingredient["heated"] = False
    problems = check_plan(tampered, request, catalog)
    assert any(meal["recipe_id"] in p and "heats" in p for p in problems), problems
