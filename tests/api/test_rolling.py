"""Rolling weeks through the API: a plan continues an earlier one with what it leaves over
and still keeps, week after week; errors name what is wrong."""

from __future__ import annotations

import pytest

from mealplanner.planner.checker import check_plan
from mealplanner.plans.schemas import PlanRequestSchema
from tests.helpers import error_of

WEEK = {"days": 4, "people": 2, "time_limit_seconds": 2}


def post(client, body):
    response = client.post("/api/v1/plans", json=body)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


@pytest.fixture(scope="module")
def chain(app):
    """Three plans, each continuing the one before (through the API, as a client would)."""
    client = app.test_client()
    plans = [post(client, WEEK)]
    for _ in range(2):
        earlier = plans[-1]
        plans.append(post(client, {**WEEK, "continue_from": {
            "plan_id": earlier["id"], "owner_token": earlier["owner_token"]}}))
    return plans


def test_each_week_starts_the_day_after_the_last_and_uses_what_it_left(chain, catalog):
    first, second, third = chain
    assert [p["start_day"] for p in chain] == [1, 5, 9]
    assert second["continues"] == {"plan_id": first["id"], "start_day": 5}
    assert third["continues"]["plan_id"] == second["id"]
    carried = {r["food_id"]: r["grams"] for r in first["leftovers"]
               if r["fate"] == "carried_over"}
    assert carried, "setup: the first week leaves something that keeps"
    for food_id, grams in second["pantry"].items():
        assert food_id in carried and grams <= carried[food_id] + 1e-9
    assert any(p["pantry_g"] > 0 for p in second["purchases"])  # and the week uses it
    spoiled = {r["food_id"] for r in first["leftovers"] if r["fate"] == "waste"}
    assert not spoiled & (set(second["pantry"]) - set(carried))
    for plan in chain:
        request = PlanRequestSchema().load(plan["request"])
        assert "owner_token" not in str(plan["request"])  # the token is never stored
        assert check_plan(plan, request, catalog) == []


def test_the_rolling_checkout_comes_closer_to_the_food_eaten(chain):
    first, _second, third = chain
    gap = [p["cost"]["checkout"] - p["cost"]["eaten"] for p in (first, third)]
    assert gap[1] < gap[0]


def test_continuing_a_plan_that_does_not_exist_is_a_404(client):
    error = error_of(client.post("/api/v1/plans", json={**WEEK, "continue_from": {
        "plan_id": "no-such-plan", "owner_token": "x"}}), 404)
    assert "continue_from.plan_id" in error["details"]


def test_continuing_with_the_wrong_token_is_a_403(client, chain):
    error = error_of(client.post("/api/v1/plans", json={**WEEK, "continue_from": {
        "plan_id": chain[0]["id"], "owner_token": "not-the-token"}}), 403)
    assert "owner token" in error["message"]


def test_continuing_without_a_token_names_the_field(client, chain):
    error = error_of(client.post("/api/v1/plans", json={
        **WEEK, "continue_from": {"plan_id": chain[0]["id"]}}), 422)
    assert "owner_token" in str(error["details"])


def test_a_different_household_can_continue(client, chain):
    plan = post(client, {"days": 2, "people": 1, "time_limit_seconds": 2, "continue_from": {
        "plan_id": chain[-1]["id"], "owner_token": chain[-1]["owner_token"]}})
    assert plan["start_day"] == 13 and plan["request"]["people"] == 1
