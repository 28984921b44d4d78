"""How large a request may be, checked before any view runs; past it, the app's own error
(JSON under /api, a page elsewhere) rather than a server's page or a truncated body.

- A URL (path and query) over MAX_URL_LENGTH characters: 414. gunicorn reads request lines up
  to 8190 bytes (cli/production.py), so the app sees and answers the long URLs a client sends
  by mistake; only a line past that gets gunicorn's own HTML 414 (and a header over its
  limit_request_field_size its HTML 431): no gunicorn setting changes those pages.
- A body over MAX_CONTENT_LENGTH: 413. werkzeug refuses a Content-Length over it, but reads a
  chunked body only up to the limit and stops there without a word (the JSON then looks
  malformed: a 400); so a chunked body that fills the limit is checked for one byte more.
"""

from __future__ import annotations

from flask import Flask, current_app, request

from mealplanner.errors import MESSAGES, abort

MAX_URL_LENGTH = 4096


def init_app(app: Flask) -> None:
    app.before_request(url_not_too_long)
    app.before_request(body_within_limit)


def url_not_too_long() -> None:
    length = len(request.full_path)
    if length > MAX_URL_LENGTH:
        abort(414, f"The URL is {length} characters long; at most {MAX_URL_LENGTH} are read.")


def body_within_limit() -> None:
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    chunked = request.content_length is None and request.environ.get("wsgi.input_terminated")
    if limit is None or not chunked:
        return
    if len(request.get_data(cache=True)) >= limit and request.environ["wsgi.input"].read(1):
        abort(413, MESSAGES[413])
