"""Job fixtures: the 202 path (no short wait), polling a job to its end, and Redis."""

from __future__ import annotations

import os
import time
import uuid

import pytest

from mealplanner.jobs import queue

POLL_LIMIT_SECONDS = 120  # a deadline against hanging, never a measure


@pytest.fixture()
def no_wait(app, monkeypatch):
    """POST answers at once: 202 unless the job is already finished."""
    monkeypatch.setitem(app.config, "MEALPLANNER_SHORT_WAIT_SECONDS", 0)
    return app


def poll_job(client, url: str) -> dict:
    """GET the job until it is done or failed."""
    deadline = time.monotonic() + POLL_LIMIT_SECONDS
    while time.monotonic() < deadline:
        response = client.get(url)
        assert response.status_code == 200, response.get_data(as_text=True)
        job = response.get_json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.05)
    pytest.fail(f"job {url} still not finished")


def redis_url() -> str:
    return os.environ.get("MEALPLANNER_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture(scope="session")
def redis_connection():
    """The local Redis, or the test is skipped saying why."""
    from redis import Redis
    from redis.exceptions import RedisError

    connection = Redis.from_url(redis_url())
    try:
        connection.ping()
    except RedisError as error:
        if os.environ.get("MEALPLANNER_TEST_REDIS_REQUIRED"):  # CI: the RQ path must run
            pytest.fail(f"Redis does not answer at {redis_url()}: {error}")
        pytest.skip(f"Redis does not answer at {redis_url()} ({error.__class__.__name__}): "
                    "the RQ tests need it (redis-server --daemonize yes)")
    return connection


@pytest.fixture()
def rq_app(redis_connection, database_url, app):
    """An app on the test database whose jobs go to a queue of this test's own on Redis."""
    from rq import Queue

    from mealplanner import create_app
    from mealplanner.jobs import tasks

    name = f"mealplanner-test-{uuid.uuid4().hex[:10]}"
    rq_app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
                         "SECRET_KEY": "test-secret", "MEALPLANNER_REDIS_URL": redis_url(),
                         "MEALPLANNER_JOB_QUEUE": name, "MEALPLANNER_SHORT_WAIT_SECONDS": 0})
    tasks.bind_app(rq_app)
    yield rq_app
    tasks.bind_app(None)
    rq_queue = Queue(name, connection=redis_connection)
    for registry in (rq_queue.started_job_registry, rq_queue.finished_job_registry,
                     rq_queue.failed_job_registry):
        for job_id in registry.get_job_ids():
            registry.remove(job_id, delete_job=True)
    rq_queue.delete(delete_jobs=True)
    with rq_app.app_context():
        from mealplanner.extensions import db

        db.engine.dispose()


def rq_queue(rq_app):
    with rq_app.app_context():
        return queue.runner().queue
