"""Taking back an exception for a single day (POST /plans/{id}/remove-exception): the day is
held to the rule again. Meals that already meet it stay; a day that breaks it is planned again
with every other day kept; wrong input is refused by field, and a day no dishes can hold to
the rule keeps its exception, with nothing saved."""

from __future__ import annotations

import pytest

from tests.helpers import error_of, kept, owner, relaxable_meal, stored_copy


def meals_by_day(plan: dict) -> dict[int, list[tuple[str, str, float]]]:
    return {d["day"]: [(m["slot"], m["recipe_id"], m["portion"]) for m in d["meals"]]
            for d in plan["days"]}


@pytest.fixture(scope="module")
def relaxed(app):
    """(plan id, day, plan): a plan whose meal on `day` was swapped for a dish its rule blocks,
    with the exception that lets it in."""
    client = app.test_client()
    plan_id, day, slot, blocker = relaxable_meal(client)
    with app.app_context():
        copy = stored_copy(plan_id)
    response = client.post(f"/api/v1/plans/{copy}/swap", json={
        "day": day, "slot": slot, **blocker["relax_swap"]}, headers=owner(copy))
    assert response.status_code == 200, response.get_data(as_text=True)
    return copy, day, response.get_json()


@pytest.fixture(scope="module")
def loose(app):
    """A plan with an exception its day does not need (day 2 is under the rule's own cap)."""
    made = app.test_client().post("/api/v1/plans", json={
        "days": 2, "time_limit_seconds": 4,
        "day_exceptions": [{"day": 2, "requirement": "sodium", "max": 2700}]})
    assert made.status_code == 201, made.get_data(as_text=True)
    plan = made.get_json()
    [stated] = plan["day_exceptions"]
    assert stated["value"] <= 2300  # the day meets the rule without its exception
    return kept(plan), plan


def remove(client, plan_id: str, body: dict, **headers):
    return client.post(f"/api/v1/plans/{plan_id}/remove-exception", json=body,
                       headers={**owner(plan_id), **headers})


def test_a_day_that_breaks_the_rule_is_planned_again_and_the_rest_kept(client, relaxed):
    plan_id, day, before = relaxed
    [exception] = before["request"]["day_exceptions"]
    assert [e["met"] for e in before["day_exceptions"]] == [True]
    response = remove(client, plan_id, {"day": day, "requirement": exception["requirement"]})
    assert response.status_code == 200, response.get_data(as_text=True)
    after = response.get_json()
    assert after["request"]["day_exceptions"] == [] and after["day_exceptions"] == []
    assert after["check"]["passed"] is True  # the day meets the rule's own limit again
    old, new = meals_by_day(before), meals_by_day(after)
    assert old[day] != new[day]  # the dish the exception let in broke the rule
    assert {d: m for d, m in old.items() if d != day} == {
        d: m for d, m in new.items() if d != day}
    assert after["version"] == before["version"] + 1
    assert client.get(f"/api/v1/plans/{plan_id}").get_json() == after


def test_a_day_that_meets_the_rule_keeps_its_meals(client, loose):
    plan_id, before = loose
    response = remove(client, plan_id, {"day": 2, "requirement": "sodium"})
    assert response.status_code == 200, response.get_data(as_text=True)
    after = response.get_json()
    assert meals_by_day(after) == meals_by_day(before)
    assert after["request"]["day_exceptions"] == [] and after["check"]["passed"] is True
    assert after["cost"]["checkout"] == before["cost"]["checkout"]


@pytest.mark.parametrize(("body", "headers", "status", "field", "words"), [
    ({"day": 2, "requirement": "fiber"}, {}, 422, "requirement",
     "its exceptions are: day 2 'sodium'"),
    ({"day": 1, "requirement": "sodium"}, {}, 422, "requirement",
     "no exception for 'sodium' on day 1"),
    ({"day": "2", "requirement": "sodium"}, {}, 422, "day", "Not a valid integer"),
    ({"day": 15, "requirement": "sodium"}, {}, 422, "day", "from 1 to 14"),
    ({"requirement": "sodium"}, {}, 422, "day", "Missing data"),
    ({"day": 2, "requirement": "sodium", "max": 2300}, {}, 422, "max", "Unknown field"),
    ({"day": 2, "requirement": "sodium"}, {"X-Owner-Token": "not-the-token"}, 403,
     "X-Owner-Token", "not this plan's"),
    ({"day": 2, "requirement": "sodium"}, {"If-Match": '"stale"'}, 412, "If-Match",
     "the current ETag is"),
])
def test_a_wrong_removal_is_refused_by_field_and_saves_nothing(app, client, body, headers,
                                                              status, field, words):
    made = client.post("/api/v1/plans", json={
        "days": 2, "time_limit_seconds": 4,
        "day_exceptions": [{"day": 2, "requirement": "sodium", "max": 2700}]})
    plan_id = kept(made.get_json())
    url = f"/api/v1/plans/{plan_id}"
    before = client.get(url)
    error = error_of(remove(client, plan_id, body, **headers), status)
    assert field in error["details"]
    assert words in " ".join(error["details"][field])
    after = client.get(url)
    assert after.get_json() == before.get_json()
    assert after.headers["ETag"] == before.headers["ETag"]


def test_a_plan_without_exceptions_says_so(client):
    made = client.post("/api/v1/plans", json={"days": 1, "time_limit_seconds": 4})
    plan_id = kept(made.get_json())
    error = error_of(remove(client, plan_id, {"day": 1, "requirement": "sodium"}), 422,
                     "validation_error")
    assert error["details"]["requirement"] == ["the plan has no exceptions for single days"]


def test_an_unknown_plan_is_404(client):
    response = client.post("/api/v1/plans/no-such-plan/remove-exception",
                           json={"day": 1, "requirement": "sodium"},
                           headers={"X-Owner-Token": "x"})
    error_of(response, 404, "not_found")


def test_a_day_no_dishes_can_hold_to_the_rule_keeps_its_exception(app, client, monkeypatch):
    """The planner's answer when that day cannot meet the rule with the rest kept: 422 with the
    explanation, and the plan as it was."""
    from mealplanner.planner.cpsat.explain import Explanation
    from mealplanner.planner.prepared import PlanOutcome

    made = client.post("/api/v1/plans", json={
        "days": 2, "time_limit_seconds": 4,
        "day_exceptions": [{"day": 2, "requirement": "sodium", "max": 2700}]})
    plan_id = kept(made.get_json())
    refused = Explanation("conflict", "No plan can meet 'sodium <= 2,300 mg/day' on day 2.")
    monkeypatch.setattr("mealplanner.plans.exception_removal.replan_day",
                        lambda *args: PlanOutcome(False, refused.as_document()))
    url = f"/api/v1/plans/{plan_id}"
    before = client.get(url)
    error = error_of(remove(client, plan_id, {"day": 2, "requirement": "sodium"}), 422,
                     "infeasible")
    assert "sodium" in error["message"]
    after = client.get(url)
    assert after.get_json() == before.get_json()
    assert after.get_json()["request"]["day_exceptions"][0]["requirement"] == "sodium"
