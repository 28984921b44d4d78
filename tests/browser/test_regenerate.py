"""Keeping some meals and planning the rest again from the plan page, in Debian's chromium, on
a desktop and on a phone (390 px). Screenshots land in test-artifacts/screenshots/ (30-*)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_browser import BROWSER, open_page, shot
from tests.browser.test_swaps import own_copy

PHONE = {"width": 390, "height": 844}
REQUEST = {"days": 2, "people": 2, "diet": "vegetarian", "budget": {"amount": 600},
           "time_limit_seconds": 2}

pytestmark = BROWSER



def meal_names(page) -> dict[str, str]:
    """Each meal cell's dish name, by the cell's id (day-1-lunch)."""
    return page.eval_on_selector_all(
        "table.week td[id]",
        "cells => Object.fromEntries(cells.map(c => [c.id, "
        "(c.querySelector('.meal-name') || {}).textContent || '']))")


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, PHONE],
                         ids=["desktop", "phone"])
def test_ticked_meals_stay_and_the_rest_are_planned_again(chrome, site, viewport):
    app, url = site
    made = app.test_client().post("/api/v1/plans", json=REQUEST).get_json()
    context, page, watch = open_page(chrome, url, viewport=viewport)
    page.goto(f"{url}/plans/{made['id']}")
    # another browser's plan: no Keep boxes until this browser has a copy of its own
    expect(page.locator("input[name=keep]")).to_have_count(0)
    own_copy(page, url, made["id"])
    before = meal_names(page)
    page.get_by_label(f"Keep day 1 lunch: {before['day-1-lunch']}").check()
    page.get_by_label(f"Keep day 2 dinner: {before['day-2-dinner']}").check()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"the page is {width} px wide"
    name = "phone" if viewport is PHONE else "desktop"
    shot(page, f"30-regenerate-ticked-{name}")
    # the button beside the week (it submits the form further down the page)
    page.get_by_role("button", name="plan the other meals again", exact=True).click()
    expect(page.locator(".notice-success")).to_contain_text(
        "Planned 6 meals again and kept the 2 you ticked.")
    after = meal_names(page)
    assert after["day-1-lunch"] == before["day-1-lunch"]
    assert after["day-2-dinner"] == before["day-2-dinner"]
    others = [cell for cell in before if cell not in ("day-1-lunch", "day-2-dinner")]
    assert [cell for cell in others if after[cell] == before[cell]] == []
    shot(page, f"31-regenerate-done-{name}")
    watch.check()
    context.close()
