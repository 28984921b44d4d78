"""Every error handler of the app, in one place: JSON for the API, an HTML page for people.

- Under /api (and the /health and /ready probes) every error is JSON in one shape:
  {"error": {"code": "not_found", "message": "...", "details": {...}}}. Elsewhere it is the web
  page `web/error.html`, unless the client asks for JSON over HTML in its Accept header.
- `abort(status, message, code=..., details=..., headers=...)` stops a request with an error
  either renderer reads (the same `data` flask-smorest's own abort attaches).
- The database stops answering (connection refused or dropped, pool exhausted): 503 with
  Retry-After (code `database_unavailable`). Nothing about the error (SQL, driver message,
  host) reaches the client; the pool checks each connection before use (pool_pre_ping), so
  service resumes by itself when the database returns.
- A RecursionError (input nested too deeply for a parser) is a 400.
- The planner is busy (mealplanner.plans.capacity.PlannerBusy): 503 with Retry-After (code
  `planner_busy`).
- The Allow header survives on 405 and a 304 from the ETag check carries its ETag, no body.
- The request limits' 414 (long URL) and 413 (large body, chunked too) come in the same
  shapes (mealplanner.request_limits).
"""

from __future__ import annotations

import http
from collections.abc import Mapping
from typing import Any, NoReturn

import sqlalchemy as sa
from flask import Flask, current_app, render_template, request
from flask import abort as flask_abort
from flask_smorest.exceptions import NotModified
from flask_smorest.utils import get_appcontext
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import (
    BadRequest,
    HTTPException,
    InternalServerError,
    ServiceUnavailable,
    TooManyRequests,
)
from werkzeug.http import quote_etag

from mealplanner.plans.capacity import PlannerBusy

API_PREFIX = "/api"
ROOT_API_PATHS = ("/health", "/ready")
DB_RETRY_AFTER = 5  # seconds

# Errors that mean "the database is not there right now", not "this query is wrong".
UNAVAILABLE = (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.TimeoutError,
               sa.exc.DisconnectionError)
# The machine-readable `code` for each status; handlers may pass a more precise one
# ("infeasible", "planner_busy").
ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    412: "precondition_failed",
    413: "payload_too_large",
    414: "uri_too_long",
    415: "unsupported_media_type",
    422: "validation_error",
    428: "precondition_required",
    429: "rate_limited",
    431: "request_headers_too_large",
    500: "internal_error",
    503: "unavailable",
}
MESSAGES = {
    404: "Nothing is found at this URL.",
    405: "This URL does not accept the {method} method.",
    413: "The request body is too large.",
    414: "The URL is too long.",
    415: "Send the request body as JSON with Content-Type: application/json.",
    429: "Too many requests; slow down and retry later.",
    500: "The server hit an unexpected error; it has been logged.",
}
CODE_TITLES = {"database_unavailable": "Temporarily unavailable"}
TITLES = {403: "Not your plan", 404: "Page not found", 405: "Not allowed here",
          429: "Too many requests", 500: "Something went wrong", 503: "The planner is busy"}


def init_app(app: Flask) -> None:
    """Register the handlers; flask-smorest's own is not registered (api.base.Api)."""
    app.config.setdefault("MEALPLANNER_DB_RETRY_AFTER", DB_RETRY_AFTER)
    app.register_error_handler(HTTPException, handle_http_error)
    for error_class in UNAVAILABLE:
        app.register_error_handler(error_class, database_unavailable)
    app.register_error_handler(RecursionError, too_deep)
    app.register_error_handler(PlannerBusy, planner_busy)


def is_api_path(path: str) -> bool:
    """The JSON API and its health probes, whose errors are always JSON."""
    return path == API_PREFIX or path.startswith(API_PREFIX + "/") or path in ROOT_API_PATHS


def wants_json() -> bool:
    """JSON under /api; elsewhere only when the client prefers JSON to HTML."""
    if is_api_path(request.path):
        return True
    accept = request.accept_mimetypes
    return accept["application/json"] > accept["text/html"]


def abort(status: int, message: str, *, code: str | None = None,
          details: Mapping[str, Any] | None = None,
          headers: Mapping[str, str] | None = None) -> NoReturn:
    """Stop the request with an error (raises); `code` is the API's machine-readable code."""
    data: dict[str, Any] = {"message": message}
    if code:
        data["error_code"] = code
    if details is not None:
        data["errors"] = details
    if headers:
        data["headers"] = dict(headers)
    try:
        flask_abort(status)
    except HTTPException as error:
        error.data = data
        raise


def handle_http_error(error: HTTPException):
    """The one handler for HTTP errors (and, as a 500, for any unhandled exception)."""
    if not isinstance(error, HTTPException):
        error = InternalServerError()
    if error.code is not None and error.code < 400 and not is_api_path(request.path):
        return error.get_response()
    if wants_json():
        return json_error(error)
    return html_page(error)


def json_error(error: HTTPException):
    """The API's error response (a 304 from the ETag check: its ETag and no body)."""
    if isinstance(error, NotModified):
        etag = get_appcontext().get("etag", {}).get("not_modified")
        return empty_response(304, {"ETag": quote_etag(etag)} if etag else {})
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
    if error.response is not None:
        headers.update((k, v) for k, v in error.response.headers.items()
                       if k.lower() not in ("content-type", "content-length"))
    headers.update(data.get("headers") or {})
    details = data.get("errors")
    if details is None and "messages" in data:  # webargs validation (422) or bad JSON (400)
        details = _field_errors(data["messages"])
    details = _jsonable(details or {})
    message = data.get("message")
    if message is None:
        message = _default_message(error, data, details)
    code = data.get("error_code") or ERROR_CODES.get(status) or _snake(error.name)
    body = {"error": {"code": code, "message": message, "details": details}}
    return body, status, headers


def _default_message(error: HTTPException, data: Mapping[str, Any],
                     details: Mapping[str, Any]) -> str:
    status = error.code or 500
    if "messages" in data and status == 400:
        return "The request body is not valid JSON."
    if "messages" in data:
        if list(details) == ["body"] and request.method in ("POST", "PUT", "PATCH"):
            return "The request body is not valid: " + "; ".join(map(str, details["body"]))
        return "Invalid request: check " + ", ".join(details) + " (see details)."
    if status == 429 and error.description != TooManyRequests.description:
        return f"Too many requests ({error.description}); retry later."
    if status in MESSAGES:
        return MESSAGES[status].format(method=request.method)
    return error.description or http.HTTPStatus(status).phrase


def _jsonable(value: Any) -> Any:
    """Error details with string keys only (marshmallow indexes list items by int)."""
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def _field_errors(messages: Mapping[str, Any]) -> dict[str, Any]:
    """webargs groups errors by location ({"json": {...}, "query": {...}}); keep the fields."""
    details: dict[str, Any] = {}
    for location, errors in messages.items():
        if isinstance(errors, Mapping):
            for name, problems in errors.items():
                details["body" if name == "_schema" else name] = problems
        else:
            details["body" if location == "json" else location] = errors
    return details


def _snake(name: str | None) -> str:
    return (name or "error").lower().replace(" ", "_").replace("'", "")


def empty_response(status: int, headers: Mapping[str, str] | None = None):
    """A response without a body (204, 304): no Content-Type either."""
    response = current_app.response_class(status=status, headers=dict(headers or {}))
    response.headers.pop("Content-Type", None)
    return response


def html_page(error: HTTPException):
    """The web page for an error: a title, a message a person can act on, the status."""
    title, message = _error_text(error)
    data = getattr(error, "data", None) or {}  # abort() above: message, headers
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
    code = (getattr(error, "data", None) or {}).get("error_code")
    title = CODE_TITLES.get(code) or TITLES.get(error.code, error.name)
    if error.code == 500:
        return title, "The server could not finish this request. Please try again."
    return title, error.description or ""


def database_unavailable(error: Exception):
    from mealplanner.extensions import db

    current_app.logger.warning("database unavailable: %s", error.__class__.__name__)
    try:
        db.session.rollback()
    except sa.exc.SQLAlchemyError:
        pass
    retry_after = int(current_app.config["MEALPLANNER_DB_RETRY_AFTER"])
    message = f"The database is not answering; retry in {retry_after} seconds."
    return _render(ServiceUnavailable(message, retry_after=retry_after), {
        "message": message, "error_code": "database_unavailable",
        "headers": {"Retry-After": str(retry_after)}})


def too_deep(error: RecursionError):
    current_app.logger.warning("request nested too deeply (RecursionError)")
    return _render(BadRequest("The request is nested too deeply."), {})


def planner_busy(error: PlannerBusy):
    retry_after = str(error.retry_after)
    message = f"The planner is busy with other plans; retry in {retry_after} seconds."
    return _render(ServiceUnavailable(message), {
        "message": message, "error_code": "planner_busy", "headers": {"Retry-After": retry_after}})


def _render(error: HTTPException, data: dict):
    error.data = data
    return handle_http_error(error)
