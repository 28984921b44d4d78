"""A plan not ready within the short wait, in Debian's chromium on a phone (390 px): the
progress page, which turns into the plan page by itself. Screenshots: 40-*."""

from __future__ import annotations

import threading

import pytest
from playwright.sync_api import expect

from mealplanner.jobs import queue
from tests.browser.test_browser import BROWSER, open_page, shot

PHONE = {"width": 390, "height": 844}

pytestmark = BROWSER


@pytest.fixture(scope="module")
def site(site):
    """This module's site, answering every plan request at once (the progress page)."""
    site[0].config["MEALPLANNER_SHORT_WAIT_SECONDS"] = 0
    return site


def test_the_progress_page_turns_into_the_plan_page(chrome, site):
    app, url = site
    with app.app_context():
        pool = queue.runner()._pool
    release = threading.Event()
    pool.submit(release.wait, 60)  # the planner's only thread is busy: the plan waits
    context, page, watch = open_page(chrome, url, viewport=PHONE)
    try:
        page.goto(url + "/")
        page.get_by_label("Days", exact=True).fill("1")
        page.get_by_role("button", name="Make my plan").click()
        page.wait_for_url("**/jobs/*")
        job_id = page.url.rsplit("/", 1)[1]
        expect(page.get_by_role("heading", name="Your plan is being made")).to_be_visible()
        expect(page.locator("#job-status")).to_contain_text("Waiting for the planner")
        shot(page, "40-job-progress-phone")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"the page is {width} px wide"
        release.set()
        page.wait_for_url("**/plans/*")
        job = app.test_client().get(f"/api/v1/jobs/{job_id}").get_json()
        assert page.url == f"{url}/plans/{job['plan_id']}"
        # this browser made the plan: it kept the plan's owner token
        expect(page.locator("#owner-token-value")).to_have_text(job["owner_token"])
        shot(page, "41-job-done-plan-phone")
        watch.check()
    finally:
        release.set()
        context.close()
