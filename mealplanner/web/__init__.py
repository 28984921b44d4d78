"""The web pages: plan request form, weekly plan, recipes, shopping list, food browser.

`init_app` binds CSRF protection (every form POST outside /api), the security headers and
the HTML error pages for paths outside /api; the JSON API keeps its own error format.
"""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from mealplanner.extensions import csrf

bp = Blueprint(
    "web", __name__, template_folder="templates", static_folder="static",
    static_url_path="/assets",
)

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
HTML_ERROR_CODES = (400, 403, 404, 405, 413, 429, 500, 503)


def is_api_path(path: str) -> bool:
    # /health and /ready are the API's probes at the root: JSON errors too (mealplanner.api.base)
    return path == "/api" or path.startswith("/api/") or path in ("/health", "/ready")


def init_app(app: Flask) -> None:
    """Register the pages at "/" with CSRF, security headers and HTML error pages."""
    from mealplanner.web import browse, plans, recipes  # noqa: F401  (routes on bp)
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
    for code in HTML_ERROR_CODES:
        app.register_error_handler(code, html_error)
    app.register_blueprint(bp)
    register_filters(app)


def csrf_outside_api() -> None:
    """Every POST, PUT, PATCH and DELETE outside /api needs the form's CSRF token."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True) or is_api_path(request.path):
        return
    csrf.protect(apply_exemptions=True)


def security_headers(response):
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def html_error(error: HTTPException):
    """An HTML page outside /api; under /api, whatever the API registered for HTTPException."""
    if is_api_path(request.path):
        api_handler = current_app.error_handler_spec[None][None].get(HTTPException)
        return api_handler(error) if api_handler else error
    if not isinstance(error, HTTPException):  # an unhandled exception reaches us as 500
        error = InternalServerError()
    title, message = _error_text(error)
    data = getattr(error, "data", None) or {}  # flask-smorest's abort(): message, headers
    headers = dict(data.get("headers") or {})
    limited = getattr(error, "response", None)  # the rate limiter's 429 carries Retry-After
    if error.code == 429 and limited is not None and "Retry-After" in limited.headers:
        headers["Retry-After"] = limited.headers["Retry-After"]
        message = (f"Plans were asked for too quickly from this address. Wait "
                   f"{limited.headers['Retry-After']} seconds, then send the form again.")
    return render_template("web/error.html", code=error.code, title=title,
                           message=data.get("message") or message), error.code, headers


def _error_text(error: HTTPException) -> tuple[str, str]:
    if isinstance(error, CSRFError):
        return ("The form expired",
                "The page you sent the form from was too old or came from somewhere else. "
                "Go back, reload the page and try again.")
    titles = {403: "Not your plan", 404: "Page not found", 405: "Not allowed here",
              429: "Too many requests", 500: "Something went wrong", 503: "The planner is busy"}
    title = titles.get(error.code, error.name)
    if error.code == 500:
        return title, "The server could not finish this request. Please try again."
    return title, error.description or ""
