"""Thin Api and Blueprint subclasses: the project-wide fixes live here, in one place.

- One error shape for every error under /api (and /health, /ready):
  {"error": {"code": "not_found", "message": "...", "details": {...}}}; pages outside /api keep
  Flask's (or the web blueprint's) HTML errors.
- The Allow header survives on 405 (flask-smorest drops werkzeug's headers).
- A 304 from the ETag check carries its ETag and no body.
- POST bodies must be JSON (415 otherwise) and not empty (400).
"""

from __future__ import annotations

import http
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NoReturn

import flask_smorest
from flask import current_app, request
from flask_smorest.exceptions import NotModified
from flask_smorest.utils import get_appcontext
from marshmallow import INCLUDE, Schema, fields, post_dump
from werkzeug.exceptions import HTTPException, TooManyRequests
from werkzeug.http import quote_etag

from mealplanner.faults import MAX_JSON_DEPTH, json_too_deep

API_PREFIX = "/api"
ROOT_API_PATHS = ("/health", "/ready")

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
    415: "unsupported_media_type",
    422: "validation_error",
    428: "precondition_required",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
}
MESSAGES = {
    404: "Nothing is found at this URL.",
    405: "This URL does not accept the {method} method.",
    413: "The request body is too large.",
    415: "Send the request body as JSON with Content-Type: application/json.",
    429: "Too many requests; slow down and retry later.",
    500: "The server hit an unexpected error; it has been logged.",
}


class ErrorDetailSchema(Schema):
    code = fields.String(required=True, metadata={
        "description": "Machine-readable: not_found, validation_error, infeasible, ..."})
    message = fields.String(required=True, metadata={"description": "For a person to read."})
    details = fields.Dict(required=True, metadata={
        "description": "Validation errors by field, the planner's explanation, or {}."})


class ErrorSchema(Schema):
    """The one error shape of the API."""

    error = fields.Nested(ErrorDetailSchema, required=True)


def is_api_request() -> bool:
    """True for the JSON API and the health probes, whose errors are JSON."""
    path = request.path
    return (path == API_PREFIX or path.startswith(API_PREFIX + "/")
            or path in ROOT_API_PATHS)


def api_abort(status: int, message: str, *, code: str | None = None,
              details: Mapping[str, Any] | None = None,
              headers: Mapping[str, str] | None = None) -> NoReturn:
    """Stop the request with an error in the API's shape (raises)."""
    data: dict[str, Any] = {"message": message}
    if code:
        data["error_code"] = code
    if details is not None:
        data["errors"] = details
    if headers:
        data["headers"] = dict(headers)
    flask_smorest.abort(status, **data)


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


def _validation_message(details: Mapping[str, Any]) -> str:
    if list(details) == ["body"] and request.method in ("POST", "PUT", "PATCH"):
        return "The request body is not valid: " + "; ".join(map(str, details["body"]))
    return "Invalid request: check " + ", ".join(details) + " (see details)."


def render_error(error: HTTPException):
    """The API's error response; outside /api, Flask's own (HTML) error page."""
    if not is_api_request():
        return error.get_response()
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
        if "messages" in data and status == 400:
            message = "The request body is not valid JSON."
        elif "messages" in data:
            message = _validation_message(details)
        elif status == 429 and error.description != TooManyRequests.description:
            message = f"Too many requests ({error.description}); retry later."
        elif status in MESSAGES:
            message = MESSAGES[status].format(method=request.method)
        else:
            message = error.description or http.HTTPStatus(status).phrase
    code = data.get("error_code") or ERROR_CODES.get(status) or _snake(error.name)
    body = {"error": {"code": code, "message": message, "details": details}}
    return body, status, headers


def empty_response(status: int, headers: Mapping[str, str] | None = None):
    """A response without a body (204, 304): no Content-Type either."""
    response = current_app.response_class(status=status, headers=dict(headers or {}))
    response.headers.pop("Content-Type", None)
    return response


def _snake(name: str | None) -> str:
    return (name or "error").lower().replace(" ", "_").replace("'", "")


class Api(flask_smorest.Api):
    """flask-smorest's Api with the project's error shape, scoped to the API's paths."""

    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error):
        return render_error(error)

    def _register_pagination_header(self):
        # X-Pagination holds a JSON object; documented as an object, OpenAPI's `simple` header
        # style would read it as "k=v,k=v" (schemathesis does), so document the JSON text.
        self.spec.components.header("PAGINATION", {
            "description": "Pagination metadata as a JSON object: total, total_pages, "
                           "first_page, last_page, page, previous_page, next_page.",
            "schema": {"type": "string"},
        }, lazy=True)


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's Blueprint: JSON bodies only, errors rendered by `render_error`.

    Registering the handler on the blueprint too makes it win over any app-level handler for
    a specific status (an HTML 404 page) for requests routed to the API.
    """

    BODY_METHODS = ("POST", "PUT", "PATCH")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.register_error_handler(HTTPException, render_error)
        self.before_request(_require_json_body)

    def _check_not_modified(self, etag):
        # Remember the tag so that the 304 response can carry it (RFC 9110, 15.4.5).
        get_appcontext().setdefault("etag", {})["not_modified"] = etag
        super()._check_not_modified(etag)


def _require_json_body():
    if request.method not in Blueprint.BODY_METHODS:
        return
    if not request.is_json:
        api_abort(415, MESSAGES[415])
    if not request.get_data(cache=True):
        api_abort(400, "The request body is empty; send a JSON object.")
    if json_too_deep(request.get_data(cache=True)):
        api_abort(400, f"The request body nests more than {MAX_JSON_DEPTH} levels deep.")


class DocumentSchema(Schema):
    """A response schema over a stored or exported document: the documented fields, typed, and
    any field added to the document later passed through unchanged (never silently dropped)."""

    class Meta:
        unknown = INCLUDE

    @post_dump(pass_original=True)
    def _keep_undocumented(self, data, original, **kwargs):
        if isinstance(original, Mapping):
            extra = {k: v for k, v in original.items() if k not in data}
            return {**data, **extra}
        return data


class LazyDocuments(Sequence):
    """Records that turn into documents only when a page takes them (for `Page`)."""

    def __init__(self, records: Sequence, to_document: Callable[[Any], dict]) -> None:
        self._records = records
        self._to_document = to_document

    def __len__(self) -> int:
        return len(self._records)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._to_document(record) for record in self._records[index]]
        return self._to_document(self._records[index])
