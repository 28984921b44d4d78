"""A meal's alternatives through the API, and the swap that picks one: the shape, each change
against the stored plans before and after the pick, the errors, and that a refused swap saves
nothing."""

from __future__ import annotations

import pytest

from mealplanner.planner.checker import check_plan
from mealplanner.plans.schemas import PlanRequestSchema
from tests.helpers import blocked_meal, budget_at_checkout, error_of, kept, owner, stored_copy

# A roomy budget: the meals have alternatives.
ROOMY = {"days": 3, "people": 2, "diet": "vegetarian", "exclude_allergens": ["tree_nuts"],
         "budget": {"amount": 600}, "time_limit_seconds": 2}
CHANGES = ("cost", "energy_kcal", "fiber_g", "fermented_servings", "minutes")


def made(app, body) -> str:
    response = app.test_client().post("/api/v1/plans", json=body)
    assert response.status_code == 201, response.get_data(as_text=True)
    return kept(response.get_json())


@pytest.fixture(scope="module")
def roomy(app):
    return made(app, ROOMY)


@pytest.fixture(scope="module")
def tight(app, roomy):
    """(plan id, day, slot): the roomy plan with its budget at its checkout, and its first
    meal no dish can take the place of (every cheaper one breaks another rule)."""
    with app.app_context():
        plan_id = budget_at_checkout(roomy)
    return blocked_meal(app.test_client(), plan_id)


@pytest.fixture()
def copy_of(app):
    """A stored copy of a plan (no solving), for a test that swaps its meals."""
    def copy(plan_id: str) -> str:
        with app.app_context():
            return stored_copy(plan_id)
    return copy


def meal(plan: dict, day: int, slot: str) -> dict:
    return next(m for d in plan["days"] if d["day"] == day for m in d["meals"]
                if m["slot"] == slot)


def test_alternatives_are_up_to_five_other_dishes_with_their_changes(client, roomy):
    plan = client.get(f"/api/v1/plans/{roomy}").get_json()
    response = client.get(f"/api/v1/plans/{roomy}/alternatives?day=2&slot=dinner")
    assert response.status_code == 200, response.get_data(as_text=True)
    found = response.get_json()
    assert set(found) == {"day", "slot", "current", "alternatives", "blocked_by", "message",
                          "seconds"}
    current = meal(plan, 2, "dinner")
    assert found["current"]["recipe_id"] == current["recipe_id"]
    assert found["current"]["portion"] == current["portion"]
    assert 1 <= len(found["alternatives"]) <= 5
    dishes = [a["recipe_id"] for a in found["alternatives"]]
    assert len(set(dishes)) == len(dishes) and current["recipe_id"] not in dishes
    for alternative in found["alternatives"]:
        assert set(alternative) == {"recipe_id", "name", "portion", "minutes", "change"}
        assert set(alternative["change"]) == set(CHANGES)
    assert found["blocked_by"] == [] and found["message"] == ""


@pytest.mark.parametrize("pick", [0, 1, -1])
def test_each_change_is_the_difference_between_the_plans_before_and_after(
        app, client, roomy, copy_of, catalog, pick):
    """Picking an alternative gives a checked plan whose checkout and day totals differ from
    the plan before by exactly the changes the alternative listed."""
    plan_id = copy_of(roomy)
    url = f"/api/v1/plans/{plan_id}"
    before = client.get(url).get_json()
    alternative = client.get(f"{url}/alternatives?day=2&slot=dinner").get_json()[
        "alternatives"][pick]
    response = client.post(f"{url}/swap", headers=owner(plan_id), json={
        "day": 2, "slot": "dinner", "recipe_id": alternative["recipe_id"],
        "portion": alternative["portion"]})
    assert response.status_code == 200, response.get_data(as_text=True)
    after = response.get_json()
    assert client.get(url).get_json() == after  # stored as returned
    with app.app_context():
        request = PlanRequestSchema().load(after["request"])
    assert check_plan(after, request, catalog) == []
    chosen = meal(after, 2, "dinner")
    assert (chosen["recipe_id"], chosen["portion"]) == (alternative["recipe_id"],
                                                        alternative["portion"])
    change = alternative["change"]
    assert round(after["cost"]["checkout"] - before["cost"]["checkout"], 2) == change["cost"]
    day_before, day_after = before["days"][1]["totals"], after["days"][1]["totals"]
    for name in ("energy_kcal", "fiber_g", "fermented_servings"):
        assert round(day_after[name] - day_before[name], 2) == change[name], name
    assert (chosen["prep_minutes"] + chosen["cook_minutes"]
            - meal(before, 2, "dinner")["prep_minutes"]
            - meal(before, 2, "dinner")["cook_minutes"]) == change["minutes"]
    others = {(d["day"], m["slot"]): m["recipe_id"] for d in before["days"] for m in d["meals"]}
    assert {(d["day"], m["slot"]): m["recipe_id"] for d in after["days"] for m in d["meals"]
            if (d["day"], m["slot"]) != (2, "dinner")} == {
        k: v for k, v in others.items() if k != (2, "dinner")}


def test_a_pick_without_a_portion_takes_the_dish_at_its_listed_portion(client, roomy, copy_of):
    plan_id = copy_of(roomy)
    url = f"/api/v1/plans/{plan_id}"
    alternative = client.get(f"{url}/alternatives?day=1&slot=lunch").get_json()[
        "alternatives"][0]
    after = client.post(f"{url}/swap", headers=owner(plan_id),
                        json={"day": 1, "slot": "lunch",
                              "recipe_id": alternative["recipe_id"]}).get_json()
    assert meal(after, 1, "lunch")["portion"] == alternative["portion"]


@pytest.mark.parametrize("choice", [
    {"recipe_id": "no-such-dish"},
    {"recipe_id": None},  # replaced below by the meal's own dish: never an alternative
    {"portion": 0.6},
])
def test_a_pick_that_is_not_an_alternative_is_422_and_saves_nothing(client, roomy, choice):
    url = f"/api/v1/plans/{roomy}"
    before = client.get(url)
    found = client.get(f"{url}/alternatives?day=2&slot=dinner").get_json()
    body = {"day": 2, "slot": "dinner", "recipe_id": found["alternatives"][0]["recipe_id"],
            **choice}
    if body["recipe_id"] is None:
        body["recipe_id"] = found["current"]["recipe_id"]
    error = error_of(client.post(f"{url}/swap", json=body, headers=owner(roomy)), 422,
                     "validation_error")
    field = "portion" if "portion" in choice else "recipe_id"
    assert list(error["details"]) == [field]
    if field == "recipe_id":
        assert "is not a dinner that keeps every rule on day 2" in error["message"]
        assert found["alternatives"][0]["name"] in error["message"]
    after = client.get(url)
    assert after.get_json() == before.get_json() and after.headers["ETag"] == before.headers[
        "ETag"]


def test_no_alternative_says_which_rules_block_in_plain_words(client, tight):
    plan_id, day, slot = tight
    plan = client.get(f"/api/v1/plans/{plan_id}").get_json()
    found = client.get(f"/api/v1/plans/{plan_id}/alternatives?day={day}&slot={slot}").get_json()
    assert found["message"].startswith(
        f"No other {slot} on day {day} keeps every rule with the rest of the plan as it is.")
    budget = next(b for b in found["blocked_by"] if b["requirement"] == "budget")
    assert budget["label"].startswith(f"weekly budget ${plan['cost']['budget_per_week']:,.2f}")
    assert budget["closest_value"] > budget["limit"] == plan["cost"]["budget"]
    assert f"${budget['limit']:.2f}" in budget["text"] and budget["closest"] in budget["text"]
    for blocker in found["blocked_by"]:
        assert 1 <= blocker["dishes"] <= blocker["of_dishes"]
        assert "_" not in blocker["text"] and ">=" not in blocker["text"]


def test_a_swap_no_dish_can_make_is_422_with_the_blockers_and_saves_nothing(client, tight):
    plan_id, day, slot = tight
    url = f"/api/v1/plans/{plan_id}"
    before = client.get(url).get_json()
    error = error_of(client.post(f"{url}/swap", json={"day": day, "slot": slot},
                                 headers=owner(plan_id)), 422, "infeasible")
    assert error["message"].startswith(f"No other {slot} on day {day} keeps every rule")
    assert error["details"]["reason"] == "no_alternative"
    assert "budget" in {b["requirement"] for b in error["details"]["blocked_by"]}
    assert client.get(url).get_json() == before


@pytest.mark.parametrize(("query", "field", "words"), [
    ("day=9&slot=dinner", "day", "the plan has days 1-3"),
    ("day=0&slot=dinner", "day", "from 1 to 14"),
    ("day=two&slot=dinner", "day", "integer"),
    ("slot=dinner", "day", "required"),
    ("day=1&slot=brunch", "slot", "breakfast, lunch, dinner, snack"),
    ("day=1", "slot", "required"),
])
def test_alternatives_errors_name_the_field_and_what_it_may_be(client, roomy, query, field,
                                                               words):
    error = error_of(client.get(f"/api/v1/plans/{roomy}/alternatives?{query}"), 422)
    assert field in error["details"]
    assert words in str(error["details"][field])


def test_alternatives_of_an_unknown_plan_is_404(client):
    error = error_of(client.get("/api/v1/plans/nope/alternatives?day=1&slot=dinner"), 404)
    assert "nope" in error["message"]


def test_the_alternatives_route_is_documented(client):
    spec = client.get("/api/openapi.json").get_json()
    route = spec["paths"]["/api/v1/plans/{plan_id}/alternatives"]["get"]
    assert {p["name"] for p in route["parameters"] if p["in"] == "query"} == {"day", "slot"}
    assert {"200", "404", "422"} <= set(route["responses"])
    swap = spec["components"]["schemas"]["SwapChoice"]["properties"]
    assert {"day", "slot", "recipe_id", "portion"} <= set(swap)


def test_a_budget_blocker_offers_the_budget_that_lets_its_dish_in(client, tight, copy_of):
    """The offer raises the weekly budget to what the shopping then costs, to the cent, and
    posting it swaps the meal within that budget; the budget is kept in the plan's request."""
    plan_id, day, slot = tight
    found = client.get(f"/api/v1/plans/{plan_id}/alternatives?day={day}&slot={slot}").get_json()
    budget = next(b for b in found["blocked_by"] if b["requirement"] == "budget")
    offer = budget["relax_swap"]
    assert offer is not None and set(offer) == {"recipe_id", "portion", "budget"}
    plan = client.get(f"/api/v1/plans/{plan_id}").get_json()
    assert offer["budget"] > plan["cost"]["budget_per_week"]
    assert f"${offer['budget']:,.2f}" in budget["relax"]
    days = len(plan["days"])  # 3 (ROOMY): the offer also gives the money for those days,
    share = f"${round(offer['budget'] * days / 7, 2):,.2f} for these {days} days"
    assert days != 7 and share in budget["relax"]  # as the blocker's own text counts it
    assert f"for these {days} days" in budget["text"]
    copy = copy_of(plan_id)
    response = client.post(f"/api/v1/plans/{copy}/swap",
                           json={"day": day, "slot": slot, **offer}, headers=owner(copy))
    assert response.status_code == 200, response.get_data(as_text=True)
    swapped = response.get_json()
    assert (meal(swapped, day, slot)["recipe_id"], meal(swapped, day, slot)["portion"]) == (
        offer["recipe_id"], offer["portion"])
    assert swapped["request"]["budget"]["amount"] == offer["budget"]
    assert swapped["cost"]["checkout"] <= swapped["cost"]["budget"]
    # a cent less would not have let it in: the offer is the least budget that does
    days = len(swapped["days"])
    assert round((offer["budget"] - 0.01) * days / 7 * 100) < round(
        swapped["cost"]["checkout"] * 100)


@pytest.mark.parametrize("lower", [0, 1])
def test_a_budget_that_does_not_raise_the_plans_is_422_and_saves_nothing(client, tight,
                                                                           lower):
    plan_id, day, slot = tight
    url = f"/api/v1/plans/{plan_id}"
    found = client.get(f"{url}/alternatives?day={day}&slot={slot}").get_json()
    offer = next(b for b in found["blocked_by"] if b["requirement"] == "budget")["relax_swap"]
    before = client.get(url)
    amount = before.get_json()["request"]["budget"]["amount"] - lower
    error = error_of(client.post(f"{url}/swap", json={"day": day, "slot": slot, **offer,
                                                      "budget": amount},
                                 headers=owner(plan_id)), 422, "validation_error")
    assert list(error["details"]) == ["budget"]
    assert "must be above the plan's weekly budget" in error["details"]["budget"][0]
    after = client.get(url)
    assert after.get_json() == before.get_json() and after.headers["ETag"] == before.headers[
        "ETag"]
