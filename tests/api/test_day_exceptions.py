"""A blocked swap's offer through the API (issue 15): the blocker says how to relax its rule
for that day, posting that offer swaps the meal and keeps the exception in the plan's request,
and an exception the rule cannot take is refused by field with nothing saved."""

from __future__ import annotations

import pytest

from tests.helpers import error_of, owner, relaxable_meal


@pytest.fixture(scope="module")
def blocked(app):
    return relaxable_meal(app.test_client())


def test_posting_the_offer_swaps_the_meal_and_keeps_the_exception(client, blocked, app):
    plan_id, day, slot, blocker = blocked
    offer = blocker["relax_swap"]
    assert set(offer) == {"recipe_id", "portion", "day_exception"}
    exception = offer["day_exception"]
    assert exception["requirement"] == blocker["requirement"]
    url = f"/api/v1/plans/{plan_id}"
    with app.app_context():  # swap a copy: the blocked plan stays for the other tests
        from tests.helpers import stored_copy
        copy = stored_copy(plan_id)
    response = client.post(f"/api/v1/plans/{copy}/swap", json={"day": day, "slot": slot,
                                                               **offer},
                           headers=owner(copy))
    assert response.status_code == 200, response.get_data(as_text=True)
    plan = response.get_json()
    meal = next(m for d in plan["days"] if d["day"] == day for m in d["meals"]
                if m["slot"] == slot)
    assert (meal["recipe_id"], meal["portion"]) == (offer["recipe_id"], offer["portion"])
    assert plan["request"]["day_exceptions"] == [
        {"day": day, "min": None, "max": None, **exception}]
    assert plan["check"]["passed"] is True
    [stated] = plan["day_exceptions"]
    assert (stated["day"], stated["requirement"], stated["met"]) == (day,
                                                                     blocker["requirement"], True)
    assert client.get(url).get_json()["request"]["day_exceptions"] == []  # the original


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"requirement": "saturated_fat"}, "day_exception.requirement", "must be one of"),
    ({"requirement": "no_such_rule"}, "day_exception.requirement", "must be one of"),
    ({"tighten": True}, None, "an exception loosens a rule"),
    ({"min": None, "max": None}, "day_exception.min", "give the day's min or max"),
])
def test_an_exception_the_rule_cannot_take_is_422_by_field_and_saves_nothing(
        client, blocked, change, field, words):
    plan_id, day, slot, blocker = blocked
    offer = blocker["relax_swap"]
    exception = dict(offer["day_exception"])
    side = "min" if "min" in exception else "max"
    if change.pop("tighten", False):  # the rule's own limit, and a little inside it
        exception[side] = blocker["limit"] + (1 if side == "min" else -1)
        field = f"day_exception.{side}"
    exception.update(change)
    url = f"/api/v1/plans/{plan_id}"
    before = client.get(url)
    error = error_of(client.post(f"{url}/swap", json={
        "day": day, "slot": slot, "recipe_id": offer["recipe_id"], "portion": offer["portion"],
        "day_exception": exception}, headers=owner(plan_id)), 422, "validation_error")
    assert list(error["details"]) == [field]
    assert words in error["details"][field][0]
    after = client.get(url)
    assert after.get_json() == before.get_json() and after.headers["ETag"] == before.headers[
        "ETag"]


def test_an_exception_needs_the_dish_it_is_for(client, blocked):
    plan_id, day, slot, blocker = blocked
    error = error_of(client.post(f"/api/v1/plans/{plan_id}/swap", json={
        "day": day, "slot": slot, "day_exception": blocker["relax_swap"]["day_exception"]},
        headers=owner(plan_id)), 422, "validation_error")
    assert list(error["details"]) == ["recipe_id"]


@pytest.mark.parametrize(("exceptions", "field", "words"), [
    ([{"day": 3, "requirement": "sodium", "max": 2600}], "day_exceptions.0.day",
     "the plan has days 1 to 2"),
    ([{"day": 1, "requirement": "sodium", "max": 2600},
      {"day": 1, "requirement": "sodium", "max": 2700}], "day_exceptions.1.requirement",
     "already has an exception"),
    ([{"day": 1, "requirement": "budget", "max": 2600}], "day_exceptions.0.requirement",
     "must be one of: energy"),
])
def test_a_request_with_a_wrong_exception_is_refused_by_field(client, exceptions, field, words):
    body = {"days": 2, "time_limit_seconds": 1, "day_exceptions": exceptions}
    error = error_of(client.post("/api/v1/plans", json=body), 422, "validation_error")
    flat = {}

    def walk(prefix, value):
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        else:
            flat[prefix] = value

    walk("", error["details"])
    assert field in flat, error
    assert words in " ".join(flat[field])


def test_a_second_exception_to_a_window_keeps_the_side_the_first_loosened(app):
    """Energy is a window: loosening its minimum on a day whose maximum the person already
    loosened keeps both, as the offer was worked out with the first in force."""
    from mealplanner.planner.request import DayException
    from mealplanner.plans.swap_relaxations import with_day_exception
    from tests.planner.plans import request_of

    request = request_of(days=2, day_exceptions=[{"day": 2, "requirement": "energy",
                                                  "max": 2400}])
    with app.app_context():
        changed = with_day_exception(request, 2, {"requirement": "energy", "min": 1700})
        again = with_day_exception(changed, 2, {"requirement": "energy", "max": 2500})
    assert changed.day_exceptions == (DayException(2, "energy", min=1700, max=2400),)
    assert again.day_exceptions == (DayException(2, "energy", min=1700, max=2500),)
