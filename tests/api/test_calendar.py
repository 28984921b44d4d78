"""A plan as an iCalendar file: GET /api/v1/plans/{id}/calendar.ics, read back with the
icalendar library as a calendar app would read it."""

from __future__ import annotations

import html
from datetime import date, datetime, time, timedelta

import pytest
from icalendar import Calendar

from mealplanner.plans.feed_tokens import feed_token
from mealplanner.rules import MEALS
from tests.helpers import error_of

START = date.today() + timedelta(days=10)
PLAN = {"days": 3, "people": 2, "time_limit_seconds": 1, "start_date": START.isoformat()}
DEFAULTS = {"breakfast": time(7, 30), "lunch": time(12, 30), "snack": time(16, 0),
            "dinner": time(19, 0)}


@pytest.fixture(scope="module")
def plan(app):
    response = app.test_client().post("/api/v1/plans", json=PLAN)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def calendar_of(client, plan_id: str, query: str = "") -> Calendar:
    response = client.get(f"/api/v1/plans/{plan_id}/calendar.ics{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/calendar"
    assert response.headers["Content-Disposition"] == \
        f'attachment; filename="plan-{plan_id}.ics"'
    return Calendar.from_ical(response.data)


def meals_of(plan) -> list[tuple[date, dict]]:
    return [(date.fromisoformat(day["date"]), meal) for day in plan["days"]
            for meal in day["meals"]]


def test_one_event_per_meal_at_the_default_times(client, plan):
    events = calendar_of(client, plan["id"]).events
    meals = meals_of(plan)
    assert len(events) == 3 * len(MEALS) == len(meals)
    assert [str(e["SUMMARY"]) for e in events] == [meal["name"] for _day, meal in meals]
    for event, (day, meal) in zip(events, meals, strict=True):
        start, end = event.start, event.end
        assert start == datetime.combine(day, DEFAULTS[meal["slot"]])
        assert start.tzinfo is None  # floating local time
        minutes = max(15, meal["prep_minutes"] + meal["cook_minutes"])
        assert end - start == timedelta(minutes=minutes)
        assert event["DTSTAMP"] is not None
    assert events[0].start.date() == START


def test_each_event_names_the_portion_the_household_and_the_recipe(client, plan):
    event = calendar_of(client, plan["id"]).events[0]
    meal = plan["days"][0]["meals"][0]
    url = f"http://localhost/recipes/{meal['recipe_id']}"
    assert str(event["URL"]) == url
    description = str(event["DESCRIPTION"])
    portion = {0.5: "Half a portion", 0.75: "Three quarters of a portion",
               1.0: "One portion", 1.25: "One and a quarter portions",
               1.5: "One and a half portions", 1.75: "One and three quarter portions",
               2.0: "Two portions"}[meal["portion"]]
    assert description.startswith(f"{portion} per person, for a household of two.")
    assert description.endswith(f"Recipe: {url}")


def test_uids_are_stable_and_follow_the_meal_through_a_swap(client, plan):
    first = calendar_of(client, plan["id"]).events
    uids = [str(e["UID"]) for e in first]
    assert len(set(uids)) == len(uids)
    assert uids[0] == f"{plan['id']}-day1-breakfast@mealplanner"
    assert [str(e["UID"]) for e in calendar_of(client, plan["id"]).events] == uids
    swapped = client.post(f"/api/v1/plans/{plan['id']}/swap", json={"day": 2, "slot": "dinner"},
                          headers={"X-Owner-Token": plan["owner_token"]})
    assert swapped.status_code == 200, swapped.get_data(as_text=True)
    new_name = next(m["name"] for d in swapped.get_json()["days"] if d["day"] == 2
                    for m in d["meals"] if m["slot"] == "dinner")
    after = {str(e["UID"]): str(e["SUMMARY"]) for e in calendar_of(client, plan["id"]).events}
    assert list(after) == uids
    assert after[f"{plan['id']}-day2-dinner@mealplanner"] == new_name


def test_meal_times_length_and_time_zone_as_asked(client, plan):
    asked = {"breakfast": time(6, 45), "lunch": time(13, 0), "snack": time(10, 5),
             "dinner": time(20, 15)}
    query = "?" + "&".join(f"{slot}={at:%H:%M}" for slot, at in asked.items())
    calendar = calendar_of(client, plan["id"], query + "&meal_minutes=30&tz=Europe/Paris")
    for event, (day, meal) in zip(calendar.events, meals_of(plan), strict=True):
        assert event.start.replace(tzinfo=None) == datetime.combine(day, asked[meal["slot"]])
        assert event.start.tzinfo.key == "Europe/Paris"
        assert event.end - event.start == timedelta(minutes=30)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]


@pytest.mark.parametrize(("query", "field"), [
    ("dinner=7pm", "dinner"), ("breakfast=7:30", "breakfast"), ("lunch=24:00", "lunch"),
    ("snack=12:60", "snack"), ("meal_minutes=0", "meal_minutes"), ("tz=Mars/Olympus", "tz"),
    ("tz=Etc/GMT%2B5", "tz"),
])
def test_a_bad_parameter_is_a_422_naming_it(client, plan, query, field):
    error = error_of(client.get(f"/api/v1/plans/{plan['id']}/calendar.ics?{query}"), 422,
                     "validation_error")
    assert list(error["details"]) == [field]


def test_an_unknown_parameter_is_a_422_naming_the_allowed_ones(client, plan):
    error = error_of(client.get(f"/api/v1/plans/{plan['id']}/calendar.ics?brunch=10:00"), 422)
    message = error["details"]["brunch"][0]
    for name in ("breakfast", "lunch", "dinner", "snack", "meal_minutes", "tz", "token"):
        assert name in message


def test_the_feed_token_is_checked_when_given(client, app, plan):
    token = feed_token(app.config["SECRET_KEY"], plan["id"])
    assert len(calendar_of(client, plan["id"], f"?token={token}").events) == 12
    error = error_of(client.get(f"/api/v1/plans/{plan['id']}/calendar.ics?token={token}x"),
                     403, "forbidden")
    assert list(error["details"]) == ["token"]
    assert feed_token("another secret", plan["id"]) != token
    error_of(client.get("/api/v1/plans/no-such-plan/calendar.ics"), 404, "not_found")


def test_the_plan_page_links_the_calendar_and_its_feed(client, app, plan):
    page = html.unescape(client.get(f"/plans/{plan['id']}").get_data(as_text=True))
    path = f"/api/v1/plans/{plan['id']}/calendar.ics"
    token = feed_token(app.config["SECRET_KEY"], plan["id"])
    assert f'href="{path}" download' in page
    assert f'value="http://localhost{path}?token={token}"' in page
    assert f'href="webcal://localhost{path}?token={token}"' in page


def test_the_api_document_describes_the_calendar(client):
    spec = client.get("/api/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/plans/{plan_id}/calendar.ics"]["get"]
    assert operation["operationId"] == "getPlanCalendar"
    assert list(operation["responses"]["200"]["content"]) == ["text/calendar"]
    parameters = {p["name"]: p for p in operation["parameters"] if p["in"] == "query"}
    assert set(parameters) == {*MEALS, "meal_minutes", "tz", "token"}
    assert "Europe/Paris" in parameters["tz"]["schema"]["enum"]
    assert "Not required" in parameters["token"]["description"]
