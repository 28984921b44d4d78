"""Thin Api and Blueprint subclasses: the project-wide fixes live here, in one place.

- Errors are rendered by mealplanner.errors (one shape for every error under /api and the
  probes); flask-smorest's own handler is not registered. ErrorSchema documents the shape.
- A 304 from the ETag check carries its ETag (the tag is remembered here for errors.py).
- POST bodies must be JSON (415 otherwise), not empty (400) and not nested deeper than
  MAX_JSON_DEPTH (400, checked before anything parses them); a view class that sets
  `takes_no_body = True` (a fork) may be posted to without one.
- JSON bodies are read by json_input: a number of over 100 digits, NaN, Infinity or a NUL
  character anywhere is a 422 naming the field (never a 500, never stored).
- Query strings hold only the parameters the operation documents (422 naming the allowed
  ones) and no NUL character (422).
- Fields are documented in the forms generated clients read (api/field_docs.py).
- Every operation names itself: `@blp.response(..., operation_id="getPlan")` is its OpenAPI
  operationId, which generated clients turn into function names (get_plan).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import flask_smorest
from flask import current_app, request
from flask_smorest.exceptions import NotModified
from flask_smorest.pagination import PaginationMetadataSchema
from flask_smorest.utils import get_appcontext, resolve_schema_instance
from marshmallow import INCLUDE, Schema, fields, post_dump
from webargs.core import missing
from webargs.flaskparser import FlaskParser, is_json_request

from mealplanner import json_input
from mealplanner.api.field_docs import document_fields
from mealplanner.errors import MESSAGES, abort
from mealplanner.paging import PageWindow

MAX_JSON_DEPTH = 32
MAX_PAGE_SIZE = 100
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)
_BRACKET = re.compile(rb"[\[\]{}]")


class ErrorDetailSchema(Schema):
    code = fields.String(required=True, metadata={
        "description": "Machine-readable: not_found, validation_error, infeasible, ..."})
    message = fields.String(required=True, metadata={"description": "For a person to read."})
    details = fields.Dict(required=True, metadata={
        "description": "Validation errors by field, the planner's explanation, or {}."})


class ErrorSchema(Schema):
    """The one error shape of the API."""

    error = fields.Nested(ErrorDetailSchema, required=True)


class Api(flask_smorest.Api):
    """flask-smorest's Api with the project's error shape, scoped to the API's paths."""

    ERROR_SCHEMA = ErrorSchema

    def _init_spec(self, *args, **kwargs):
        super()._init_spec(*args, **kwargs)
        document_fields(self.ma_plugin.converter)  # in the forms generated clients read

    def _register_error_handlers(self):
        """None here: mealplanner.errors registers the app's one handler for HTTP errors."""

    def _register_pagination_header(self):
        # X-Pagination holds a JSON object; documented as an object, OpenAPI's `simple` header
        # style would read it as "k=v,k=v" (schemathesis does), so document the JSON text.
        self.spec.components.header("PAGINATION", {
            "description": "Pagination metadata as a JSON object: total, total_pages, "
                           "first_page, last_page, page, previous_page, next_page.",
            "schema": {"type": "string"},
        }, lazy=True)


class ArgumentsParser(FlaskParser):
    """webargs' parser, reading JSON bodies through json_input: what a field of the schema
    cannot hold is a 422 naming it (fields the schema does not have are its own concern)."""

    def _raw_load_json(self, req):
        if not is_json_request(req):
            return missing
        return json_input.loads(req.get_data(cache=True).decode("utf-8"))

    def load_json(self, req, schema):
        data = super().load_json(req, schema)
        if isinstance(data, Mapping):
            known = {f.data_key or name for name, f in schema.fields.items()}
            data_in_fields = {k: v for k, v in data.items() if k in known}
        else:
            data_in_fields = data
        if found := json_input.problems(data_in_fields):
            abort(422, "Invalid request: check " + ", ".join(found) + " (see details).",
                  details=json_input.nested(found))
        return data


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's Blueprint: JSON bodies only, and operations named where they respond."""

    BODY_METHODS = ("POST", "PUT", "PATCH")
    ARGUMENTS_PARSER = ArgumentsParser()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.before_request(_require_json_body)
        self.before_request(_known_query_only)

    def response(self, status_code, schema=None, *, operation_id: str | None = None, **kwargs):
        """flask-smorest's `response`, also setting the operation's operationId (camelCase)."""
        respond = super().response(status_code, schema, **kwargs)
        if operation_id is None:
            return respond
        name = self.doc(operationId=operation_id)
        return lambda func: name(respond(func))

    @staticmethod
    def _make_pagination_metadata(page, page_size, item_count):
        """X-Pagination from the page arithmetic the browse pages use too (paging.py)."""
        metadata = PageWindow(page, page_size, item_count).metadata()
        return PaginationMetadataSchema().dump(metadata)

    def _check_not_modified(self, etag):
        """304 when If-None-Match holds the tag, compared weakly as RFC 9110 (13.1.2) says:
        W/"x" matches "x" (caches send back weak tags)."""
        # Remember the tag so that the 304 response can carry it (RFC 9110, 15.4.5).
        get_appcontext().setdefault("etag", {})["not_modified"] = etag
        if (request.method in self.METHODS_CHECKING_NOT_MODIFIED
                and request.if_none_match.contains_weak(etag)):
            raise NotModified


def _require_json_body():
    if request.method not in Blueprint.BODY_METHODS:
        return
    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(getattr(view, "view_class", None), "takes_no_body", False):
        return
    if not request.is_json:
        abort(415, MESSAGES[415])
    if not request.get_data(cache=True):
        abort(400, "The request body is empty; send a JSON object.")
    if json_too_deep(request.get_data(cache=True)):
        abort(400, f"The request body nests more than {MAX_JSON_DEPTH} levels deep.")


def _known_query_only():
    """422 for a query parameter the operation does not take, or one holding a NUL."""
    if nul := sorted(k for k, v in request.args.items(multi=True) if "\x00" in k + v):
        abort(422, "Invalid request: a query parameter holds a NUL character.",
              details={k.replace("\x00", "\\u0000"): [json_input.NUL_PROBLEM] for k in nul})
    allowed = query_parameters()
    unknown = sorted(set(request.args) - allowed)
    if allowed and unknown:
        takes = ", ".join(sorted(allowed))
        abort(422, f"Unknown query parameter(s) {', '.join(unknown)}: this URL takes {takes}.",
              details={name: [f"unknown query parameter; allowed: {takes}"]
                       for name in unknown})


def query_parameters() -> set[str]:
    """The query parameters the requested operation documents (its arguments and paging)."""
    view = current_app.view_functions.get(request.endpoint or "")
    view_class = getattr(view, "view_class", None)
    method = getattr(view_class, request.method.lower(), None) if view_class else view
    doc = getattr(method, "_apidoc", {})
    declared = [*doc.get("arguments", {}).get("parameters", []),
                doc.get("pagination", {}).get("parameters")]
    names: set[str] = set()
    for parameter in declared:
        if isinstance(parameter, Mapping) and parameter.get("in") == "query":
            schema = resolve_schema_instance(parameter["schema"])
            names |= {f.data_key or name for name, f in schema.fields.items() if not f.dump_only}
    return names


def json_too_deep(data: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when brackets outside strings nest deeper than `limit` (the text is not parsed)."""
    steps = (1 if m.group() in b"[{" else -1
             for m in _BRACKET.finditer(_STRING.sub(b"", data)))
    return max(itertools.accumulate(steps, initial=0)) > limit


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


class Page(flask_smorest.Page):
    """flask-smorest's pager, slicing through paging.PageWindow (a page past the last: [])."""

    @property
    def items(self):
        params = self.page_params
        window = PageWindow(params.page, params.page_size, self.item_count)
        return list(self.collection[window.start:window.stop])


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
