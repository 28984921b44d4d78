"""A swap's relaxation posted from the plan page is checked as the API checks it: a budget or a
day's limit that a request could not hold (too large, not a number, infinite) is refused in the
meal's cell, and the plan stays as it was, still readable. Taking back an exception is the
owner's alone, only of an exception the plan has, and its outcome is told in the exceptions'
box: what changed, or why the exception stays (nothing saved)."""

from __future__ import annotations

import json

import pytest

from tests.web.test_web import SMALL_PLAN, page_text, post_form, token


@pytest.fixture(scope="module")
def owned(app):
    """(client, plan id, lunch recipe id): a budgeted plan this browser made."""
    client = app.test_client()
    response = post_form(client, {**SMALL_PLAN, "days": "1", "budget": "400"})
    assert response.status_code == 303, page_text(response)[:2000]
    plan_id = response.headers["Location"].rsplit("/", 1)[1]
    plan = client.get(f"/api/v1/plans/{plan_id}").get_json()
    lunch = next(m for m in plan["days"][0]["meals"] if m["slot"] == "lunch")
    return client, plan_id, lunch


@pytest.mark.parametrize(("relax", "words"), [
    ({"budget": "20000"}, "less than or equal to 10000"),
    ({"budget": "inf"}, "not permitted"),
    ({"budget": "nan"}, "not permitted"),
    ({"exception_requirement": "sodium", "exception_max": "150000"}, "100000"),
    ({"exception_requirement": "sodium", "exception_max": "inf"}, "not permitted"),
    ({"exception_requirement": "sodium", "exception_min": "-5"}, "greater than or equal to 0"),
])
def test_a_relaxation_a_request_could_not_hold_is_refused_in_the_cell(owned, relax, words):
    client, plan_id, lunch = owned
    before = client.get(f"/api/v1/plans/{plan_id}")
    response = client.post(f"/plans/{plan_id}/swap", data={
        "csrf_token": token(client), "day": "1", "slot": "lunch",
        "recipe_id": lunch["recipe_id"], "portion": str(lunch["portion"]), **relax})
    assert response.status_code == 303, page_text(response)[:2000]
    page = page_text(client.get(response.headers["Location"]))
    cell = page[page.index('id="swap-message"'):]
    assert "could not be swapped" in cell[:2000] and words in cell[:2000]
    after = client.get(f"/api/v1/plans/{plan_id}")
    assert after.status_code == 200
    assert after.get_json() == before.get_json()


def test_another_browser_still_cannot_take_back_an_exception(app, owned):
    _client, plan_id, _lunch = owned
    other = app.test_client()
    refused = other.post(f"/plans/{plan_id}/remove-exception", data={
        "csrf_token": token(other), "day": "1", "requirement": "sodium"})
    assert refused.status_code == 403 and "Make my own copy" in page_text(refused)


def test_taking_back_an_exception_the_plan_does_not_have_says_so(owned):
    client, plan_id, _lunch = owned
    response = client.post(f"/plans/{plan_id}/remove-exception", data={
        "csrf_token": token(client), "day": "1", "requirement": "sodium"})
    assert response.status_code == 404
    assert "no such exception" in page_text(response)


def _with_exception(client) -> str:
    """A plan this browser made (through the form's JSON field) with a sodium exception its
    day does not need."""
    body = {"days": 2, "time_limit_seconds": 4,
            "day_exceptions": [{"day": 2, "requirement": "sodium", "max": 2700}]}
    response = client.post("/plans", data={"csrf_token": token(client),
                                           "request": json.dumps(body)})
    assert response.status_code == 303, page_text(response)[:2000]
    return response.headers["Location"].rsplit("/", 1)[1]


def _box(page: str) -> str:
    start = page.index('id="exception-message"')
    return page[start:page.index("</div>", start)]


def test_an_exception_taken_back_on_the_page_says_what_changed(app):
    client = app.test_client()
    plan_id = _with_exception(client)
    assert "Hold this day to the rule again" in page_text(client.get(f"/plans/{plan_id}"))
    response = client.post(f"/plans/{plan_id}/remove-exception", data={
        "csrf_token": token(client), "day": "2", "requirement": "sodium"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("#exception-message")
    page = page_text(client.get(response.headers["Location"]))
    assert "is held to the rule “sodium at most 2,300 mg/day” again. Its meals already meet " \
           "it, so they stay as they were." in _box(page)
    assert "Your exceptions for single days" not in page
    assert client.get(f"/api/v1/plans/{plan_id}").get_json()["request"]["day_exceptions"] == []


def test_a_day_no_dishes_can_hold_to_the_rule_keeps_its_exception_on_the_page(app,
                                                                             monkeypatch):
    from mealplanner.planner.cpsat.explain import Explanation
    from mealplanner.planner.prepared import PlanOutcome

    client = app.test_client()
    plan_id = _with_exception(client)
    before = client.get(f"/api/v1/plans/{plan_id}").get_json()
    refused = Explanation("conflict", "No plan can meet 'sodium <= 2,300 mg/day' on day 2.")
    monkeypatch.setattr("mealplanner.plans.exception_removal.replan_day",
                        lambda *args: PlanOutcome(False, refused.as_document()))
    response = client.post(f"/plans/{plan_id}/remove-exception", data={
        "csrf_token": token(client), "day": "2", "requirement": "sodium"})
    page = page_text(client.get(response.headers["Location"]))
    box = _box(page)
    assert 'role="alert"' in box and "The exception stays: no dishes for" in box
    assert "No plan can meet 'sodium ≤ 2,300 mg/day' on day 2." in box  # signs people read
    assert "Your exceptions for single days" in page
    assert client.get(f"/api/v1/plans/{plan_id}").get_json() == before
