"""One JSON line per request on the logger "mealplanner.requests", and a request id.

The id is the client's X-Request-ID when it is a safe token (letters, digits, `.`, `_`, `-`;
at most 64 characters), else a new uuid4; it is echoed in the X-Request-ID response header and
written in the line. The line holds no body, no query string and no header but the id:
    {"time": "...Z", "request_id": "...", "method": "POST", "path": "/api/v1/plans",
     "status": 201, "duration_ms": 812.4, "remote_addr": "10.0.0.7"}
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, g, request

LOGGER_NAME = "mealplanner.requests"
HEADER = "X-Request-ID"
SAFE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")

logger = logging.getLogger(LOGGER_NAME)


def init_app(app: Flask) -> None:
    """Time every request and log it; outside tests the lines go to standard output."""
    if not app.testing and not logger.handlers:
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False  # the line is already complete; no second, prefixed copy
    app.before_request(start_request)
    app.after_request(log_request)


def request_id() -> str:
    """The current request's id (assigned on first use)."""
    if "request_id" not in g:
        incoming = request.headers.get(HEADER, "")
        g.request_id = incoming if SAFE_ID.fullmatch(incoming) else uuid.uuid4().hex
    return g.request_id


def start_request() -> None:
    g.request_started = time.perf_counter()
    request_id()


def log_request(response):
    started = g.get("request_started")
    duration_ms = (time.perf_counter() - started) * 1000 if started is not None else None
    rid = request_id()
    response.headers[HEADER] = rid
    logger.info(json.dumps({
        "time": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "request_id": rid,
        "method": request.method,
        "path": request.path,
        "status": response.status_code,
        "duration_ms": round(duration_ms, 1) if duration_ms is not None else None,
        "remote_addr": request.remote_addr,
    }, ensure_ascii=True))
    return response
