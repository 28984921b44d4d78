"""`mealplanner serve`: the development server, or gunicorn with --production."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from mealplanner.database import ensure_database


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--production", is_flag=True,
              help="Run gunicorn instead of the development server (MEALPLANNER_ENV="
                   "production; needs MEALPLANNER_SECRET_KEY, else exit 2).")
@click.option("--workers", type=click.IntRange(1), default=None,
              help="With --production: processes (default: cores, at least 2).")
@click.option("--threads", type=click.IntRange(1), default=None,
              help="With --production: threads per process (default 4).")
@with_appcontext
def serve(host: str, port: int, production: bool, workers: int | None,
          threads: int | None) -> None:
    """Run the server; creates and seeds the database on first start."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if production:
        from mealplanner.cli.production import serve_production

        sys.exit(serve_production(app, host, port, workers, threads))
    ensure_database()
    # Flask ignores app.run() inside its own CLI, so start werkzeug's server directly.
    from werkzeug.serving import run_simple

    click.echo(f"mealplanner on http://{host}:{port}/ (development server; Ctrl+C stops)")
    run_simple(host, port, app, use_reloader=False, use_debugger=False, threaded=True)
