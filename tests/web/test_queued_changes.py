"""Swaps and planning again from the plan page go through the job queue: the page waits for
its job, so the outcome is where the person acted (the meal's cell, the flash); a job still
queued when the page stops waiting is said so, and what needs no solving is answered at once.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from mealplanner.extensions import db
from mealplanner.jobs import queue
from mealplanner.jobs.models import Job
from mealplanner.plans.service import load_plan
from tests.web.test_web import SMALL_PLAN, page_text, post_form, token


@pytest.fixture(scope="module")
def maker(app):
    """The browser that made `plan_id`: it holds the plan's owner token."""
    return app.test_client()


@pytest.fixture(scope="module")
def plan_id(app, maker):
    response = post_form(maker, SMALL_PLAN)
    assert response.status_code == 303, page_text(response)[:2000]
    return response.headers["Location"].rsplit("/", 1)[1]


def stored(app, plan_id: str) -> dict:
    with app.app_context():
        return load_plan(plan_id)[1]


def jobs_of(app, kind: str) -> list[Job]:
    with app.app_context():
        return list(db.session.scalars(sa.select(Job).where(Job.kind == kind)
                                       .order_by(Job.created_at)))


def meal_of(document: dict, day: int, slot: str) -> str:
    return next(m["recipe_id"] for d in document["days"] if d["day"] == day
                for m in d["meals"] if m["slot"] == slot)


def test_a_swap_on_the_page_is_a_job_and_its_outcome_is_in_the_meals_cell(app, maker,
                                                                          plan_id):
    before = stored(app, plan_id)
    swaps = len(jobs_of(app, "swap"))
    response = maker.post(f"/plans/{plan_id}/swap",
                          data={"csrf_token": token(maker), "day": "1", "slot": "lunch"},
                          headers={"X-Requested-With": "fetch"})
    assert response.status_code == 200
    text = page_text(response)
    after = stored(app, plan_id)
    assert after["version"] == before["version"] + 1
    assert meal_of(after, 1, "lunch") != meal_of(before, 1, "lunch")
    assert "lunch: " in text and " is now " in text
    made = jobs_of(app, "swap")
    assert len(made) == swaps + 1
    assert (made[-1].status, made[-1].plan_id, made[-1].owner_token) == ("done", plan_id, None)


def test_a_swap_still_queued_when_the_page_stops_waiting_says_so_then_is_made(
        app, maker, plan_id, held_pool, monkeypatch):
    monkeypatch.setattr(queue, "page_wait", lambda _limit: 0)
    before = stored(app, plan_id)
    response = maker.post(f"/plans/{plan_id}/swap",
                          data={"csrf_token": token(maker), "day": "2", "slot": "dinner"},
                          headers={"X-Requested-With": "fetch"})
    assert response.status_code == 200
    assert "dinner is still being swapped" in page_text(response)
    assert "Reload the page in a moment" in page_text(response)
    assert stored(app, plan_id) == before  # not yet: never marked as done

    held_pool.set()
    with app.app_context():
        assert queue.wait(jobs_of(app, "swap")[-1].id, 120).status == "done"
    assert meal_of(stored(app, plan_id), 2, "dinner") != meal_of(before, 2, "dinner")


def test_planning_again_from_an_older_page_is_refused_at_once_with_no_job(
        app, maker, plan_id, held_pool):
    document = stored(app, plan_id)
    regenerations = len(jobs_of(app, "regenerate"))
    response = maker.post(f"/plans/{plan_id}/regenerate", data={
        "csrf_token": token(maker), "keep": ["1:breakfast"],
        "version": str(document["version"] - 1)})
    assert response.status_code == 303 and response.headers["Location"].endswith(
        "#regenerate")
    assert "the plan was changed meanwhile" in page_text(maker.get(f"/plans/{plan_id}"))
    assert len(jobs_of(app, "regenerate")) == regenerations
    assert stored(app, plan_id) == document
