"""Faults and hostile input: the database going away and coming back, a solve that runs out of
time, and bad bodies (oversized, deeply nested, wrong types, unicode, SQL and HTML injection).

Every answer is a deliberate status in the API's error shape (or an HTML page outside /api),
never a 500, and nothing internal (SQL, driver messages, paths) reaches the client.
"""

from __future__ import annotations

import json
import time

import pytest
import sqlalchemy as sa
from markupsafe import escape

from mealplanner import create_app
from mealplanner.database import ensure_database
from mealplanner.extensions import db
from mealplanner.planner.checker import check_plan
from mealplanner.plans.schemas import PlanRequestSchema
from tests.conftest import POSTGRES_URL, postgres_database
from tests.helpers import PLAN_REQUEST, error_of

LEAKS = ("Traceback", "sqlalchemy", "psycopg", "sqlite3", "SELECT ", "OperationalError",
         "simulated", "/work/", "site-packages", ".py")


def assert_no_leak(response, echo: str = "") -> None:
    """No internals in the body (the client's own text, echoed back, is left out)."""
    text = response.get_data(as_text=True)
    if echo:
        text = text.replace(echo, "").replace(str(escape(echo)), "")
    for word in LEAKS:
        assert word not in text, (word, text[:500])


def assert_database_unavailable(response) -> None:
    error_of(response, 503, "database_unavailable")
    assert int(response.headers["Retry-After"]) > 0
    assert_no_leak(response)


@pytest.fixture(scope="module")
def plan(app):
    """One stored plan (id, document without its owner token)."""
    response = app.test_client().post("/api/v1/plans", json=PLAN_REQUEST)
    assert response.status_code == 201, response.get_data(as_text=True)
    document = response.get_json()
    document.pop("owner_token")
    return document


# The database going away ---------------------------------------------------------------------


def test_engine_that_cannot_connect_gives_503_then_recovers(database_url, plan):
    """Any backend: new connections fail (monkeypatched connect), then succeed again."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url})
    client = app.test_client()
    url = f"/api/v1/plans/{plan['id']}"
    assert client.get(url).status_code == 200
    with app.app_context():
        engine = db.engine

    def refuse(dialect, record, cargs, cparams):
        raise dialect.loaded_dbapi.OperationalError("connection refused (simulated)")

    engine.dispose()  # the pooled connections go: the next request must connect
    sa.event.listen(engine, "do_connect", refuse)
    try:
        assert_database_unavailable(client.get(url))
        assert_database_unavailable(client.get(f"{url}/shopping-list"))
        assert_database_unavailable(client.post("/api/v1/plans", json=PLAN_REQUEST))
        error_of(client.get("/ready"), 503, "not_ready")
        page = client.get(f"/plans/{plan['id']}")
        assert page.status_code == 503 and page.mimetype == "text/html"
        assert page.headers["Retry-After"]
        assert_no_leak(page)
        assert client.get("/health").status_code == 200  # liveness does not need the database
    finally:
        sa.event.remove(engine, "do_connect", refuse)
    assert client.get("/ready").status_code == 200
    assert client.get(url).get_json() == plan
    with app.app_context():
        engine.dispose()


@pytest.fixture()
def postgres_app():
    """An app on its own throwaway PostgreSQL database: (app, admin engine, database name)."""
    if not POSTGRES_URL:
        pytest.skip("set MEALPLANNER_TEST_POSTGRES_URL to run against PostgreSQL")
    url, drop = postgres_database(POSTGRES_URL)
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        ensure_database()
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        yield app, admin, sa.make_url(url).database
    finally:
        with app.app_context():
            db.engine.dispose()
        admin.dispose()
        drop()


def _set_connections(admin, name: str, allowed: bool) -> None:
    with admin.connect() as conn:
        conn.execute(sa.text(
            f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {"true" if allowed else "false"}'))
        if not allowed:
            conn.execute(sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": name})


@pytest.mark.postgres
def test_postgresql_going_away_mid_service_gives_503_and_recovers(postgres_app, plan):
    app, admin, name = postgres_app
    client = app.test_client()
    with app.app_context():
        request = PlanRequestSchema().load(plan["request"])
        from mealplanner.plans.service import save_plan

        saved = save_plan(request, {k: v for k, v in plan.items() if k != "id"})
    saved.pop("owner_token")
    url = f"/api/v1/plans/{saved['id']}"
    assert client.get(url).get_json() == saved
    assert client.get("/ready").status_code == 200

    _set_connections(admin, name, allowed=False)  # kill every session, refuse new ones
    try:
        error_of(client.get("/ready"), 503, "not_ready")
        assert_database_unavailable(client.get(url))
        assert_database_unavailable(client.get(f"{url}/shopping-list"))
        page = client.get(f"/plans/{saved['id']}")
        assert page.status_code == 503 and page.mimetype == "text/html"
        assert_no_leak(page)
    finally:
        _set_connections(admin, name, allowed=True)

    assert client.get("/ready").status_code == 200  # pool_pre_ping: a fresh connection
    assert client.get(url).get_json() == saved


# A solve that runs out of time ---------------------------------------------------------------


def test_polish_out_of_time_returns_the_search_plan(client, monkeypatch, catalog):
    """CP-SAT finds nothing in its time: the local search's plan, confirmed by the model to
    meet every requirement, is returned."""
    import mealplanner.planner.cpsat.solve as solve

    real = solve.polish_solver

    def out_of_time(settings, complete=False):
        solver = real(settings, complete)
        solver.parameters.max_time_in_seconds = 0.000001
        solver.parameters.max_deterministic_time = 0.0
        return solver

    monkeypatch.setattr(solve, "polish_solver", out_of_time)
    response = client.post("/api/v1/plans", json=PLAN_REQUEST)
    assert response.status_code == 201, response.get_data(as_text=True)
    plan = response.get_json()
    assert plan["solver"]["status"] == "feasible"
    assert check_plan(plan, PlanRequestSchema().load(plan["request"]), catalog) == []


def test_solver_with_no_time_gives_a_plan_or_a_clear_422(client, monkeypatch, catalog):
    """Every solve (model checks, weekly search, explanation) stops almost at once: whatever
    was found in time is returned (checked), else a 422 planner_timeout; never a 500."""
    import mealplanner.planner.cpsat.solve as solve

    real = solve.new_solver

    def no_time(settings, time_limit=None):
        solver = real(settings, time_limit)
        solver.parameters.max_time_in_seconds = 0.001
        solver.parameters.max_deterministic_time = 0.0001
        return solver

    monkeypatch.setattr(solve, "new_solver", no_time)
    started = time.monotonic()
    response = client.post("/api/v1/plans", json=PLAN_REQUEST)
    assert time.monotonic() - started < 30
    if response.status_code == 201:
        plan = response.get_json()
        assert check_plan(plan, PlanRequestSchema().load(plan["request"]), catalog) == []
    else:
        error = error_of(response, 422, "planner_timeout")
        assert "time" in error["message"] and error["details"]["status"] == "timeout"


# Bad input -------------------------------------------------------------------------------------


def test_oversized_bodies_are_413_everywhere(client, plan):
    big = json.dumps({"days": 1, "pad": "x" * 70_000})
    for url in ("/api/v1/plans", f"/api/v1/plans/{plan['id']}/swap",
                f"/api/v1/plans/{plan['id']}/regenerate"):
        response = client.post(url, data=big, headers={"Content-Type": "application/json"})
        error_of(response, 413, "payload_too_large")
    page = client.post("/", data={"exclude_foods": "x" * 70_000})
    assert page.status_code == 413 and page.mimetype == "text/html"


@pytest.mark.parametrize("body", [
    "[" * 10_000 + "]" * 10_000,
    '{"days": ' + "[" * 10_000 + "]" * 10_000 + "}",
    '{"exclude_foods": ' + '{"a": ' * 5_000 + "1" + "}" * 5_001,
    "[" * 30_000,  # not even closed
])
def test_deeply_nested_json_is_400(client, plan, body):
    for url in ("/api/v1/plans", f"/api/v1/plans/{plan['id']}/swap",
                f"/api/v1/plans/{plan['id']}/regenerate"):
        response = client.post(url, data=body, headers={"Content-Type": "application/json"})
        error = error_of(response, 400, "bad_request")
        assert "nest" in error["message"]


def test_nesting_inside_strings_does_not_count(client):
    body = json.dumps({"exclude_foods": ["[" * 100 + "{" * 50], "days": 1})
    error = error_of(client.post("/api/v1/plans", data=body,
                                 headers={"Content-Type": "application/json"}), 422)
    assert list(error["details"]) == ["exclude_foods"]


def test_a_recursion_error_anywhere_is_a_400_not_a_500(database_url):
    app = create_app({"TESTING": True, "PROPAGATE_EXCEPTIONS": False,
                      "SQLALCHEMY_DATABASE_URI": database_url})

    @app.get("/api/v1/test-deep")
    def deep():
        return json.loads("[" * 100_000 + "]" * 100_000)

    @app.get("/test-deep-page")
    def deep_page():
        return json.loads("[" * 100_000 + "]" * 100_000)

    error_of(app.test_client().get("/api/v1/test-deep"), 400, "bad_request")
    page = app.test_client().get("/test-deep-page")
    assert page.status_code == 400 and page.mimetype == "text/html"
    with app.app_context():
        db.engine.dispose()


WRONG_TYPES = {
    "days": ["7", True, 2.5, None, [7], {"n": 7}, 1e400],
    "meals": ["lunch", [1], [None], {"lunch": True}],
    "people": ["2", False, 1.5, []],
    "energy_kcal": ["2000", True, [2000]],
    "profile": ["female", [], 3, {"sex": 1, "age": "30", "height_cm": "170", "weight_kg": []}],
    "energy_tolerance": ["0.1", True, []],
    "diet": [5, ["vegan"], True, {}],
    "exclude_allergens": ["milk", [1], [["milk"]], {"milk": 1}],
    "exclude_foods": ["garlic", [1], [None], [["garlic"]], {"a": 1}],
    "favorite_recipes": ["x", [1], [{}], 7],
    "targets": ["high", [], {"fiber_g_per_day": "30"}, {"plants_per_week": 2.5}],
    "budget": [100, "100", [], {"amount": "100"}, {"amount": True},
               {"amount": 100, "basis": "monthly"}, {"amount": 100, "basis": 1}],
    "pantry": [{"food": "garlic", "grams": 10}, ["garlic"], [{"food": 1, "grams": 10}],
               [{"food": "garlic", "grams": "10"}], [{"food": "garlic", "grams": True}]],
    "use_staples": ["true", 1, 0, None, []],
    "max_prep_minutes": ["30", True, [30]],
    "max_repeats": ["2", None, 1.5],
    "time_limit_seconds": ["5", True, [], float("inf")],
    "continue_from": ["plan-id", [], {"plan_id": "x"}, {"plan_id": 1, "owner_token": "t"},
                      {"plan_id": "x", "owner_token": "t", "extra": 1}],
    "start_day": ["8", True, 1.5, 0, []],
    "start_date": ["2026-02-30", "next monday", 20261207, True, [], {"y": 2026}, "1999-01-04"],
    "usual_fiber_g_per_day": ["15", True, [], -1, 101],
    "supplements": ["b12", ["zinc"], [1], {}],
    "day_exceptions": ["sodium", [1], {}, [{"day": "one", "requirement": "sodium", "max": 1}],
                       [{"day": 1, "max": 2600}], [{"day": 1, "requirement": "sodium"}],
                       [{"day": 1, "requirement": "sodium", "max": -1}],
                       [{"day": 2, "requirement": "sodium", "max": 2600}],
                       [{"day": 1, "requirement": "sodium", "max": 2600, "note": "x"}]],
}


def test_every_request_field_has_wrong_type_cases():
    assert set(WRONG_TYPES) == set(PlanRequestSchema().fields)


@pytest.mark.parametrize(("field", "value"), [
    (field, value) for field, values in WRONG_TYPES.items() for value in values])
def test_wrong_types_are_422_naming_the_field(client, field, value):
    body = json.dumps({field: value, "days": 1} if field != "days" else {field: value})
    response = client.post("/api/v1/plans", data=body, headers={"Content-Type": "application/json"})
    error = error_of(response, 422, "validation_error")
    assert list(error["details"]) == [field]


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_non_finite_numbers_are_422(client, literal):
    body = f'{{"days": 1, "time_limit_seconds": {literal}}}'
    error = error_of(client.post("/api/v1/plans", data=body,
                                 headers={"Content-Type": "application/json"}), 422)
    assert list(error["details"]) == ["time_limit_seconds"]


HOSTILE = [
    "'; DROP TABLE plan; --",
    "\" OR 1=1 --",
    "garlic' UNION SELECT id, document FROM plan --",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "\"><svg/onload=alert(1)>",
    "{{ 7*7 }}",
    "🍄 champiñón ナス",
    "\u202egarlicky-unknown",
    "!!!",
    "nul\u0000byte",
    "\ud7ff\ufffd",
    "lone\ud800surrogate",
    "../../../etc/passwd",
]
IN_URLS = [text for text in HOSTILE  # a URL holds UTF-8: no lone surrogates
           if not any(0xD800 <= ord(c) <= 0xDFFF for c in text)]
TEXT_FIELDS = {
    "exclude_foods": lambda s: {"exclude_foods": [s]},
    "favorite_recipes": lambda s: {"favorite_recipes": [s]},
    "pantry": lambda s: {"pantry": [{"food": s, "grams": 100}]},
    "diet": lambda s: {"diet": s},
    "meals": lambda s: {"meals": [s]},
    "exclude_allergens": lambda s: {"exclude_allergens": [s]},
    "profile": lambda s: {"profile": {"sex": s, "age": 40, "height_cm": 170, "weight_kg": 70}},
    "budget": lambda s: {"budget": {"amount": 100, "currency": s}},
}


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("field", list(TEXT_FIELDS))
def test_hostile_text_in_every_text_field_is_422_naming_it(client, field, text):
    response = client.post("/api/v1/plans", json={**PLAN_REQUEST, **TEXT_FIELDS[field](text)})
    error = error_of(response, 422, "validation_error")
    assert [key.split(".")[0] for key in error["details"]] == [field]
    assert response.headers["X-Content-Type-Options"] == "nosniff"  # JSON is never sniffed


def test_hostile_text_leaves_the_database_intact(client, plan):
    foods = client.get("/ready").get_json()["foods"]
    for text in HOSTILE:
        client.post("/api/v1/plans", json={"days": 1, "exclude_foods": [text],
                                           "favorite_recipes": [text]})
    for text in IN_URLS:
        client.get("/api/v1/foods", query_string={"q": text})
        client.get("/api/v1/recipes", query_string={"q": text})
    assert client.get("/ready").get_json()["foods"] == foods
    assert client.get(f"/api/v1/plans/{plan['id']}").get_json() == plan


@pytest.mark.parametrize("text", IN_URLS)
def test_hostile_text_in_searches_and_ids_is_never_a_500(client, text):
    for url, query in (("/api/v1/foods", {"q": text}), ("/api/v1/recipes", {"q": text})):
        response = client.get(url, query_string=query)
        if "\x00" in text:  # a NUL is no text to search for: 422 naming the parameter
            assert response.status_code == 422 and "q" in response.get_json()["error"][
                "details"]
        else:
            assert response.status_code == 200 and isinstance(response.get_json(), list)
    for url in ("/api/v1/plans/{}", "/api/v1/foods/{}", "/api/v1/recipes/{}"):
        response = client.get(url.format(text.replace("/", "%2F")))
        assert response.status_code in (404, 405) and response.mimetype == "application/json"
    page = client.get(f"/plans/{text.replace('/', '%2F')}")
    assert page.status_code == 404 and page.mimetype == "text/html"
    assert_no_leak(page, echo=text)


@pytest.mark.parametrize("text", ["<script>alert(1)</script>", "\"><svg/onload=alert(1)>"])
def test_hostile_text_in_the_plan_form_is_rendered_escaped(app, client, monkeypatch, text):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    page = client.post("/", data={"days": "1", "meals": "lunch", "diet": "omnivore",
                                  "exclude_foods": text, "favorite_recipes": text,
                                  "pantry-0-food": text, "pantry-0-grams": "100"})
    assert page.status_code in (200, 422) and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert text not in html
    assert "alert(1)" in html  # echoed back to the person, as text
    assert "<svg/onload" not in html and "<script>alert" not in html
