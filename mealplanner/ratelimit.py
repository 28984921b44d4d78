"""Rate limits per client address (Flask-Limiter), with the API's 429 and a Retry-After.

The settings below are read from the environment by mealplanner.config.

- Every request: MEALPLANNER_RATE_LIMIT (default "600 per minute") per client address, one
  count over all routes.
- Planning (POST under /api/v1/plans and the plan forms: each one runs the solver):
  MEALPLANNER_PLAN_RATE_LIMIT (default "30 per minute"), one budget shared by API and pages.
- /health and /ready are never limited (load balancers poll them).

Counters live in memory (per process: each gunicorn worker counts on its own) unless
MEALPLANNER_REDIS_URL names a Redis, which every worker and host then share. If Redis stops
answering, counting falls back to memory rather than failing requests.

Each app gets its own Limiter: Flask-Limiter keeps `enabled` and the storage on the instance,
so one module-level instance bound to several apps (the tests make many) would share them.
Limits are on unless the app is TESTING; a test turns them on with RATELIMIT_ENABLED=True.
"""

from __future__ import annotations

import time

from flask import Flask, current_app, request
from flask_limiter import Limiter, RequestLimit

_KEY = "mealplanner.limiter"


def client_address() -> str:
    """The client's address as the app sees it (set MEALPLANNER_TRUSTED_PROXIES behind one)."""
    return request.remote_addr or "unknown"


def init_app(app: Flask) -> Limiter:
    """Bind a Limiter to the app; call after the API and page blueprints are registered."""
    config = app.config
    config.setdefault("RATELIMIT_ENABLED", not app.testing)
    config.setdefault("RATELIMIT_STORAGE_URI", config.get("MEALPLANNER_REDIS_URL") or "memory://")
    config.setdefault("RATELIMIT_STORAGE_OPTIONS",
                      {} if config["RATELIMIT_STORAGE_URI"].startswith("memory")
                      else {"socket_connect_timeout": 1, "socket_timeout": 1})
    limiter = Limiter(
        client_address,
        application_limits=[config["MEALPLANNER_RATE_LIMIT"]],  # one count over all routes
        storage_uri=config["RATELIMIT_STORAGE_URI"],
        strategy="moving-window",
        in_memory_fallback_enabled=True,  # Redis down: count in memory, keep serving
        swallow_errors=True,
        on_breach=too_many_requests,
    )
    planning = limiter.shared_limit(config["MEALPLANNER_PLAN_RATE_LIMIT"], scope="planning",
                                    methods=["POST"])
    for name in ("plans", "web"):  # the API's plan resources and the plan forms
        if name in app.blueprints:
            planning(app.blueprints[name])
    if "health" in app.blueprints:
        limiter.exempt(app.blueprints["health"])
    limiter.init_app(app)
    app.extensions[_KEY] = limiter
    return limiter


def limiter() -> Limiter:
    return current_app.extensions[_KEY]


def too_many_requests(limit: RequestLimit):
    """The 429's Retry-After; the API's error handler turns it into the error shape."""
    retry_after = max(1, int(limit.reset_at - time.time()))
    return current_app.response_class(
        f"Too many requests; retry in {retry_after} seconds.\n", status=429,
        mimetype="text/plain", headers={"Retry-After": str(retry_after)})
