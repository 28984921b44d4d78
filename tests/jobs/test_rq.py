"""Plans through RQ on the local Redis: a queue of each test's own, an in-process SimpleWorker
for the deterministic cases and one real forking `mealplanner worker`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from rq import SimpleWorker

from tests.helpers import PLAN_REQUEST, error_of, kept, owner
from tests.jobs.conftest import POLL_LIMIT_SECONDS, poll_job, redis_url, rq_queue


def run_queue(rq_app) -> None:
    queue = rq_queue(rq_app)
    SimpleWorker([queue], connection=queue.connection).work(burst=True)


def test_a_plan_queued_on_redis_is_made_by_a_worker(rq_app):
    client = rq_app.test_client()
    response = client.post("/api/v1/plans", json=PLAN_REQUEST)
    assert response.status_code == 202, response.get_data(as_text=True)
    job_url = response.headers["Location"]
    assert client.get(job_url).get_json()["status"] == "queued"
    assert rq_queue(rq_app).job_ids == [response.get_json()["id"]]

    run_queue(rq_app)
    done = poll_job(client, job_url)
    assert done["status"] == "done"
    plan = client.get(done["plan_url"])
    assert plan.status_code == 200 and plan.get_json()["request"]["days"] == 1
    deleted = client.delete(done["plan_url"], headers={"X-Owner-Token": done["owner_token"]})
    assert deleted.status_code == 204


def test_a_job_that_fails_on_the_worker_has_the_error_shape(rq_app):
    client = rq_app.test_client()
    response = client.post("/api/v1/plans", json={**PLAN_REQUEST, "budget": {"amount": 1}})
    assert response.status_code == 202
    run_queue(rq_app)
    failed = poll_job(client, response.headers["Location"])
    assert failed["status"] == "failed" and failed["error"]["code"] == "infeasible"
    assert set(failed["error"]) == {"code", "message", "details"}


def test_a_full_redis_queue_is_503_with_retry_after(rq_app, monkeypatch):
    client = rq_app.test_client()
    with rq_app.app_context():
        from mealplanner.jobs import store

        ahead = store.pending_count()
    monkeypatch.setitem(rq_app.config, "MEALPLANNER_QUEUE_CAPACITY", ahead + 1)
    assert client.post("/api/v1/plans", json=PLAN_REQUEST).status_code == 202
    busy = client.post("/api/v1/plans", json=PLAN_REQUEST)
    error_of(busy, 503, "planner_busy")
    assert int(busy.headers["Retry-After"]) >= 1
    run_queue(rq_app)


def meals_of(plan: dict) -> dict[tuple[int, str], str]:
    return {(d["day"], m["slot"]): m["recipe_id"] for d in plan["days"] for m in d["meals"]}


@pytest.fixture()
def plan_id(app) -> str:
    """A two-day plan of the tests' own, made in-process (the test app waits for it)."""
    response = app.test_client().post("/api/v1/plans", json={**PLAN_REQUEST, "days": 2})
    assert response.status_code == 201, response.get_data(as_text=True)
    return kept(response.get_json())


def test_a_swap_queued_on_redis_is_made_by_a_worker(rq_app, plan_id):
    client = rq_app.test_client()
    before = client.get(f"/api/v1/plans/{plan_id}").get_json()
    response = client.post(f"/api/v1/plans/{plan_id}/swap", json={"day": 1, "slot": "lunch"},
                           headers=owner(plan_id))
    assert response.status_code == 202, response.get_data(as_text=True)
    job = response.get_json()
    assert job["kind"] == "swap" and rq_queue(rq_app).job_ids == [job["id"]]

    run_queue(rq_app)
    done = poll_job(client, response.headers["Location"])
    assert done["status"] == "done" and "owner_token" not in done
    after = client.get(done["plan_url"]).get_json()
    assert after["version"] == before["version"] + 1
    assert meals_of(after)[1, "lunch"] != meals_of(before)[1, "lunch"]
    assert meals_of(after)[2, "dinner"] == meals_of(before)[2, "dinner"]


def test_a_regenerate_queued_on_redis_keeps_the_meals_asked(rq_app, plan_id):
    client = rq_app.test_client()
    before = client.get(f"/api/v1/plans/{plan_id}").get_json()
    response = client.post(f"/api/v1/plans/{plan_id}/regenerate",
                           json={"keep": [{"day": 2, "slot": "lunch"}]}, headers=owner(plan_id))
    assert response.status_code == 202, response.get_data(as_text=True)
    run_queue(rq_app)
    done = poll_job(client, response.headers["Location"])
    assert done["status"] == "done" and done["kind"] == "regenerate"
    after = client.get(done["plan_url"]).get_json()
    assert after["version"] == before["version"] + 1
    assert meals_of(after)[2, "lunch"] == meals_of(before)[2, "lunch"]


def test_a_change_stored_while_a_redis_job_waits_fails_it_and_the_other_stays(
        rq_app, app, plan_id):
    """The swap waits on Redis (no worker yet); another web process stores a swap of another
    meal meanwhile. When a worker gets to the queued one, it is refused: 409, nothing lost."""
    client = rq_app.test_client()
    waiting = client.post(f"/api/v1/plans/{plan_id}/swap", json={"day": 1, "slot": "lunch"},
                          headers=owner(plan_id))
    assert waiting.status_code == 202, waiting.get_data(as_text=True)
    other = app.test_client().post(f"/api/v1/plans/{plan_id}/swap",
                                   json={"day": 2, "slot": "dinner"}, headers=owner(plan_id))
    assert other.status_code == 200, other.get_data(as_text=True)

    run_queue(rq_app)
    failed = poll_job(client, waiting.headers["Location"])
    assert failed["status"] == "failed" and failed["error"]["code"] == "plan_changed"
    assert client.get(f"/api/v1/plans/{plan_id}").get_json() == other.get_json()


def test_a_change_without_the_owner_token_never_reaches_redis(rq_app, plan_id):
    client = rq_app.test_client()
    error_of(client.post(f"/api/v1/plans/{plan_id}/swap", json={"day": 1, "slot": "lunch"}),
             403, "forbidden")
    error_of(client.post(f"/api/v1/plans/{plan_id}/regenerate", json={"keep": []},
                         headers={**owner(plan_id), "If-Match": '"nope"'}),
             412, "precondition_failed")
    assert rq_queue(rq_app).job_ids == []


def children_of(pid: int) -> list[int]:
    """The processes whose parent is `pid` (from /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


class WorkerProcess:
    """A real `mealplanner worker` (RQ's forking Worker) on the test's queue."""

    def __init__(self, rq_app, database_url: str) -> None:
        env = {**os.environ, "MEALPLANNER_DATABASE_URL": database_url,
               "MEALPLANNER_REDIS_URL": redis_url(),
               "MEALPLANNER_JOB_QUEUE": rq_app.config["MEALPLANNER_JOB_QUEUE"]}
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from mealplanner.cli import main; main()", "worker"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def wait_until_running(self, client, job_url: str) -> None:
        deadline = time.monotonic() + POLL_LIMIT_SECONDS
        while client.get(job_url).get_json()["status"] == "queued":
            assert self.process.poll() is None, self.process.stdout.read()
            assert time.monotonic() < deadline, "the worker never started the job"
            time.sleep(0.05)

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            output, _ = self.process.communicate(timeout=POLL_LIMIT_SECONDS)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
        return output


def test_a_forking_worker_finishes_its_job_on_sigterm(rq_app, database_url):
    client = rq_app.test_client()
    response = client.post("/api/v1/plans", json={**PLAN_REQUEST, "days": 3,
                                                  "time_limit_seconds": 3})
    assert response.status_code == 202
    job_url = response.headers["Location"]
    worker = WorkerProcess(rq_app, database_url)
    try:
        worker.wait_until_running(client, job_url)
    finally:
        output = worker.stop()  # warm shutdown: the job in hand is finished first
    assert worker.process.returncode == 0, output
    done = client.get(job_url).get_json()
    assert done["status"] == "done", (done, output)
    assert client.get(done["plan_url"]).get_json()["request"]["days"] == 3


def test_a_killed_work_horse_fails_its_job_and_the_worker_goes_on(rq_app, database_url):
    client = rq_app.test_client()
    slow = client.post("/api/v1/plans", json={**PLAN_REQUEST, "days": 7,
                                              "time_limit_seconds": 30})
    job_url = slow.headers["Location"]
    worker = WorkerProcess(rq_app, database_url)
    try:
        worker.wait_until_running(client, job_url)
        horses = children_of(worker.process.pid)
        assert len(horses) == 1
        os.kill(horses[0], signal.SIGKILL)
        lost = poll_job(client, job_url)
        assert lost["status"] == "failed" and lost["error"]["code"] == "internal_error"
        assert "Send the request again" in lost["error"]["message"]
        after = client.post("/api/v1/plans", json=PLAN_REQUEST)  # the worker still works
        assert poll_job(client, after.headers["Location"])["status"] == "done"
    finally:
        output = worker.stop()
    assert worker.process.returncode == 0, output


def test_redis_not_answering_is_503_and_queues_nothing(app, database_url):
    from mealplanner import create_app
    from mealplanner.jobs import store

    down = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
                       "SECRET_KEY": "test-secret", "MEALPLANNER_REDIS_URL": "redis://127.0.0.1:1/0",
                       "MEALPLANNER_SHORT_WAIT_SECONDS": 0})
    with down.app_context():
        before = store.pending_count()
    response = down.test_client().post("/api/v1/plans", json=PLAN_REQUEST)
    error_of(response, 503, "planner_busy")
    assert response.headers["Retry-After"] == "10"
    with down.app_context():
        assert store.pending_count() == before
        from mealplanner.extensions import db

        db.session.remove()  # give back the connection the count used, or dispose leaks it
        db.engine.dispose()
