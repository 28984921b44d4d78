"""Plans through the job queue, in-process: 202 and the job's URL, then the plan."""

from __future__ import annotations

from datetime import timedelta

import pytest

from mealplanner.extensions import db
from mealplanner.jobs import queue, store
from mealplanner.jobs.kinds import REGENERATE, SWAP, regenerate_payload, swap_payload
from mealplanner.jobs.models import Job
from mealplanner.plans import service
from tests.helpers import PLAN_ID, PLAN_REQUEST, error_of, kept, owner, stored_copy
from tests.jobs.conftest import poll_job


def test_a_plan_not_ready_at_once_is_202_with_the_job_then_the_plan(client, no_wait):
    response = client.post("/api/v1/plans", json=PLAN_REQUEST)
    assert response.status_code == 202, response.get_data(as_text=True)
    job = response.get_json()
    assert PLAN_ID.fullmatch(job["id"]) and job["kind"] == "create"
    assert job["status"] in ("queued", "running")
    assert "owner_token" not in job and "plan_url" not in job
    assert response.headers["Location"] == f"/api/v1/jobs/{job['id']}"

    done = poll_job(client, response.headers["Location"])
    assert done["status"] == "done" and done["created_at"] <= done["finished_at"]
    plan = client.get(done["plan_url"])
    assert plan.status_code == 200 and plan.get_json()["id"] == done["plan_id"]
    assert plan.get_json()["request"]["days"] == 1
    # the owner token the job hands out is the plan's: it deletes the plan
    assert client.delete(done["plan_url"], headers={"X-Owner-Token": "nope"}).status_code == 403
    deleted = client.delete(done["plan_url"], headers={"X-Owner-Token": done["owner_token"]})
    assert deleted.status_code == 204


def test_a_failed_job_carries_the_error_the_request_would_have_had(client, no_wait):
    response = client.post("/api/v1/plans", json={**PLAN_REQUEST, "budget": {"amount": 1}})
    assert response.status_code == 202
    job = poll_job(client, response.headers["Location"])
    assert job["status"] == "failed" and "plan_url" not in job
    assert set(job["error"]) == {"code", "message", "details"}
    assert job["error"]["code"] == "infeasible" and "budget" in job["error"]["message"]
    assert [c["requirement"] for c in job["error"]["details"]["conflicts"]] == ["budget"]


def test_within_the_short_wait_the_answer_is_the_plan_as_before(client):
    response = client.post("/api/v1/plans", json=PLAN_REQUEST)
    assert response.status_code == 201
    assert response.headers["Location"] == f"/api/v1/plans/{response.get_json()['id']}"
    assert response.get_json()["owner_token"]


def test_an_unknown_job_is_404(client):
    error_of(client.get("/api/v1/jobs/AAAAAAAAAAAAAAAAAAAAAA"), 404, "not_found")
    error_of(client.get("/api/v1/jobs/not%00a%20job"), 404, "not_found")


def test_past_its_capacity_the_queue_answers_503_with_retry_after(client, no_wait, app,
                                                                  held_pool, monkeypatch):
    monkeypatch.setitem(app.config, "MEALPLANNER_QUEUE_CAPACITY", 2)
    monkeypatch.setitem(app.config, "MEALPLANNER_TYPICAL_SOLVE_SECONDS", 3)
    accepted = [client.post("/api/v1/plans", json=PLAN_REQUEST) for _ in range(2)]
    assert [r.status_code for r in accepted] == [202, 202]
    assert {r.get_json()["status"] for r in accepted} == {"queued"}

    busy = client.post("/api/v1/plans", json=PLAN_REQUEST)
    error = error_of(busy, 503, "planner_busy")
    assert busy.headers["Retry-After"] == "6"  # 2 jobs ahead x 3 s / 1 worker
    assert "6" in error["message"]
    with app.app_context():
        assert store.pending_count() == 2  # the refused request stored no job

    held_pool.set()
    for response in accepted:
        assert poll_job(client, response.headers["Location"])["status"] == "done"
    assert client.post("/api/v1/plans", json=PLAN_REQUEST).status_code == 202


def test_a_job_its_worker_left_running_is_failed_not_lost(client, app):
    with app.app_context():
        job_id = store.new_job("create", dict(PLAN_REQUEST), timeout_seconds=33).id
        store.start(job_id)
        db.session.execute(db.update(Job).where(Job.id == job_id).values(
            started_at=store.utc_now() - timedelta(seconds=34)))
        db.session.commit()
    response = client.get(f"/api/v1/jobs/{job_id}")
    assert response.status_code == 200
    failed = response.get_json()
    assert failed["status"] == "failed" and failed["error"]["code"] == "internal_error"
    assert "Send the request again" in failed["error"]["message"]


def test_the_sweep_fails_jobs_queued_too_long(app):
    with app.app_context():
        job = store.new_job("create", dict(PLAN_REQUEST), timeout_seconds=33)
        later = store.utc_now() + timedelta(seconds=601)
        assert store.fail_abandoned(600, now=later) >= 1
        assert store.find_job(job.id).status == "failed"


def test_a_job_of_an_unknown_kind_fails_and_the_pool_goes_on(client, app):
    with app.app_context():
        job_id = queue.submit("shuffle", {}, 1)
        job = queue.wait(job_id, 120)
        assert job.status == "failed" and job.error["code"] == "internal_error"
    assert client.post("/api/v1/plans", json=PLAN_REQUEST).status_code == 201


def test_finished_jobs_are_forgotten_after_a_day_and_their_plans_stay(client, app, no_wait):
    response = client.post("/api/v1/plans", json=PLAN_REQUEST)
    done = poll_job(client, response.headers["Location"])
    with app.app_context():
        store.forget_finished(86400)  # nothing finished a day ago: the job stays
        assert store.find_job(done["id"]) is not None
        tomorrow = store.utc_now() + timedelta(seconds=86401)
        assert store.forget_finished(86400, now=tomorrow) >= 1
    error_of(client.get(response.headers["Location"]), 404, "not_found")
    assert client.get(done["plan_url"]).status_code == 200


# Changes to a stored plan as jobs -------------------------------------------------------------


def meal_of(document: dict, day: int, slot: str) -> str:
    row = next(d for d in document["days"] if d["day"] == day)
    return next(m["recipe_id"] for m in row["meals"] if m["slot"] == slot)


@pytest.fixture(scope="module")
def two_days(app) -> str:
    response = app.test_client().post("/api/v1/plans", json={**PLAN_REQUEST, "days": 2})
    assert response.status_code == 201, response.get_data(as_text=True)
    return kept(response.get_json())


@pytest.fixture()
def plan(app, two_days) -> dict:
    """A stored copy of the two-day plan (no solving), as stored."""
    with app.app_context():
        return service.load_plan(stored_copy(two_days))[1]


def test_a_swap_job_changes_the_stored_plan_and_hands_out_no_owner_token(client, app, plan):
    with app.app_context():
        job_id = queue.submit(SWAP, swap_payload(plan["id"], plan["version"], 1, "lunch",
                                                 None, None), 1)
        job = queue.wait(job_id, 120)
        assert (job.status, job.plan_id, job.owner_token) == ("done", plan["id"], None)
    stored = client.get(f"/api/v1/plans/{plan['id']}").get_json()
    assert meal_of(stored, 1, "lunch") != meal_of(plan, 1, "lunch")
    assert meal_of(stored, 2, "dinner") == meal_of(plan, 2, "dinner")
    assert stored["version"] == plan["version"] + 1
    shown = client.get(f"/api/v1/jobs/{job_id}").get_json()
    assert shown["kind"] == "swap" and shown["plan_url"] == f"/api/v1/plans/{plan['id']}"
    assert "owner_token" not in shown


def test_a_regenerate_job_keeps_the_meals_asked(client, app, plan):
    with app.app_context():
        job_id = queue.submit(REGENERATE, regenerate_payload(
            plan["id"], plan["version"], [(1, "breakfast"), (2, "dinner")]), 1)
        assert queue.wait(job_id, 120).status == "done"
    stored = client.get(f"/api/v1/plans/{plan['id']}").get_json()
    assert meal_of(stored, 1, "breakfast") == meal_of(plan, 1, "breakfast")
    assert meal_of(stored, 2, "dinner") == meal_of(plan, 2, "dinner")
    assert stored["version"] == plan["version"] + 1


@pytest.mark.parametrize("kind", [SWAP, REGENERATE])
def test_a_change_job_for_a_version_since_replaced_fails_with_409_and_stores_nothing(
        client, app, plan, kind):
    token = owner(plan["id"])["X-Owner-Token"]
    with app.app_context():
        status, other = service.swap_plan_meal(plan["id"], 2, "lunch", owner_token=token)
        assert status == "ok"
        payload = (swap_payload(plan["id"], plan["version"], 1, "lunch", None, None)
                   if kind == SWAP else regenerate_payload(plan["id"], plan["version"], []))
        job = queue.wait(queue.submit(kind, payload, 1), 120)
        assert job.status == "failed" and store.error_of(job).status == 409
        assert job.error["code"] == "plan_changed" and "not stored" in job.error["message"]
    assert client.get(f"/api/v1/plans/{plan['id']}").get_json() == other


def test_a_change_job_for_a_plan_that_is_gone_fails_with_404(app):
    with app.app_context():
        job_id = queue.submit(SWAP, swap_payload("AAAAAAAAAAAAAAAAAAAAAA", 1, 1, "lunch",
                                                 None, None), 1)
        job = queue.wait(job_id, 120)
        assert job.status == "failed"
        assert store.error_of(job).status == 404 and job.error["code"] == "not_found"


def test_a_queued_job_waits_for_a_slot_a_request_holds(app, client, no_wait):
    """A solve on a request thread (a meal's alternatives) may hold the process's only
    planner slot when a queued job's turn comes: the job waits for it, it is not failed
    with planner_busy after its 202."""
    import threading

    from mealplanner.plans.capacity import capacity

    with app.app_context():
        slots = capacity()
    assert slots.try_acquire()  # as a request thread solving alternatives does
    release = threading.Timer(1.0, slots.release)
    release.start()
    try:
        response = client.post("/api/v1/plans", json=PLAN_REQUEST)
        assert response.status_code == 202, response.get_data(as_text=True)
        done = poll_job(client, response.headers["Location"])
    finally:
        release.join()
    assert done["status"] == "done", done
