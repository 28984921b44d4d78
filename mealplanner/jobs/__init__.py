"""Solving off the request thread: plan jobs, queued and run by one of two runners.

- In-process (the default; MEALPLANNER_JOBS=inprocess): a thread pool in each web process.
  The README's one command needs nothing else.
- RQ (MEALPLANNER_JOBS=rq, the default when MEALPLANNER_REDIS_URL is set): the web process
  enqueues `tasks.run_job(job_id)` on Redis, and `mealplanner worker` processes run it, each
  job in a forked work horse, so a crash or a runaway solve never takes a web process down.

Job state lives in the database (jobs/models.py), so any web process answers for any job.
"""

from __future__ import annotations

from flask import Flask

from mealplanner.jobs import queue


def runner_kind(config) -> str:
    """'rq' or 'inprocess', from MEALPLANNER_JOBS, else from whether Redis is configured."""
    asked = (config.get("MEALPLANNER_JOBS") or "").strip().lower()
    if asked:
        return asked
    return "rq" if config.get("MEALPLANNER_REDIS_URL") else "inprocess"


def init_app(app: Flask) -> None:
    """Bind the app's runner."""
    from mealplanner.jobs import models  # noqa: F401  (registers the table)

    kind = runner_kind(app.config)
    if kind == "rq":
        from mealplanner.jobs.runner_rq import RQRunner

        queue.init_app(app, RQRunner.from_config(app.config))
    elif kind == "inprocess":
        from mealplanner.jobs.runner_inprocess import InProcessRunner

        size = app.config.get("MEALPLANNER_JOB_WORKERS")
        if size is None:
            size = app.config["MEALPLANNER_PLANNER_SLOTS"]
        queue.init_app(app, InProcessRunner(app, int(size)))
    else:
        raise ValueError(f"MEALPLANNER_JOBS is {kind!r}: it may be 'inprocess' or 'rq'")
