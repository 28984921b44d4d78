"""The function a worker runs for one job: mark it running, do its work, store the outcome.

The same function serves both runners: the in-process pool calls `perform` inside an app
context; an RQ work horse calls `run_job`, which enters the app the worker built once
(`mealplanner worker` binds it: `bind_app`).
"""

from __future__ import annotations

import logging
import os

from flask import Flask

from mealplanner.extensions import db
from mealplanner.jobs import store
from mealplanner.jobs.kinds import JobFailed, run_kind, without_secrets
from mealplanner.plans.capacity import waiting_for_a_slot

log = logging.getLogger(__name__)
_app: Flask | None = None
_app_pid = 0  # the process that bound the app: another one is a forked work horse
INTERNAL = store.JobError(500, "internal_error",
                          "The server hit an unexpected error while planning; it has been "
                          "logged. Nothing was saved.", {})


def bind_app(app: Flask | None) -> None:
    """The app whose context `run_job` runs in (the worker's, or a test's)."""
    global _app, _app_pid
    _app, _app_pid = app, os.getpid()


def worker_app() -> Flask:
    if _app is None:
        raise RuntimeError("no app bound for plan jobs: run them with `mealplanner worker`")
    return _app


def run_job(job_id: str) -> str:
    """RQ's entry point: the job in the worker's app; returns the job's final status."""
    with worker_app().app_context():
        if os.getpid() != _app_pid:  # a forked horse: never reuse the parent's connections
            db.engine.dispose(close=False)
        return perform(job_id)


def perform(job_id: str) -> str:
    """Run a queued job once (a job not queued any more is left alone)."""
    job = store.start(job_id)
    if job is None:
        return "skipped"
    kind, payload = job.kind, job.request
    try:
        with waiting_for_a_slot(job.timeout_seconds):  # its turn came: never turned away
            made = run_kind(kind, payload)
    except JobFailed as failed:
        db.session.rollback()
        store.fail(job_id, failed.error, request=without_secrets(payload))
        return "failed"
    except Exception:  # a bug or a timeout: the job fails, the worker lives on
        log.exception("job %s (%s) failed", job_id, kind)
        db.session.rollback()
        store.fail(job_id, INTERNAL, request=without_secrets(payload))
        return "failed"
    store.finish(job_id, made.plan_id, made.owner_token, request=without_secrets(payload))
    return "done"


def mark_lost(job_id: str) -> None:
    """A job whose run ended without an outcome (its work horse was killed): failed."""
    with worker_app().app_context():
        if store.fail(job_id, store.lost_error()):
            log.warning("job %s lost by its worker: marked failed", job_id)
        db.session.remove()
        db.engine.dispose()  # the worker forks again: keep no connection across it
