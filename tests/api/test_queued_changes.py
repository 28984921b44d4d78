"""Swap and regenerate through the job queue: 202 and the job when not done within the short
wait, then the plan changed as asked; a change stored while the job waited fails it with 409
(the other change stays); what needs no solving is answered at once, with no job.

Runs on SQLite, and on PostgreSQL with MEALPLANNER_TEST_POSTGRES_URL set.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from mealplanner import create_app
from mealplanner.extensions import db
from mealplanner.jobs.models import Job
from tests.helpers import error_of, kept, owner, stored_copy
from tests.jobs.conftest import poll_job

REQUEST = {"days": 2, "people": 2, "diet": "vegetarian", "budget": {"amount": 600},
           "time_limit_seconds": 2}


def meals_of(plan: dict) -> dict[tuple[int, str], str]:
    return {(d["day"], m["slot"]): m["recipe_id"] for d in plan["days"] for m in d["meals"]}


@pytest.fixture(scope="module")
def original(app):
    response = app.test_client().post("/api/v1/plans", json=REQUEST)
    assert response.status_code == 201, response.get_data(as_text=True)
    return kept(response.get_json())


@pytest.fixture()
def plan_id(app, original):
    """A stored copy of the plan (no solving) this test may change."""
    with app.app_context():
        return stored_copy(original)


@pytest.fixture()
def no_wait(app, monkeypatch):
    """A change answers at once: 202 unless its job is already finished."""
    monkeypatch.setitem(app.config, "MEALPLANNER_SHORT_WAIT_SECONDS", 0)
    return app


def job_count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Job))


def first_alternative(client, plan_id: str, day: int, slot: str) -> dict:
    found = client.get(f"/api/v1/plans/{plan_id}/alternatives?day={day}&slot={slot}")
    return {"day": day, "slot": slot, "recipe_id": found.get_json()["alternatives"][0][
        "recipe_id"]}


def accepted_job(response) -> dict:
    """The 202's job: a swap or regenerate job of its own, with no owner token."""
    assert response.status_code == 202, response.get_data(as_text=True)
    job = response.get_json()
    assert response.headers["Location"] == f"/api/v1/jobs/{job['id']}"
    assert job["status"] in ("queued", "running") and "owner_token" not in job
    return job


def test_a_swap_not_done_at_once_is_202_then_the_plan_has_the_dish_chosen(
        client, no_wait, plan_id):
    before = client.get(f"/api/v1/plans/{plan_id}").get_json()
    choice = first_alternative(client, plan_id, 1, "dinner")
    response = client.post(f"/api/v1/plans/{plan_id}/swap", json=choice, headers=owner(plan_id))
    assert accepted_job(response)["kind"] == "swap"

    done = poll_job(client, response.headers["Location"])
    assert done["status"] == "done", done
    assert done["plan_url"] == f"/api/v1/plans/{plan_id}" and done["plan_id"] == plan_id
    assert "owner_token" not in done  # the caller has it already
    after = client.get(done["plan_url"]).get_json()
    assert after["version"] == before["version"] + 1
    expected = {**meals_of(before), (1, "dinner"): choice["recipe_id"]}
    assert meals_of(after) == expected


def test_a_regenerate_not_done_at_once_is_202_then_the_kept_meals_stay(
        client, no_wait, plan_id):
    before = client.get(f"/api/v1/plans/{plan_id}").get_json()
    keep = [{"day": 1, "slot": "breakfast"}, {"day": 2, "slot": "dinner"}]
    response = client.post(f"/api/v1/plans/{plan_id}/regenerate", json={"keep": keep},
                           headers=owner(plan_id))
    assert accepted_job(response)["kind"] == "regenerate"

    done = poll_job(client, response.headers["Location"])
    assert done["status"] == "done", done
    after = client.get(done["plan_url"]).get_json()
    assert after["version"] == before["version"] + 1
    for meal in keep:
        key = (meal["day"], meal["slot"])
        assert meals_of(after)[key] == meals_of(before)[key]


def test_a_swap_no_dish_can_make_fails_its_job_with_the_rules_that_block(
        client, no_wait, app):
    from tests.api.test_alternatives import ROOMY
    from tests.helpers import blocked_meal, budget_at_checkout

    roomy = client.post("/api/v1/plans", json=ROOMY)  # 202: the short wait is 0
    made = poll_job(client, roomy.headers["Location"])
    kept({"id": made["plan_id"], "owner_token": made["owner_token"]})
    with app.app_context():
        tight = budget_at_checkout(made["plan_id"])
    plan_id, day, slot = blocked_meal(client, tight)
    before = client.get(f"/api/v1/plans/{plan_id}")
    response = client.post(f"/api/v1/plans/{plan_id}/swap", json={"day": day, "slot": slot},
                           headers=owner(plan_id))
    failed = poll_job(client, response.headers["Location"])
    assert failed["status"] == "failed" and failed["error"]["code"] == "infeasible"
    assert failed["error"]["details"]["blocked_by"], failed
    assert failed["error"]["message"] == failed["error"]["details"]["message"]
    after = client.get(f"/api/v1/plans/{plan_id}")
    assert after.headers["ETag"] == before.headers["ETag"]  # nothing stored


def test_a_change_stored_while_the_job_waits_fails_it_with_409_and_the_other_stays(
        client, no_wait, held_pool, app, database_url, plan_id):
    """The swap waits in the queue (the pool is busy); meanwhile another web process stores a
    swap of another meal. The queued one must not overwrite it."""
    etag = client.get(f"/api/v1/plans/{plan_id}").headers["ETag"]
    waiting = client.post(f"/api/v1/plans/{plan_id}/swap", json={"day": 1, "slot": "lunch"},
                          headers={**owner(plan_id), "If-Match": etag})
    assert accepted_job(waiting)["status"] == "queued"

    other_process = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
                                "SECRET_KEY": "test-secret",
                                "MEALPLANNER_SHORT_WAIT_SECONDS": 120})
    try:
        other = other_process.test_client().post(
            f"/api/v1/plans/{plan_id}/swap", json={"day": 2, "slot": "dinner"},
            headers={**owner(plan_id), "If-Match": etag})
        assert other.status_code == 200, other.get_data(as_text=True)
    finally:
        with other_process.app_context():
            db.engine.dispose()

    held_pool.set()
    failed = poll_job(client, waiting.headers["Location"])
    assert failed["status"] == "failed", failed
    assert failed["error"]["code"] == "plan_changed"
    assert "not stored" in failed["error"]["message"]
    stored = client.get(f"/api/v1/plans/{plan_id}")
    assert stored.get_json() == other.get_json()
    assert stored.headers["ETag"] == other.headers["ETag"]


CHANGES = [("swap", {"day": 1, "slot": "lunch"}),
           ("regenerate", {"keep": [{"day": 1, "slot": "breakfast"}]})]


@pytest.mark.parametrize(("action", "body"), CHANGES)
def test_403_and_412_are_answered_at_once_with_no_job(client, no_wait, held_pool, app,
                                                      plan_id, action, body):
    """The pool is busy: a queued change would be a 202. These never reach the queue."""
    url = f"/api/v1/plans/{plan_id}/{action}"
    jobs = job_count(app)
    error_of(client.post(url, json=body), 403, "forbidden")
    error_of(client.post(url, json=body, headers={"X-Owner-Token": "nope"}), 403, "forbidden")
    error_of(client.post(url, json=body, headers={**owner(plan_id), "If-Match": '"nope"'}),
             412, "precondition_failed")
    error_of(client.post("/api/v1/plans/AAAAAAAAAAAAAAAAAAAAAA/" + action, json=body,
                         headers=owner(plan_id)), 404, "not_found")
    assert job_count(app) == jobs


def test_a_meal_or_dish_the_plan_cannot_take_is_422_at_once_with_no_job(
        client, no_wait, held_pool, app, plan_id):
    jobs = job_count(app)
    swap = f"/api/v1/plans/{plan_id}/swap"
    error = error_of(client.post(swap, json={"day": 3, "slot": "lunch"},
                                 headers=owner(plan_id)), 422, "validation_error")
    assert "day" in error["details"]
    fish = client.get("/api/v1/recipes?meal_type=lunch&fish=true").get_json()[0]["id"]
    for recipe_id in ("no-such-dish", fish):  # the plan is vegetarian
        error = error_of(client.post(swap, json={"day": 1, "slot": "lunch",
                                                 "recipe_id": recipe_id},
                                     headers=owner(plan_id)), 422, "validation_error")
        assert "alternatives are" in error["details"]["recipe_id"][0]
    error_of(client.post(f"/api/v1/plans/{plan_id}/regenerate",
                         json={"keep": [{"day": 3, "slot": "lunch"}]}, headers=owner(plan_id)),
             422, "validation_error")
    assert job_count(app) == jobs
