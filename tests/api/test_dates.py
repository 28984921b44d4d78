"""Plans on the calendar: a start date in the request (API, form, CLI), each day's date and
weekday in the plan, on its pages and its shopping list; plans stored before dates still show."""

from __future__ import annotations

import html
import json
import re
from datetime import date, timedelta

import pytest
from marshmallow import ValidationError

from mealplanner.extensions import db
from mealplanner.models import Plan
from mealplanner.planner.dates import a_year_from, default_start_date, today
from mealplanner.plans.schemas import PlanRequestSchema, StoredRequestSchema
from tests.helpers import error_of
from tests.web.test_web import post_form

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
SMALL = {"days": 3, "people": 2, "time_limit_seconds": 1}


def post(client, body):
    response = client.post("/api/v1/plans", json=body)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def dates_of(plan) -> list[tuple[str, str]]:
    return [(day["date"], day["weekday"]) for day in plan["days"]]


def week_from(start: date, days: int) -> list[tuple[str, str]]:
    return [((start + timedelta(n)).isoformat(), WEEKDAYS[(start + timedelta(n)).weekday()])
            for n in range(days)]


def plan_count(app) -> int:
    with app.app_context():
        return db.session.query(Plan).count()


@pytest.fixture(scope="module")
def default_plan(app):
    return post(app.test_client(), SMALL)


@pytest.fixture(scope="module")
def new_year(app):
    """A plan over the turn of a year, if one is within a year of today; else a week ahead."""
    start = date(today().year, 12, 30)
    start = start if start > today() else today() + timedelta(days=9)
    return post(app.test_client(), {**SMALL, "start_date": start.isoformat()}), start


@pytest.mark.parametrize(("asked", "start"), [
    (date(2026, 11, 30), date(2026, 12, 7)),  # Monday: the Monday after, never today
    (date(2026, 12, 1), date(2026, 12, 7)),  # Tuesday
    (date(2026, 12, 5), date(2026, 12, 7)),  # Saturday
    (date(2026, 12, 6), date(2026, 12, 7)),  # Sunday: tomorrow is Monday
    (date(2028, 2, 27), date(2028, 2, 28)),
])
def test_the_default_start_is_the_next_monday_on_or_after_tomorrow(asked, start):
    assert default_start_date(asked) == start


def test_a_plan_without_a_start_date_starts_next_monday(default_plan):
    start = default_start_date()
    assert default_plan["request"]["start_date"] == start.isoformat()
    assert dates_of(default_plan) == week_from(start, 3)
    assert default_plan["days"][0]["weekday"] == "Monday"


def test_each_day_carries_its_date_and_weekday_from_the_start_date(new_year, client):
    plan, start = new_year
    assert plan["request"]["start_date"] == start.isoformat()
    assert dates_of(plan) == week_from(start, 3)
    stored = client.get(f"/api/v1/plans/{plan['id']}").get_json()
    assert dates_of(stored) == dates_of(plan)


@pytest.mark.parametrize("value", ["2026-02-30", "tomorrow", "07/12/2026", 20261207, True,
                                   "2026-12-07T10:00:00"])
def test_a_start_date_that_is_not_a_date_is_a_422_naming_it(client, app, value):
    before = plan_count(app)
    error = error_of(client.post("/api/v1/plans", json={**SMALL, "start_date": value}), 422,
                     "validation_error")
    assert list(error["details"]) == ["start_date"]
    assert "YYYY-MM-DD" in error["details"]["start_date"][0]
    assert plan_count(app) == before  # nothing saved


@pytest.mark.parametrize("years", [1, -1])
def test_a_start_date_more_than_a_year_away_is_a_422_naming_it(client, app, years):
    too_far = a_year_from(today(), years) + timedelta(days=years)
    before = plan_count(app)
    error = error_of(client.post("/api/v1/plans", json={
        **SMALL, "start_date": too_far.isoformat()}), 422, "validation_error")
    assert list(error["details"]) == ["start_date"]
    assert "within a year of today" in error["details"]["start_date"][0]
    assert plan_count(app) == before


def test_a_year_away_exactly_is_allowed_and_a_stored_date_may_be_long_past():
    for years in (1, -1):
        edge = a_year_from(today(), years)
        assert PlanRequestSchema().load({"start_date": edge.isoformat()}).start_date == edge
    long_ago = {"start_date": "2019-03-04"}
    with pytest.raises(ValidationError):
        PlanRequestSchema().load(long_ago)
    assert StoredRequestSchema().load(long_ago).start_date == date(2019, 3, 4)


def test_the_api_document_shows_start_date_and_each_days_date(client):
    spec = client.get("/api/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    start = schemas["PlanRequest"]["properties"]["start_date"]
    assert start["type"] == "string" and start["format"] == "date"
    assert "next Monday" in start["description"]
    assert {"date", "weekday"} <= set(schemas["Day"]["properties"])


def test_a_continued_plan_starts_the_day_after_the_earlier_one_ends(new_year, client):
    earlier, start = new_year
    token = {"plan_id": earlier["id"], "owner_token": earlier["owner_token"]}
    following = post(client, {**SMALL, "days": 2, "continue_from": token})
    assert following["start_day"] == 4
    assert dates_of(following) == week_from(start + timedelta(days=3), 2)
    asked = start + timedelta(days=20)
    chosen = post(client, {**SMALL, "days": 1, "continue_from": token,
                           "start_date": asked.isoformat()})
    assert dates_of(chosen) == week_from(asked, 1)  # a date asked for wins


def test_the_pages_name_each_day_by_its_date(new_year, client):
    plan, start = new_year
    page = html.unescape(client.get(f"/plans/{plan['id']}").get_data(as_text=True))
    headings = re.findall(r'<th scope="row">([^<]+)<small>', page)
    months = ["January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"]
    assert headings == [f"{WEEKDAYS[d.weekday()]} {d.day} {months[d.month - 1]}"
                        for d in (start + timedelta(n) for n in range(3))]
    span = re.search(r'class="lead plan-dates">([^<]+)<', page).group(1)
    assert span.startswith(f"{WEEKDAYS[start.weekday()]} {start.day}")
    assert span.endswith(f" - {headings[-1]}")  # the plan's dates under its title
    alternatives = client.get(f"/plans/{plan['id']}/alternatives?day=2&slot=lunch")
    assert f"Other dishes for {headings[1]} lunch" in html.unescape(
        alternatives.get_data(as_text=True))
    shopping = client.get(f"/api/v1/plans/{plan['id']}/shopping-list").get_json()
    trips = shopping["trips"]
    assert trips[0]["first_date"] == start.isoformat()
    assert trips[-1]["last_date"] == (start + timedelta(days=2)).isoformat()
    csv_text = client.get(f"/api/v1/plans/{plan['id']}/shopping-list?format=csv").get_data(
        as_text=True)
    assert start.isoformat() in csv_text.splitlines()[1]


def test_the_form_offers_next_monday_and_refuses_a_date_too_far(client, app):
    home = client.get("/").get_data(as_text=True)
    field = re.search(r'<input[^>]*id="start_date"[^>]*>', home).group()
    assert 'type="date"' in field and f'value="{default_start_date().isoformat()}"' in field
    too_far = a_year_from(today(), 1) + timedelta(days=1)
    before = plan_count(app)
    response = post_form(client, {"people": "1", "days": "1", "meals": ["dinner"],
                                  "diet": "omnivore", "start_date": too_far.isoformat(),
                                  "max_repeats": "2", "energy_tolerance": "10"})
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert re.search(r'id="start_date-error"[^>]*>must be within a year of today', page)
    assert plan_count(app) == before


def test_the_cli_takes_a_start_date(runner, tmp_path):
    request = tmp_path / "request.json"
    request.write_text(json.dumps({"days": 2, "time_limit_seconds": 1}), encoding="utf-8")
    start = today() + timedelta(days=3)
    result = runner.invoke(args=["plan", "--request", str(request), "--start-date",
                                 start.isoformat()])
    assert result.exit_code == 0, result.output
    assert dates_of(json.loads(result.stdout)) == week_from(start, 2)
    bad = runner.invoke(args=["plan", "--request", str(request), "--start-date", "2026-14-01"])
    assert bad.exit_code == 1
    assert "start_date" in json.loads(bad.stdout)["errors"]


def test_a_plan_stored_before_dates_still_loads_and_shows(default_plan, client, app):
    """Older rows have no start_date and days without dates: they are shown as they are, by
    day number, and get no calendar (there is no day to put a meal on)."""
    with app.app_context():
        row = db.session.get(Plan, default_plan["id"])
        request = {k: v for k, v in row.request.items() if k != "start_date"}
        days = [{k: v for k, v in d.items() if k not in ("date", "weekday")}
                for d in row.document["days"]]
        copy = Plan(id="older-plan-without-dates", request=request,
                    document={**row.document, "id": "older-plan-without-dates",
                              "request": request, "days": days})
        db.session.add(copy)
        db.session.commit()
    stored = client.get("/api/v1/plans/older-plan-without-dates")
    assert stored.status_code == 200 and "date" not in stored.get_json()["days"][0]
    page = html.unescape(client.get("/plans/older-plan-without-dates").get_data(as_text=True))
    assert re.findall(r'<th scope="row">([^<]+)<small>', page) == ["Day 1", "Day 2", "Day 3"]
    assert "calendar.ics" not in page
    shopping = client.get("/api/v1/plans/older-plan-without-dates/shopping-list").get_json()
    assert shopping["trips"][0]["first_date"] is None
    error_of(client.get("/api/v1/plans/older-plan-without-dates/calendar.ics"), 409)


def test_the_next_week_from_the_plan_page_starts_the_day_after(new_year, app):
    client = app.test_client()
    response = post_form(client, {"people": "1", "days": "2", "meals": ["lunch", "dinner"],
                                  "diet": "omnivore", "start_date": new_year[1].isoformat(),
                                  "max_repeats": "2", "energy_tolerance": "10",
                                  "time_limit_seconds": "1"})
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    plan_id = response.headers["Location"].rsplit("/", 1)[1]
    page = client.get(f"/plans/{plan_id}").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    following = client.post(f"/plans/{plan_id}/next", data={"csrf_token": csrf})
    assert following.status_code == 303, following.get_data(as_text=True)[:2000]
    plan = client.get("/api/v1" + following.headers["Location"]).get_json()
    assert dates_of(plan) == week_from(new_year[1] + timedelta(days=2), 2)
