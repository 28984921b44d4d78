"""The first start: `mealplanner serve` and `mealplanner plan`s started at once on an empty
database migrate and seed it once, under a lock (ready_lock), and all of them work."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
import sqlalchemy as sa

from mealplanner.ready_lock import lock_file
from tests.conftest import POSTGRES_URL, postgres_database

REQUEST = json.dumps({"days": 1, "time_limit_seconds": 1})
CLI = [sys.executable, "-c", "from mealplanner.cli import main; main()"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_all_at_once(url: str, tmp_path, plans: int = 4) -> None:
    """`serve` and `plans` x `plan` at the same moment on the empty database at `url`: every
    plan is made (exit 0), the server comes up, and the foods are seeded once."""
    env = {**os.environ, "MEALPLANNER_DATABASE_URL": url}
    port = free_port()
    logs = [tmp_path / f"plan-{i}.log" for i in range(plans)]
    server_log = tmp_path / "serve.log"
    with server_log.open("w") as out:
        server = subprocess.Popen([*CLI, "serve", "--port", str(port)], env=env, cwd=tmp_path,
                                  stdout=out, stderr=subprocess.STDOUT)
    planners = []
    for log in logs:
        with log.open("w") as out:
            planners.append(subprocess.Popen([*CLI, "plan", "--request", "-"], env=env,
                                             cwd=tmp_path, stdin=subprocess.PIPE, stdout=out,
                                             stderr=subprocess.STDOUT, text=True))
    try:
        for planner in planners:
            planner.stdin.write(REQUEST)
            planner.stdin.close()
        for planner, log in zip(planners, logs, strict=True):
            assert planner.wait(timeout=240) == 0, log.read_text()[-3000:]
            assert json.loads(log.read_text()[log.read_text().index("{"):])["id"]
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=5) as r:
                    assert r.status == 200
                    break
            except OSError:
                assert server.poll() is None, server_log.read_text()[-3000:]
                assert time.monotonic() < deadline, "the server did not come up"
                time.sleep(0.5)
    finally:
        for process in (server, *planners):
            if process.poll() is None:
                process.terminate()
            process.wait(timeout=20)
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        foods = connection.scalar(sa.text("SELECT count(*) FROM food"))
        ids = connection.scalar(sa.text("SELECT count(DISTINCT id) FROM food"))
        stored = connection.scalar(sa.text("SELECT count(*) FROM plan"))
    engine.dispose()
    assert foods == ids > 300 and stored == plans


@pytest.mark.slow  # five processes, each starting the app
def test_serve_and_plans_at_once_on_an_empty_sqlite_database(tmp_path):
    database = tmp_path / "first.sqlite"
    start_all_at_once(f"sqlite:///{database}", tmp_path)
    assert lock_file(sa.make_url(f"sqlite:///{database}")) == tmp_path / "first.sqlite.lock"


@pytest.mark.slow
@pytest.mark.postgres
def test_serve_and_plans_at_once_on_an_empty_postgresql_database(tmp_path):
    if not POSTGRES_URL:
        pytest.skip("set MEALPLANNER_TEST_POSTGRES_URL to run against PostgreSQL")
    url, drop = postgres_database(POSTGRES_URL)
    try:
        start_all_at_once(url, tmp_path)
    finally:
        drop()


def test_only_a_database_file_has_a_lock_file():
    assert lock_file(sa.make_url("sqlite:////data/m.sqlite")) is not None
    for url in ("sqlite://", "sqlite:///:memory:", "postgresql://u@h/db"):
        assert lock_file(sa.make_url(url)) is None
