"""The production server for real (gunicorn in a subprocess, on the test database): SIGTERM lets
a plan in flight finish, and the app's own limits (a long URL, a chunked body over the limit)
answer in the API's error shape rather than as the server's pages."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager

import pytest

from mealplanner.cli.production import graceful_timeout, longest_solve_seconds

pytestmark = pytest.mark.slow  # starts gunicorn in a subprocess
SLOW_PLAN = {"days": 7, "people": 2, "time_limit_seconds": 6}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def production_server(database_url: str, tmp_path):
    """`mealplanner serve --production` (1 worker x 2 threads); yields (port, process, log)."""
    port = free_port()
    env = {**os.environ, "MEALPLANNER_DATABASE_URL": database_url,
           "MEALPLANNER_SECRET_KEY": "a-long-enough-production-secret", "GUNICORN_CMD_ARGS": ""}
    log_path = tmp_path / f"server-{port}.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-c", "from mealplanner.cli import main; main()", "serve",
             "--production", "--port", str(port), "--workers", "1", "--threads", "2"],
            cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2):
                    break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, log_path.read_text()
                time.sleep(0.25)
        yield port, server, log_path
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
        server.wait(timeout=graceful_timeout() + 10)


@pytest.fixture(scope="module")
def server(app, database_url, tmp_path_factory):
    with production_server(database_url, tmp_path_factory.mktemp("prod")) as running:
        yield running


def request(port: int, method: str, path: str, body=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers or {},
                           encode_chunked=not isinstance(body, bytes | str | type(None)))
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def assert_api_error(status: int, headers: dict, body: bytes, expected: int, code: str):
    assert status == expected, body[:500]
    assert headers["Content-Type"] == "application/json"
    error = json.loads(body)["error"]
    assert error["code"] == code and error["message"]


def test_the_graceful_timeout_outlasts_the_longest_plan_request():
    assert longest_solve_seconds() == 30
    assert graceful_timeout() > 2 * longest_solve_seconds()


def test_a_long_url_under_api_is_414_in_the_error_shape(server):
    port = server[0]
    status, headers, body = request(port, "GET", "/api/v1/foods?q=" + "x" * 5000)
    assert_api_error(status, headers, body, 414, "uri_too_long")
    status, headers, _body = request(port, "GET", "/foods?q=" + "x" * 5000)
    assert status == 414 and headers["Content-Type"].startswith("text/html")


def raw_request(port: int, data: bytes) -> tuple[int, dict, bytes]:
    """Bytes as sent on the wire (http.client would refuse them); the parsed answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(data)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines)
    return int(status_line.split()[1]), headers, body


def test_what_gunicorn_refuses_itself_is_in_the_error_shape_too(server):
    """A request line past gunicorn's 8190 bytes, headers past its limits and a request line
    that is not HTTP never reach the app; they still answer JSON, not gunicorn's HTML."""
    port = server[0]
    line = b"GET /api/v1/foods?q=" + b"x" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"
    assert_api_error(*raw_request(port, line), 414, "uri_too_long")
    headers = b"".join(b"X-Filler-%d: %s\r\n" % (i, b"y" * 100) for i in range(150))
    too_many = b"GET /api/v1/meta HTTP/1.1\r\nHost: x\r\n" + headers + b"\r\n"
    assert_api_error(*raw_request(port, too_many), 431, "request_headers_too_large")
    assert_api_error(*raw_request(port, b"NOT HTTP AT ALL\r\n\r\n"), 400, "bad_request")


def test_a_chunked_body_over_the_limit_is_413_in_the_error_shape(server):
    chunks = (b'{"exclude_foods": ["' + b"x" * 8192 * 9 + b'"]}',)
    status, headers, body = request(server[0], "POST", "/api/v1/plans", body=iter(chunks),
                                    headers={"Content-Type": "application/json"})
    assert_api_error(status, headers, body, 413, "payload_too_large")


def test_sigterm_lets_a_plan_in_flight_finish(app, database_url, tmp_path):
    """A plan request is on its way (headers and half its body sent) when the master gets
    SIGTERM; the rest of the body follows, and the plan still comes back whole and stored."""
    body = json.dumps(SLOW_PLAN).encode()
    head = (f"POST /api/v1/plans HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode()
    with production_server(database_url, tmp_path) as (port, process, log_path):
        with socket.create_connection(("127.0.0.1", port), timeout=graceful_timeout()) as sock:
            sock.sendall(head + body[:10])
            time.sleep(0.5)  # the worker has taken the request and waits for the rest
            process.send_signal(signal.SIGTERM)
            time.sleep(0.5)
            sock.sendall(body[10:])
            response = http.client.HTTPResponse(sock)
            response.begin()
            status, answer = response.status, response.read()
        assert process.wait(timeout=graceful_timeout() + 10) == 0
    assert status == 201, answer[:500]
    plan = json.loads(answer)
    assert len(plan["days"]) == 7 and plan["id"]
    log = log_path.read_text()
    assert log.index("Handling signal: term") < log.index('"path": "/api/v1/plans"')
    with app.app_context():
        from mealplanner.plans.service import load_plan

        assert load_plan(plan["id"])[1]["days"] == plan["days"]
