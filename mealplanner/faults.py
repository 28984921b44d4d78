"""When a dependency fails, answer 503 and keep serving; refuse input nested too deeply.

- The database stops answering (connection refused or dropped, pool exhausted): 503 with
  Retry-After; under /api in the error shape (code `database_unavailable`), elsewhere a plain
  503 page. Nothing about the error (SQL, driver message, host) reaches the client. The pool
  checks each connection before use (pool_pre_ping), so the next request after the database
  returns gets a fresh connection: no restart needed.
- JSON nested deeper than MAX_JSON_DEPTH: 400 before anything parses it (the API's body check
  calls `json_too_deep`); any RecursionError left (a page parsing JSON itself) is a 400 too.
"""

from __future__ import annotations

import itertools
import re

import sqlalchemy as sa
from flask import Flask, current_app
from werkzeug.exceptions import BadRequest, HTTPException, ServiceUnavailable

MAX_JSON_DEPTH = 32
DB_RETRY_AFTER = 5  # seconds
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)
_BRACKET = re.compile(rb"[\[\]{}]")

# Errors that mean "the database is not there right now", not "this query is wrong".
UNAVAILABLE = (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.TimeoutError,
               sa.exc.DisconnectionError)


def init_app(app: Flask) -> None:
    app.config.setdefault("MEALPLANNER_DB_RETRY_AFTER", DB_RETRY_AFTER)
    for error_class in UNAVAILABLE:
        app.register_error_handler(error_class, database_unavailable)
    app.register_error_handler(RecursionError, too_deep)


def database_unavailable(error: Exception):
    from mealplanner.api.base import render_error
    from mealplanner.extensions import db

    current_app.logger.warning("database unavailable: %s", error.__class__.__name__)
    try:
        db.session.rollback()
    except sa.exc.SQLAlchemyError:
        pass
    retry_after = int(current_app.config["MEALPLANNER_DB_RETRY_AFTER"])
    message = f"The database is not answering; retry in {retry_after} seconds."
    return render_error(_with_data(ServiceUnavailable(message, retry_after=retry_after), {
        "message": message, "error_code": "database_unavailable",
        "headers": {"Retry-After": str(retry_after)}}))


def too_deep(error: RecursionError):
    from mealplanner.api.base import render_error

    current_app.logger.warning("request nested too deeply (RecursionError)")
    return render_error(BadRequest("The request is nested too deeply."))


def json_too_deep(data: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when brackets outside strings nest deeper than `limit` (the text is not parsed)."""
    steps = (1 if m.group() in b"[{" else -1
             for m in _BRACKET.finditer(_STRING.sub(b"", data)))
    return max(itertools.accumulate(steps, initial=0)) > limit


def _with_data(error: HTTPException, data: dict) -> HTTPException:
    error.data = data  # what flask_smorest.abort attaches; render_error reads it
    return error
