"""Production settings: owner tokens, request ids and JSON request logs, rate limits, the
secret-key guard, gunicorn sizing, the 0002 migration, and `serve --production` for real."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import runpy
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from flask_migrate import downgrade, upgrade

from mealplanner import create_app
from mealplanner.cli import main
from mealplanner.cli.production import (
    GunicornServer,
    default_workers,
    gunicorn_options,
    max_workers,
)
from mealplanner.config import DEFAULT_SECRET_KEY, InsecureConfiguration, check_production
from mealplanner.extensions import db
from mealplanner.models import Plan
from mealplanner.plans.schemas import PlanRequestSchema
from mealplanner.plans.service import load_plan, save_plan
from mealplanner.ratelimit import limiter
from mealplanner.requestlog import LOGGER_NAME
from tests.conftest import POSTGRES_URL, postgres_database
from tests.helpers import PLAN_ID, PLAN_REQUEST, error_of, migration_head

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def created(app):
    """One plan made through the API: the 201 response."""
    response = app.test_client().post("/api/v1/plans", json=PLAN_REQUEST)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response


def copy_plan(app, source: dict) -> tuple[str, str]:
    """Store a copy of a plan (no solving): its new id and owner token."""
    with app.app_context():
        saved = save_plan(PlanRequestSchema().load(source["request"]),
                          {k: v for k, v in source.items() if k not in ("id", "owner_token")})
    return saved["id"], saved["owner_token"]


@pytest.fixture()
def owned_plan(app, created):
    return copy_plan(app, created.get_json())


# Owner token ---------------------------------------------------------------------------------


def test_owner_token_is_returned_once_and_stored_only_as_a_hash(app, client, owned_plan):
    plan_id, token = owned_plan
    assert PLAN_ID.fullmatch(token) and token != plan_id
    got = client.get(f"/api/v1/plans/{plan_id}")
    assert got.status_code == 200 and "owner_token" not in got.get_json()
    with app.app_context():
        row = db.session.get(Plan, plan_id)
        assert row.owner_token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in json.dumps(row.document) and token not in json.dumps(row.request)
        assert "owner_token" not in load_plan(plan_id)[1]


def test_post_returns_the_owner_token_and_the_stored_plans_etag(client, created):
    body = created.get_json()
    assert PLAN_ID.fullmatch(body["owner_token"])
    got = client.get(created.headers["Location"])
    assert got.headers["ETag"] == created.headers["ETag"]
    assert {**got.get_json(), "owner_token": body["owner_token"]} == body


@pytest.mark.parametrize("headers", [
    {},
    {"X-Owner-Token": ""},
    {"X-Owner-Token": "not-the-token"},
    {"Authorization": "Basic dXNlcjpwYXNz"},
    {"Authorization": "Bearer"},
])
def test_delete_without_the_right_token_is_403_and_deletes_nothing(client, owned_plan, headers):
    plan_id, _token = owned_plan
    error = error_of(client.delete(f"/api/v1/plans/{plan_id}", headers=headers), 403, "forbidden")
    assert "owner token" in error["message"]
    assert client.get(f"/api/v1/plans/{plan_id}").status_code == 200


def test_another_plans_token_does_not_delete(app, client, created, owned_plan):
    plan_id, _ = owned_plan
    other_id, other_token = copy_plan(app, created.get_json())
    error_of(client.delete(f"/api/v1/plans/{plan_id}", headers={"X-Owner-Token": other_token}),
             403, "forbidden")
    assert client.delete(f"/api/v1/plans/{other_id}",
                         headers={"X-Owner-Token": other_token}).status_code == 204


def test_delete_with_a_bearer_token(client, owned_plan):
    plan_id, token = owned_plan
    response = client.delete(f"/api/v1/plans/{plan_id}",
                             headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 204
    error_of(client.get(f"/api/v1/plans/{plan_id}"), 404, "not_found")
    # An unknown id is 404 whatever the token: the token never tells whether an id exists.
    error_of(client.delete(f"/api/v1/plans/{plan_id}",
                           headers={"Authorization": f"Bearer {token}"}), 404, "not_found")


def test_openapi_documents_the_owner_token(client):
    spec = client.get("/api/openapi.json").get_json()
    delete = spec["paths"]["/api/v1/plans/{plan_id}"]["delete"]
    assert "403" in delete["responses"]
    assert any(p.get("name") == "X-Owner-Token" for p in delete["parameters"])
    assert "owner_token" in spec["components"]["schemas"]["Plan"]["properties"]


# Request ids and the JSON request log --------------------------------------------------------


@pytest.fixture()
def request_log():
    """The lines written to the request logger during the test."""
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(record.getMessage())

    logger = logging.getLogger(LOGGER_NAME)
    handler, level = Collect(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield lines
    logger.removeHandler(handler)
    logger.setLevel(level)


def test_one_json_line_per_request_with_the_request_id(client, request_log):
    response = client.post("/api/v1/plans?token=secret-query",
                           json={"days": 0, "exclude_foods": ["secret-body"]},
                           headers={"Authorization": "Bearer secret-header",
                                    "X-Request-ID": "client-id.42"})
    assert response.status_code == 422
    assert response.headers["X-Request-ID"] == "client-id.42"
    assert len(request_log) == 1 and "secret" not in request_log[0]
    line = json.loads(request_log[0])
    assert set(line) == {"time", "request_id", "method", "path", "status", "duration_ms",
                         "remote_addr"}
    assert line["request_id"] == "client-id.42" and line["method"] == "POST"
    assert line["path"] == "/api/v1/plans" and line["status"] == 422
    assert line["duration_ms"] >= 0 and line["remote_addr"] == "127.0.0.1"
    assert line["time"].endswith("Z")


@pytest.mark.parametrize("incoming", [None, "", "x" * 65, "has space", "<script>", "a;b",
                                      "ünï"])
def test_unsafe_or_missing_request_ids_are_replaced(client, request_log, incoming):
    headers = {"X-Request-ID": incoming} if incoming is not None else {}
    response = client.get("/health", headers=headers)
    rid = response.headers["X-Request-ID"]
    assert len(rid) == 32 and int(rid, 16) >= 0 and rid != incoming
    assert json.loads(request_log[0])["request_id"] == rid


def test_errors_and_pages_are_logged_too(client, request_log):
    assert client.get("/api/v1/nothing").status_code == 404
    assert client.get("/no-such-page").status_code == 404
    assert [json.loads(line)["status"] for line in request_log] == [404, 404]


# Rate limits ----------------------------------------------------------------------------------


@pytest.fixture()
def make_app(app, database_url):
    """Apps on the test database (migrated and seeded by `app`); their pools closed after."""
    made = []

    def make(**config):
        made.append(create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
                                **config}))
        return made[-1]

    yield make
    for each in made:
        with each.app_context():
            db.engine.dispose()


@pytest.fixture()
def limited_app(make_app):
    def make(**config):
        return make_app(RATELIMIT_ENABLED=True, WTF_CSRF_ENABLED=False,
                        MEALPLANNER_PLAN_RATE_LIMIT="2 per minute",
                        MEALPLANNER_RATE_LIMIT="5 per minute", **config)

    return make


def test_rate_limits_are_off_in_tests_unless_enabled(app, limited_app):
    with app.app_context():
        assert not limiter().enabled
    on = limited_app()
    with on.app_context():
        assert limiter().enabled
        assert on.config["RATELIMIT_STORAGE_URI"] == "memory://"


def test_planning_limit_is_429_in_the_error_shape_with_retry_after(limited_app):
    client = limited_app().test_client()
    for _ in range(2):
        error_of(client.post("/api/v1/plans", json={"days": 0}), 422)
    response = client.post("/api/v1/plans", json={"days": 0})
    error = error_of(response, 429, "rate_limited")
    assert "2 per 1 minute" in error["message"]
    assert 0 < int(response.headers["Retry-After"]) <= 61
    # Swaps and the plan form draw on the same budget; another client has its own.
    error_of(client.post("/api/v1/plans/x/swap", json={"day": 1, "slot": "lunch"}), 429)
    page = client.post("/", data={"days": "1"})
    assert page.status_code == 429 and page.headers["Retry-After"]
    assert page.mimetype == "text/html"  # a page, like every other error outside /api
    assert f"Wait {page.headers['Retry-After']} seconds" in page.get_data(as_text=True)
    other = client.post("/api/v1/plans", json={"days": 0},
                        environ_base={"REMOTE_ADDR": "10.0.0.2"})
    error_of(other, 422)


def test_default_limit_covers_reads_but_never_the_probes(limited_app):
    client = limited_app().test_client()
    for _ in range(5):
        response = client.get("/api/v1/meta")
        assert response.status_code == 200, response.get_data(as_text=True)
    error_of(client.get("/api/v1/meta"), 429, "rate_limited")
    error_of(client.get("/api/v1/foods"), 429, "rate_limited")
    for _ in range(10):
        assert client.get("/health").status_code == 200
        assert client.get("/ready").status_code == 200


def test_limits_keep_serving_when_redis_is_down(limited_app):
    client = limited_app(RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0").test_client()
    for _ in range(3):
        assert client.get("/api/v1/meta").status_code == 200  # counted in memory instead


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_answers(), reason="no Redis on 127.0.0.1:6379")
def test_redis_storage_is_shared_between_processes(limited_app, monkeypatch):
    monkeypatch.setenv("MEALPLANNER_REDIS_URL", "redis://127.0.0.1:6379/0")
    prefix = f"mealplanner-test-{uuid.uuid4().hex}"
    first, second = (limited_app(RATELIMIT_KEY_PREFIX=prefix).test_client()
                     for _ in range(2))  # two apps: as two gunicorn workers would be
    assert first.application.config["RATELIMIT_STORAGE_URI"].startswith("redis://")
    error_of(first.post("/api/v1/plans", json={"days": 0}), 422)
    error_of(second.post("/api/v1/plans", json={"days": 0}), 422)
    error_of(first.post("/api/v1/plans", json={"days": 0}), 429, "rate_limited")
    with first.application.app_context():
        limiter().reset()


# Production configuration ------------------------------------------------------------------


def test_production_refuses_the_development_secret_key():
    check_production({"MEALPLANNER_ENV": "development", "SECRET_KEY": DEFAULT_SECRET_KEY})
    for key in (DEFAULT_SECRET_KEY, "short", None):
        with pytest.raises(InsecureConfiguration, match="MEALPLANNER_SECRET_KEY"):
            check_production({"MEALPLANNER_ENV": "production", "SECRET_KEY": key})
    check_production({"MEALPLANNER_ENV": "production", "SECRET_KEY": "x" * 32})


def test_serve_production_with_the_default_key_exits_2(monkeypatch, tmp_path):
    monkeypatch.setenv("MEALPLANNER_ENV", "development")  # restored: serve sets production
    monkeypatch.delenv("MEALPLANNER_SECRET_KEY", raising=False)
    monkeypatch.setenv("MEALPLANNER_DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite'}")
    result = CliRunner().invoke(main, ["serve", "--production", "--port", "1"])
    assert result.exit_code == 2
    assert "refusing to start in production" in result.output
    assert not (tmp_path / "db.sqlite").exists()  # refused before touching the database


def test_wsgi_app_refuses_the_default_key_in_production(monkeypatch, tmp_path):
    monkeypatch.setenv("MEALPLANNER_ENV", "production")
    monkeypatch.delenv("MEALPLANNER_SECRET_KEY", raising=False)
    monkeypatch.setenv("MEALPLANNER_DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite'}")
    with pytest.raises(InsecureConfiguration):
        runpy.run_module("mealplanner.wsgi")
    monkeypatch.setenv("MEALPLANNER_SECRET_KEY", "a-long-enough-production-secret")
    assert runpy.run_module("mealplanner.wsgi")["app"].config["SESSION_COOKIE_SECURE"] is True


def test_production_cookies_are_secure_httponly_samesite(monkeypatch, make_app):
    monkeypatch.setenv("MEALPLANNER_ENV", "production")
    monkeypatch.setenv("MEALPLANNER_SECRET_KEY", "a-long-enough-production-secret")
    response = make_app().test_client().get("/")  # the form page puts a CSRF token in the session
    assert response.status_code == 200
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.mark.parametrize("path", ["/", "/api/v1/meta", "/health", "/api/v1/plans/nope"])
def test_hsts_in_production_behind_https_only(monkeypatch, make_app, path):
    monkeypatch.setenv("MEALPLANNER_SECRET_KEY", "a-long-enough-production-secret")
    monkeypatch.setenv("MEALPLANNER_TRUSTED_PROXIES", "1")
    https = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    monkeypatch.setenv("MEALPLANNER_ENV", "production")
    http = "http://localhost"  # what reaches the app; the proxy in front speaks HTTPS
    production = make_app().test_client()
    secure = production.get(path, headers=https, base_url=http)
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in production.get(path, base_url=http).headers
    monkeypatch.setenv("MEALPLANNER_ENV", "development")
    development = make_app().test_client()
    assert "Strict-Transport-Security" not in development.get(path, headers=https,
                                                              base_url=http).headers


def test_gunicorn_sizing_and_settings(monkeypatch):
    assert default_workers(1) == 2 and default_workers(2) == 2 and default_workers(8) == 8
    assert max_workers(2) == 5
    options = gunicorn_options("127.0.0.1", 8000, None, None)
    assert options["workers"] == default_workers() and options["threads"] == 4
    assert options["worker_class"] == "mealplanner.cli.gunicorn_worker.JsonErrorsWorker"
    assert options["accesslog"] is None
    assert gunicorn_options("127.0.0.1", 8000, 10_000, 2)["workers"] == max_workers()
    monkeypatch.setenv("GUNICORN_CMD_ARGS", "--max-requests 7 --threads 3")
    server = GunicornServer(object(), options)  # type: ignore[arg-type]
    assert server.cfg.max_requests == 7 and server.cfg.threads == 3
    assert server.cfg.bind == ["127.0.0.1:8000"] and server.cfg.workers == options["workers"]
    assert server.cfg.control_socket_disable is True


# Migrations ------------------------------------------------------------------------------------


STORAGE_COLUMNS = {"storage_place", "storage_keeps_days", "storage_opened_days",
                   "storage_foodkeeper_id", "storage_source"}
NUTRIENT_COLUMNS_0007 = {"calcium_mg", "iron_ug", "potassium_mg", "magnesium_mg", "zinc_ug",
                         "folate_ug", "vitamin_c_ug", "vitamin_b12_ng", "vitamin_d_ng",
                         "ala_mg", "epa_dha_mg", "added_sugars_mg", "added_sugars_source"}


def _owner_column_up_down_up(url: str) -> None:
    """0002 (plan owner token), 0003 (food storage), 0004 (refuse as sold), 0005 (price
    proxy flag), 0006 (cooked yield as sold), 0007 (whether a dish heats an ingredient), 0008
    (prebiotic figures of raw foods), 0009 (micronutrients, unknown values), 0010 (the food a
    part belongs to), 0011 (the plan's version) and 0012 (plan jobs) go down and up again
    cleanly."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        def columns(table):
            return {c["name"] for c in sa.inspect(db.engine).get_columns(table)}

        upgrade()
        upgrade()  # idempotent
        assert "owner_token_hash" in columns("plan") and STORAGE_COLUMNS <= columns("food")
        assert "price_is_proxy" in columns("food") and "refuse_pct_as_sold" in columns("food")
        assert "cooked_g_per_g_as_sold" in columns("food")
        assert "heated" in columns("recipe_ingredient")
        assert "prebiotic_measured_raw" in columns("food") and "part_of" in columns("food")
        assert NUTRIENT_COLUMNS_0007 <= columns("food") and "version" in columns("plan")
        assert {"id", "status", "request", "plan_id", "error"} <= columns("job")
        downgrade(revision="0011_plan_version")
        assert "job" not in sa.inspect(db.engine).get_table_names()
        downgrade(revision="0010_food_part_of")
        assert "version" not in columns("plan") and "part_of" in columns("food")
        downgrade(revision="0008_prebiotic_measured_raw")
        assert "part_of" not in columns("food")
        assert not NUTRIENT_COLUMNS_0007 & columns("food")
        downgrade(revision="0007_ingredient_heated")
        assert "prebiotic_measured_raw" not in columns("food")
        downgrade(revision="0006_food_cooked_yield")
        assert "heated" not in columns("recipe_ingredient")
        assert "cooked_g_per_g_as_sold" in columns("food")
        downgrade(revision="0005_price_proxy")
        assert "cooked_g_per_g_as_sold" not in columns("food")
        assert "price_is_proxy" in columns("food")
        downgrade(revision="0004")
        assert "price_is_proxy" not in columns("food") and "refuse_pct_as_sold" in columns("food")
        downgrade(revision="0003")
        assert "refuse_pct_as_sold" not in columns("food") and STORAGE_COLUMNS <= columns("food")
        downgrade(revision="0002")
        assert not STORAGE_COLUMNS & columns("food") and "owner_token_hash" in columns("plan")
        assert "price_is_proxy" not in columns("food")
        downgrade(revision="0001")
        assert "owner_token_hash" not in columns("plan")
        upgrade()
        assert "owner_token_hash" in columns("plan") and STORAGE_COLUMNS <= columns("food")
        assert "price_is_proxy" in columns("food") and "refuse_pct_as_sold" in columns("food")
        assert "cooked_g_per_g_as_sold" in columns("food")
        assert "heated" in columns("recipe_ingredient")
        assert "prebiotic_measured_raw" in columns("food")
        assert NUTRIENT_COLUMNS_0007 <= columns("food")
        version = db.session.scalar(sa.text("SELECT version_num FROM alembic_version"))
        assert version == migration_head() and "version" in columns("plan")
        assert "owner_token" in columns("job")
        db.session.remove()
        db.engine.dispose()


def test_migration_0002_up_down_up_on_sqlite(tmp_path):
    _owner_column_up_down_up(f"sqlite:///{tmp_path / 'm.sqlite'}")


@pytest.mark.postgres
def test_migration_0002_up_down_up_on_postgresql():
    if not POSTGRES_URL:
        pytest.skip("set MEALPLANNER_TEST_POSTGRES_URL to run against PostgreSQL")
    url, drop = postgres_database(POSTGRES_URL)
    try:
        _owner_column_up_down_up(url)
    finally:
        drop()


def test_db_upgrade_command_is_idempotent(runner):
    for _ in range(2):
        result = runner.invoke(args=["db", "upgrade"])
        assert result.exit_code == 0, result.output


# gunicorn for real -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow  # starts gunicorn in a subprocess
def test_serve_production_runs_gunicorn(app, database_url, tmp_path):
    """`mealplanner serve --production` on the test database (already migrated and seeded)."""
    port = free_port()
    env = {**os.environ, "MEALPLANNER_DATABASE_URL": database_url,
           "MEALPLANNER_SECRET_KEY": "a-long-enough-production-secret", "GUNICORN_CMD_ARGS": ""}
    log_path = tmp_path / "server.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-c", "from mealplanner.cli import main; main()", "serve",
             "--production", "--port", str(port), "--workers", "2", "--threads", "2"],
            cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 45
        while True:
            try:
                with urllib.request.urlopen(f"{base}/health", timeout=2) as response:
                    assert json.load(response) == {"status": "ok"}
                    break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, log_path.read_text()
                time.sleep(0.25)
        request = urllib.request.Request(f"{base}/ready", headers={"X-Request-ID": "probe-1"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.headers["X-Request-ID"] == "probe-1"
            assert response.headers["Server"].startswith("gunicorn")
            assert json.load(response)["foods"] > 300
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0
    output = log_path.read_text()
    assert "2 workers x 2 threads" in output
    assert "Using worker: mealplanner.cli.gunicorn_worker.JsonErrorsWorker" in output
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    assert {"request_id": "probe-1", "path": "/ready", "status": 200}.items() <= next(
        line for line in lines if line["path"] == "/ready").items()


def test_a_stop_asked_while_a_worker_booted_is_not_lost():
    """A TERM that reached a worker before its own handlers were set went to the master's
    handler it inherited, which only queues it: the worker sees it there and stops, instead of
    serving until its graceful timeout ends it."""
    import queue as queues

    from mealplanner.cli.gunicorn_worker import stop_asked_before

    class Master:
        def __init__(self, *queued):
            self.SIG_QUEUE = queues.SimpleQueue()
            for sig in queued:
                self.SIG_QUEUE.put_nowait(sig)

        def signal(self, sig, frame):
            self.SIG_QUEUE.put_nowait(sig)

    assert stop_asked_before(Master(signal.SIGCHLD, signal.SIGTERM).signal)
    assert stop_asked_before(Master(signal.SIGQUIT).signal)
    assert not stop_asked_before(Master(signal.SIGCHLD).signal)
    assert not stop_asked_before(Master().signal)
    assert not stop_asked_before(signal.SIG_DFL)  # a worker whose handler is not the master's
