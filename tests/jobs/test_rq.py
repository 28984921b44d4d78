"""Plans through RQ on the local Redis: a queue of each test's own, an in-process SimpleWorker
for the deterministic cases and one real forking `mealplanner worker`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from rq import SimpleWorker

from tests.helpers import PLAN_REQUEST, error_of
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

        db.engine.dispose()
