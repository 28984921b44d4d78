"""The embedded runner: a small thread pool in the web process (no Redis needed).

Each job runs in its own app context on one of MEALPLANNER_JOB_WORKERS threads (default: the
planner slots); a wait is a wait on the job's future, so a plan ready early answers at once.
Jobs of a process that stops are lost with it; reading such a job fails it
(queue.job_deadline_check).
"""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_for

from flask import Flask

from mealplanner.jobs import tasks


class InProcessRunner:
    def __init__(self, app: Flask, size: int) -> None:
        self.app = app
        self.size = size
        self._pool = ThreadPoolExecutor(max_workers=size, thread_name_prefix="mealplanner-job") \
            if size > 0 else None
        self._futures: dict[str, Future] = {}
        self._lock = threading.Lock()

    def enqueue(self, job_id: str, timeout_seconds: int) -> None:
        if self._pool is None:
            raise RuntimeError("no job workers (MEALPLANNER_JOB_WORKERS is 0)")
        future = self._pool.submit(self._run, job_id)
        with self._lock:
            self._futures[job_id] = future
        future.add_done_callback(lambda _f: self._forget(job_id))

    def pending(self) -> int:
        with self._lock:
            return sum(not future.done() for future in self._futures.values())

    def workers(self) -> int:
        return self.size

    def wait(self, job_id: str, seconds: float) -> None:
        with self._lock:
            future = self._futures.get(job_id)
        if future is not None:
            wait_for([future], timeout=seconds)

    def _run(self, job_id: str) -> str:
        with self.app.app_context():
            return tasks.perform(job_id)

    def _forget(self, job_id: str) -> None:
        with self._lock:
            self._futures.pop(job_id, None)
