"""The plan's days by their dates, and its calendar, in Debian's chromium at desktop width and
on a 390 px phone: day headings name weekday and date, the calendar link downloads a file a
calendar app reads, and the feed to subscribe to is shown. Screenshots: 30-*."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from mealplanner.planner.dates import WEEKDAYS, long_date
from mealplanner.plans.feed_tokens import feed_token
from tests.browser.test_browser import BROWSER, open_page, shot

START = date.today() + timedelta(days=12)
PLAN = {"days": 2, "people": 2, "time_limit_seconds": 2, "start_date": START.isoformat()}
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}

pytestmark = BROWSER



@pytest.fixture(scope="module")
def plan(site):
    response = site[0].test_client().post("/api/v1/plans", json=PLAN)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


@pytest.mark.parametrize("width", list(VIEWPORTS))
def test_the_plan_page_names_its_days_and_downloads_its_calendar(chrome, site, plan, width):
    context, page, watch = open_page(chrome, site[1], viewport=VIEWPORTS[width])
    page.goto(f"{site[1]}/plans/{plan['id']}")
    days = [START, START + timedelta(days=1)]
    for number, day in enumerate(days, start=1):
        heading = page.locator(f"#day-{number} th")
        expect(heading).to_be_visible()
        expect(heading).to_contain_text(long_date(day))  # "Monday 7 December"
        assert WEEKDAYS[day.weekday()] in heading.inner_text()
    expect(page.locator(".plan-dates")).to_contain_text(long_date(days[1]))

    link = page.get_by_role("button", name="Calendar (.ics)")
    expect(link).to_be_visible()
    with page.expect_download() as download:
        link.click()
    calendar = Calendar.from_ical(Path(download.value.path()).read_bytes())
    meals = [(day["date"], meal["name"]) for day in plan["days"] for meal in day["meals"]]
    assert [(e.start.date().isoformat(), str(e["SUMMARY"])) for e in calendar.events] == meals

    token = feed_token(site[0].config["SECRET_KEY"], plan["id"])
    feed = f"/api/v1/plans/{plan['id']}/calendar.ics?token={token}"
    expect(page.locator("#calendar-feed-url")).to_be_visible()
    expect(page.locator("#calendar-feed-url")).to_have_value(site[1] + feed)
    expect(page.get_by_role("button", name="Subscribe")).to_have_attribute(
        "href", "webcal://" + site[1].split("://", 1)[1] + feed)
    width_px = page.evaluate("document.documentElement.scrollWidth")
    assert width_px <= VIEWPORTS[width]["width"], f"the page is {width_px}px wide"
    shot(page, f"30-plan-dates-{width}")
    watch.check()
    context.close()
