"""The progress page of a plan not ready within the short wait: it refreshes itself, then
goes to the plan (this browser keeping its owner token) or to the explanation."""

from __future__ import annotations

import re

import pytest

from tests.jobs.conftest import poll_job
from tests.web.test_web import SMALL_PLAN, page_text, post_form


@pytest.fixture()
def no_wait(app, monkeypatch):
    monkeypatch.setitem(app.config, "MEALPLANNER_SHORT_WAIT_SECONDS", 0)


def progress_page(client, response) -> tuple[str, str]:
    """(job page URL, job id) of a form post that was sent on to the progress page."""
    assert response.status_code == 303, page_text(response)[:2000]
    url = response.headers["Location"]
    match = re.fullmatch(r"/jobs/([A-Za-z0-9_-]{22})", url)
    assert match, url
    return url, match.group(1)


def test_a_slow_plan_shows_a_progress_page_that_leads_to_the_plan(client, no_wait):
    url, job_id = progress_page(client, post_form(client, SMALL_PLAN))
    waiting = client.get(url)
    if waiting.status_code == 200:  # still being made (it may already be done: then a 303)
        text = page_text(waiting)
        assert '<meta http-equiv="refresh" content="2">' in text
        assert f'data-job-url="/api/v1/jobs/{job_id}"' in text
        assert "Your plan is being made" in text
        assert waiting.headers["Cache-Control"] == "no-store"
    done = poll_job(client, f"/api/v1/jobs/{job_id}")
    arrived = client.get(url)
    assert arrived.status_code == 303
    assert arrived.headers["Location"] == f"/plans/{done['plan_id']}"
    plan = page_text(client.get(arrived.headers["Location"]))
    # this browser made the plan: it shows the owner token, and deleting asks for nothing
    assert f'id="owner-token-value">{done["owner_token"]}<' in plan
    confirm = page_text(client.get(f"/plans/{done['plan_id']}/delete"))
    assert 'name="owner_token"' not in confirm


def test_a_slow_plan_no_plan_meets_ends_on_the_explanation(client, no_wait):
    response = post_form(client, {**SMALL_PLAN, "days": "1", "meals": ["breakfast"],
                                  "fiber_g_per_day": "60", "time_limit_seconds": "1"})
    url, job_id = progress_page(client, response)
    assert poll_job(client, f"/api/v1/jobs/{job_id}")["status"] == "failed"
    explained = client.get(url)
    assert explained.status_code == 200
    text = page_text(explained)
    assert 'id="explanation"' in text and "fiber ≥ 60 g/day" in text
    assert re.search(r'name="fiber_g_per_day"[^>]*value="60(\.0+)?"', text)  # kept in the form


def test_an_unknown_job_page_is_404(client):
    response = client.get("/jobs/AAAAAAAAAAAAAAAAAAAAAA")
    assert response.status_code == 404
    assert "No plan is being made at this address" in page_text(response)
