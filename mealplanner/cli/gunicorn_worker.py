"""gunicorn's gthread worker, answering the requests gunicorn refuses before the app sees them
in the API's JSON error shape rather than gunicorn's HTML page.

A request line over gunicorn's 8190-byte limit, headers over its limits and requests it cannot
parse never reach Flask, so mealplanner.errors cannot answer them; this worker does, with the
same {"error": {"code", "message", "details"}} as every other error. The request was not
parsed, so its path is unknown: pages get the JSON shape too, which a browser shows as text.
"""

from __future__ import annotations

import json
import queue
import signal

from gunicorn import util
from gunicorn.http.errors import (
    ConfigurationProblem,
    LimitRequestHeaders,
    LimitRequestLine,
    ParseException,
    UnsupportedTransferCoding,
)
from gunicorn.workers.gthread import ThreadWorker

from mealplanner.errors import ERROR_CODES

# (exception, status, reason phrase, message); the first that matches answers
REFUSALS = (
    (LimitRequestLine, 414, "URI Too Long",
     "The URL is too long: the request line may be at most 8190 bytes."),
    (LimitRequestHeaders, 431, "Request Header Fields Too Large",
     "The request's headers are too large or too many."),
    (ParseException, 400, "Bad Request", "The request could not be read as HTTP."),
)
LEFT_TO_GUNICORN = (UnsupportedTransferCoding, ConfigurationProblem)  # 501 and 500 as it says
STOPS = (signal.SIGTERM, signal.SIGINT, signal.SIGQUIT)


def stop_asked_before(handler) -> bool:
    """Whether the master asked this worker to stop before its own handlers were in place: a
    signal reaching a worker between its fork and gunicorn's init_signals goes to the master's
    handler it inherited (`handler`), which only queues it in the master's copy, never acted
    on; the worker would then serve until the graceful timeout ended it (a server stopped just
    as a worker booted took 100 s to stop)."""
    queued = getattr(getattr(handler, "__self__", None), "SIG_QUEUE", None)
    if queued is None:
        return False
    waiting = []  # a SimpleQueue: this worker's copy of the master's, drained here, unused
    while True:
        try:
            waiting.append(queued.get_nowait())
        except queue.Empty:
            return any(sig in STOPS for sig in waiting)


def refusal_response(exc: Exception) -> bytes | None:
    """The whole HTTP response for a request gunicorn refused, or None if not one of those."""
    if isinstance(exc, LEFT_TO_GUNICORN):
        return None
    for kind, status, reason, message in REFUSALS:
        if isinstance(exc, kind):
            body = json.dumps({"error": {"code": ERROR_CODES[status], "message": message,
                                         "details": {}}})
            head = (f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\n"
                    f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")
            return (head + body).encode("latin-1")
    return None


class JsonErrorsWorker(ThreadWorker):
    """gthread, with gunicorn's own refusals written in the API's error shape, and a stop
    asked for while it booted honoured."""

    def init_signals(self) -> None:
        inherited = signal.getsignal(signal.SIGTERM)
        super().init_signals()
        if stop_asked_before(inherited):
            self.alive = False  # stop at once, as a TERM received now would

    def handle_error(self, req, client, addr, exc):
        response = refusal_response(exc)
        if response is None:
            return super().handle_error(req, client, addr, exc)
        self.log.warning("Invalid request from ip=%s: %s", (addr or ("",))[0], exc)
        try:
            util.write_nonblock(client, response)
        except OSError:
            self.log.debug("Failed to send error message.")
        return None
