"""Submitting a job and waiting a little for it: the one interface both runners sit behind.

`submit(kind, payload, time_limit)` stores a queued job and hands it to the app's runner (a
thread pool in this process, or RQ on Redis: see mealplanner/jobs/__init__.py), unless the
queue is full: then PlannerBusy, whose Retry-After is the time the jobs ahead need.
`wait(job_id, seconds)` returns the job as stored once it is finished or the wait is over.
"""

from __future__ import annotations

import math
import time
from typing import Protocol

from flask import current_app
from redis.exceptions import RedisError

from mealplanner.jobs import store
from mealplanner.jobs.models import DONE, FAILED, Job
from mealplanner.plans.capacity import PlannerBusy

POLL_SECONDS = 0.05
QUEUE_DOWN = (RedisError, OSError)  # the queue's store (Redis) does not answer
_KEY = "mealplanner.jobs"


class Runner(Protocol):
    """Runs queued jobs somewhere: this process's pool, or RQ workers."""

    def enqueue(self, job_id: str, timeout_seconds: int) -> None: ...

    def pending(self) -> int: ...

    def workers(self) -> int: ...

    def wait(self, job_id: str, seconds: float) -> None: ...


def runner() -> Runner:
    return current_app.extensions[_KEY]


def job_timeout(time_limit_seconds: float) -> int:
    """How long a run may take before it counts as lost: the solver's limit on the wall
    clock (explanations and fixes solve again: 3 x) and a margin."""
    return int(math.ceil(3 * time_limit_seconds)) + 30


def retry_after(ahead: int, workers: int) -> int:
    """Seconds until the jobs ahead are done: jobs x typical solve / workers, at least 1."""
    if workers <= 0:
        return int(current_app.config["MEALPLANNER_PLANNER_RETRY_AFTER"])
    typical = float(current_app.config["MEALPLANNER_TYPICAL_SOLVE_SECONDS"])
    return max(1, math.ceil(ahead * typical / workers))


def capacity(workers: int) -> int:
    configured = current_app.config.get("MEALPLANNER_QUEUE_CAPACITY")
    return int(configured) if configured is not None else 4 * workers


def submit(kind: str, payload: dict, time_limit_seconds: float) -> str:
    """Queue a job; PlannerBusy (503 + Retry-After) when queued + running reach capacity."""
    jobs = runner()
    try:
        workers, ahead = jobs.workers(), jobs.pending()
    except QUEUE_DOWN as error:
        raise queue_down(error) from None
    if ahead >= capacity(workers):
        raise PlannerBusy(retry_after(ahead, workers))
    store.forget_finished(int(current_app.config["MEALPLANNER_JOB_KEEP_SECONDS"]))
    job = store.new_job(kind, payload, job_timeout(time_limit_seconds))
    try:
        jobs.enqueue(job.id, job.timeout_seconds)
    except QUEUE_DOWN as error:
        store.fail(job.id, store.lost_error())
        raise queue_down(error) from None
    return job.id


def queue_down(error: Exception) -> PlannerBusy:
    """Redis does not answer: nothing is queued, and the client is asked to come back."""
    current_app.logger.warning("job queue unavailable: %s", error.__class__.__name__)
    return PlannerBusy(int(current_app.config["MEALPLANNER_PLANNER_RETRY_AFTER"]))


def wait(job_id: str, seconds: float) -> Job:
    """The job once done or failed, or as it is when `seconds` have passed."""
    runner().wait(job_id, seconds)
    job = store.find_job(job_id)
    assert job is not None, job_id
    return job


def poll(job_id: str, seconds: float) -> None:
    """Wait by reading the job row every POLL_SECONDS (any runner, any process)."""
    deadline = time.monotonic() + seconds
    while True:
        job = store.find_job(job_id)
        if job is None or job.status in (DONE, FAILED) or time.monotonic() >= deadline:
            return
        time.sleep(min(POLL_SECONDS, max(0.0, deadline - time.monotonic())))


def job_deadline_check(job_id: str) -> Job | None:
    """The job as stored, failed first if its runner lost it (past its timeout)."""
    job = store.find_job(job_id)
    if job is not None and store.is_abandoned(job, max_wait(), store.utc_now()):
        store.fail(job_id, store.lost_error())
        job = store.find_job(job_id)
    return job


def max_wait() -> int:
    return int(current_app.config["MEALPLANNER_QUEUE_MAX_WAIT_SECONDS"])


def short_wait() -> float:
    return float(current_app.config["MEALPLANNER_SHORT_WAIT_SECONDS"])


def page_wait(time_limit_seconds: float) -> float:
    """How long a plan page waits for its change's job: as long as the job may run, so the page
    answers with the outcome in place, as it did when it solved inside the request."""
    return max(short_wait(), float(job_timeout(time_limit_seconds)))


def init_app(app, jobs: Runner) -> None:
    app.extensions[_KEY] = jobs
