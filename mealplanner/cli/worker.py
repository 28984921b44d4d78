"""`mealplanner worker`: run plan jobs from Redis (RQ) beside the web processes.

The worker builds the app once (the command's app), reads the food catalog once, and closes
its database connections; RQ then forks a work horse per job, which inherits the catalog and
opens its own connections, so a crash or a runaway solve ends that horse only. SIGTERM (or
Ctrl+C) is RQ's warm shutdown: the job in hand is finished first; a second one stops at once,
and the job is marked failed (never silently lost).
"""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from mealplanner.extensions import db


@click.command()
@click.option("--burst", is_flag=True, help="Stop once the queue is empty (tests, batch runs).")
@click.option("--name", default=None, help="The worker's name in Redis (default: RQ's).")
@with_appcontext
def worker(burst: bool, name: str | None) -> None:
    """Run plan jobs from the Redis queue (needs MEALPLANNER_REDIS_URL)."""
    from rq import Worker

    from mealplanner.jobs import tasks
    from mealplanner.jobs.runner_rq import RQRunner, horse_killed
    from mealplanner.plans.catalog import current_catalog

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config.get("MEALPLANNER_REDIS_URL"):
        click.echo("Error: mealplanner worker needs MEALPLANNER_REDIS_URL (Redis).", err=True)
        sys.exit(2)
    runner = RQRunner.from_config(app.config)
    current_catalog()  # read once; every work horse inherits it
    db.session.remove()
    db.engine.dispose()  # no connection crosses a fork
    tasks.bind_app(app)
    click.echo(f"mealplanner worker on queue {runner.queue.name!r}", err=True)
    Worker([runner.queue], connection=runner.connection, name=name,
           work_horse_killed_handler=horse_killed).work(burst=burst, with_scheduler=False)
