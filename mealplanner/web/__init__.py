"""The web pages: plan request form, weekly plan, recipes, shopping list, food browser.

`init_app` binds CSRF protection (every form POST outside /api) and the security headers
(HSTS too in production, on answers to HTTPS requests: behind a proxy that ends TLS, with
MEALPLANNER_TRUSTED_PROXIES so that X-Forwarded-Proto is believed); error pages come from
mealplanner.errors (templates/web/error.html).
"""

from __future__ import annotations

from flask import Flask, current_app, request

from mealplanner.errors import is_api_path
from mealplanner.extensions import csrf
from mealplanner.web.blueprint import bp, shopping_templates

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "frame-ancestors 'none'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
])
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
# Browsers keep to HTTPS for a year once they saw this over HTTPS (RFC 6797); never sent in
# development, where the server is plain HTTP on localhost.
STRICT_TRANSPORT_SECURITY = "max-age=31536000"


def init_app(app: Flask) -> None:
    """Register the pages at "/" with CSRF and security headers."""
    from mealplanner.web import (  # noqa: F401  (their routes are on bp)
        browse,
        exceptions,
        fridge,
        jobs,
        plans,
        recipes,
        regenerate,
        shopping_list,
        swaps,
    )
    from mealplanner.web.filters import register_filters

    # The check runs in csrf_outside_api below instead of Flask-WTF's own hook, so JSON
    # requests under /api never need a token whatever order the blueprints are registered in.
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    # Tokens live as long as the browser session: a plan page left open still swaps meals.
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)
    if "csrf" not in app.extensions:
        csrf.init_app(app)
    app.before_request(csrf_outside_api)
    app.after_request(security_headers)
    app.register_blueprint(bp)
    app.register_blueprint(shopping_templates)
    register_filters(app)


def csrf_outside_api() -> None:
    """Every POST, PUT, PATCH and DELETE outside /api needs the form's CSRF token."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True) or is_api_path(request.path):
        return
    csrf.protect(apply_exemptions=True)


def security_headers(response):
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if current_app.config.get("MEALPLANNER_ENV") == "production" and request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
    return response
