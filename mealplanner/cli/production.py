"""`mealplanner serve --production`: the app behind gunicorn, sized to the machine.

The master process switches the app the command loaded to production settings (as
MEALPLANNER_ENV=production would), refuses the development secret key (exit 2), brings the
schema up to date, seeds an empty database and reads the food catalog once, then closes its
database connections and forks the workers (gunicorn's preload: workers share the catalog
copy-on-write and open their own connections).

Sizing. A plan is CP-SAT work: each solve keeps two threads busy for up to its time limit, and
reads (plans, lists, foods) are milliseconds. So processes follow the cores, not gunicorn's
I/O-bound rule of 2 x cores + 1: `--workers` defaults to the number of cores (at least 2, so
one process restarting never stops service) and is capped at 2 x cores + 1. Each worker runs
`--threads` (default 4) gthread threads, so reads keep flowing while solves run; how many of
those threads may solve at once is MEALPLANNER_PLANNER_SLOTS (default 1, then 503 +
Retry-After). On 2 cores: 2 workers x 4 threads, at most 2 solves at once. New plans, swaps
and regenerations are solved on each process's job pool of that size (mealplanner/jobs), or,
with MEALPLANNER_REDIS_URL, by `mealplanner worker` processes; the graceful timeout (below)
outlasts the short wait a request holds its thread for (MEALPLANNER_SHORT_WAIT_SECONDS, 3 s).

Stopping. On SIGTERM gunicorn stops accepting and lets every request in flight finish for up
to its graceful timeout, which is longer than the longest request: the most solver time a
request may ask for (the schema's maximum time_limit_seconds), times the wall clock a solve
may take around its search (floors, an explanation and its checked fixes), plus a margin. The
worker timeout (a worker silent that long is killed) is longer still.

Request lines may be up to 8190 bytes (gunicorn's most): the app itself answers URLs over
MAX_URL_LENGTH with a 414 in the API's error shape; a line past gunicorn's limit, headers over
its limits and requests it cannot parse are answered in the same JSON shape by the worker class
(cli/gunicorn_worker.py), never as gunicorn's HTML page.

Any other gunicorn setting can be given in GUNICORN_CMD_ARGS (e.g. "--max-requests 1000").
"""

from __future__ import annotations

import os

import click
from flask import Flask
from gunicorn.app.base import BaseApplication
from marshmallow import validate

from mealplanner.config import InsecureConfiguration, check_production, finish
from mealplanner.database import ensure_database
from mealplanner.extensions import db
from mealplanner.plans.catalog import current_catalog
from mealplanner.plans.schemas import PlanRequestSchema

DEFAULT_THREADS = 4
WALL_CLOCK_PER_SOLVER_SECOND = 3  # the search, then its floors, an explanation, checked fixes
STOP_MARGIN_SECONDS = 10
REQUEST_LINE_LIMIT = 8190  # gunicorn's largest limit_request_line


def longest_solve_seconds() -> float:
    """The most solver time a plan request may ask for: time_limit_seconds' maximum."""
    field = PlanRequestSchema().fields["time_limit_seconds"]
    return max(v.max for v in field.validators if isinstance(v, validate.Range))


def graceful_timeout() -> int:
    """Seconds a stopping worker gives its requests in flight: more than the longest one."""
    return int(longest_solve_seconds() * WALL_CLOCK_PER_SOLVER_SECOND + STOP_MARGIN_SECONDS)


def default_workers(cores: int | None = None) -> int:
    return max(2, cores or os.cpu_count() or 1)


def max_workers(cores: int | None = None) -> int:
    return 2 * (cores or os.cpu_count() or 1) + 1


class GunicornServer(BaseApplication):
    """gunicorn embedded: our settings, then GUNICORN_CMD_ARGS; the app is already loaded."""

    def __init__(self, app: Flask, options: dict) -> None:
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)
        env_args = vars(self.cfg.parser().parse_args(self.cfg.get_cmd_args_from_env()))
        # gunicorn 25.1+ opens a control socket at one path per user, which a second server
        # on the machine would collide with; opt in with GUNICORN_CMD_ARGS=--control-socket P.
        self.cfg.set("control_socket_disable", env_args.get("control_socket") is None)
        for key, value in env_args.items():
            if value is not None and key != "args":
                self.cfg.set(key.lower(), value)

    def load(self) -> Flask:
        return self.application


def make_production(app: Flask) -> None:
    """Switch the (not yet serving) app to production settings and make its database ready;
    raises InsecureConfiguration before touching the database."""
    app.config["MEALPLANNER_ENV"] = "production"
    finish(app.config)  # Secure cookies, https URLs
    check_production(app.config)
    with app.app_context():
        ensure_database()
        current_catalog()  # read once here; the forked workers inherit it
        db.session.remove()
        db.engine.dispose()  # no connection crosses the fork


def gunicorn_options(host: str, port: int, workers: int | None, threads: int | None) -> dict:
    workers = workers or default_workers()
    if workers > max_workers():
        click.echo(f"--workers {workers} is more than 2 x cores + 1; using {max_workers()}.",
                   err=True)
        workers = max_workers()
    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "mealplanner.cli.gunicorn_worker.JsonErrorsWorker",  # gthread
        "threads": threads or DEFAULT_THREADS,
        "graceful_timeout": graceful_timeout(),
        "timeout": graceful_timeout() + 20,  # a worker silent longer than any request: killed
        "limit_request_line": REQUEST_LINE_LIMIT,
        "keepalive": 5,
        "accesslog": None,  # mealplanner.requestlog writes one JSON line per request
        "errorlog": "-",
        "proc_name": "mealplanner",
    }
    if os.path.isdir("/dev/shm"):
        options["worker_tmp_dir"] = "/dev/shm"  # heartbeat files off a possibly slow disk
    return options


def serve_production(app: Flask, host: str, port: int, workers: int | None,
                     threads: int | None) -> int:
    """Run the app in gunicorn until it is stopped; 2 when the configuration is refused."""
    try:
        make_production(app)
    except InsecureConfiguration as error:
        click.echo(f"Error: {error}", err=True)
        return 2
    options = gunicorn_options(host, port, workers, threads)
    click.echo(f"mealplanner: gunicorn on http://{options['bind']} with {options['workers']} "
               f"workers x {options['threads']} threads", err=True)
    GunicornServer(app, options).run()
    return 0
