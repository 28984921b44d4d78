"""The JSON API through Flask's test client: success and error paths of every endpoint, the one
error shape, content negotiation, ETags and pagination bounds.

The plan tests share one small plan (1 day, 1 s solver limit) to keep the suite fast.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from werkzeug.exceptions import TooManyRequests

from mealplanner import create_app
from mealplanner.api import exempt_from_csrf
from mealplanner.catalog.export import food_document, recipe_document
from mealplanner.jobs import queue as job_queue
from mealplanner.planner.checker import check_plan
from mealplanner.plans.capacity import capacity
from mealplanner.plans.schemas import PlanRequestSchema
from mealplanner.plans.service import load_plan, save_plan
from mealplanner.rules import MEALS, default_rules
from mealplanner.shopping.export import CSV_FIELDS
from tests.helpers import OWNER_TOKENS, PLAN_ID, PLAN_REQUEST, error_of, owner, stored_copy


def meals_of(plan: dict) -> dict[tuple[int, str], str]:
    return {(d["day"], m["slot"]): m["recipe_id"] for d in plan["days"] for m in d["meals"]}


@pytest.fixture(scope="module")
def created(app):
    """One plan made through the API: (response, plan document without its owner token)."""
    response = app.test_client().post("/api/v1/plans", json=PLAN_REQUEST)
    assert response.status_code == 201, response.get_data(as_text=True)
    plan = response.get_json()
    token = plan.pop("owner_token")
    assert PLAN_ID.fullmatch(token)  # shown once, never in the stored plan
    OWNER_TOKENS[plan["id"]] = token
    return response, plan


@pytest.fixture()
def plan_url(created):
    return created[0].headers["Location"]


@pytest.fixture()
def throwaway_plan(app, created):
    """A stored copy of the plan (no solving), for tests that change or delete it."""
    with app.app_context():
        return stored_copy(created[1]["id"])


# Plans --------------------------------------------------------------------------------------


def test_post_plan_returns_201_with_location_etag_and_the_stored_plan(app, created, catalog):
    response, plan = created
    assert PLAN_ID.fullmatch(plan["id"])
    assert response.headers["Location"] == f"/api/v1/plans/{plan['id']}"
    assert response.headers["ETag"]
    assert len(plan["days"]) == 1 and len(plan["days"][0]["meals"]) == len(MEALS)
    assert plan["request"]["days"] == 1 and plan["request"]["diet"] == "omnivore"
    with app.app_context():
        request, stored = load_plan(plan["id"])
    assert stored == plan  # stored (committed) before the 201, nothing dropped by the schema
    assert check_plan(plan, request, catalog) == []


def test_get_plan_reads_the_stored_document_and_never_solves(client, created, monkeypatch):
    def no_solving(*args, **kwargs):
        raise AssertionError("GET solved the plan again")

    monkeypatch.setattr("mealplanner.planner.pipeline.make_plan", no_solving)
    response, plan = created
    got = client.get(response.headers["Location"])
    assert got.status_code == 200
    assert got.get_json() == plan
    assert got.headers["ETag"] == response.headers["ETag"]


def test_plan_etag_gives_304_without_a_body(client, plan_url):
    etag = client.get(plan_url).headers["ETag"]
    again = client.get(plan_url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    assert client.get(plan_url, headers={"If-None-Match": '"other"'}).status_code == 200


def test_plan_weak_etag_in_if_none_match_gives_304(client, plan_url):
    """A cache may send the tag back weak (W/"..."): If-None-Match compares weakly."""
    etag = client.get(plan_url).headers["ETag"]
    weak = etag if etag.startswith("W/") else f"W/{etag}"
    assert client.get(plan_url, headers={"If-None-Match": weak}).status_code == 304
    assert client.get(plan_url, headers={"If-None-Match": 'W/"other"'}).status_code == 200
    assert client.get(plan_url, headers={"If-None-Match": f'"x", {weak}'}).status_code == 304


def test_there_is_no_list_of_plans(client):
    response = client.get("/api/v1/plans")
    error_of(response, 405, "method_not_allowed")
    assert "POST" in response.headers["Allow"] and "GET" not in response.headers["Allow"]


@pytest.mark.parametrize("plan_id", ["AAAAAAAAAAAAAAAAAAAAAA", "x" * 100, "a.b", "%00"])
def test_unknown_plan_is_404(client, plan_id):
    for response in (client.get(f"/api/v1/plans/{plan_id}"),
                     client.delete(f"/api/v1/plans/{plan_id}"),
                     client.get(f"/api/v1/plans/{plan_id}/shopping-list"),
                     client.post(f"/api/v1/plans/{plan_id}/swap",
                                 json={"day": 1, "slot": "lunch"}),
                     client.post(f"/api/v1/plans/{plan_id}/regenerate", json={})):
        error_of(response, 404, "not_found")


def test_delete_plan(app, client, created):
    with app.app_context():
        request, document = load_plan(created[1]["id"])
        saved = save_plan(request, {k: v for k, v in document.items() if k != "id"})
    url = f"/api/v1/plans/{saved['id']}"
    error_of(client.delete(url), 403, "forbidden")
    error_of(client.delete(url, headers={"X-Owner-Token": "x" + saved["owner_token"]}), 403)
    response = client.delete(url, headers={"X-Owner-Token": saved["owner_token"]})
    assert response.status_code == 204 and response.data == b""
    error_of(client.get(url), 404, "not_found")
    error_of(client.delete(url), 404, "not_found")


def test_swap_replaces_one_meal_and_keeps_every_target(app, client, throwaway_plan, catalog):
    url = f"/api/v1/plans/{throwaway_plan}"
    before = client.get(url)
    response = client.post(f"{url}/swap", json={"day": 1, "slot": "lunch"},
                           headers=owner(throwaway_plan))
    assert response.status_code == 200, response.get_data(as_text=True)
    swapped = response.get_json()
    old, new = meals_of(before.get_json()), meals_of(swapped)
    assert new[1, "lunch"] != old[1, "lunch"]
    assert {k: v for k, v in new.items() if k != (1, "lunch")} == {
        k: v for k, v in old.items() if k != (1, "lunch")}
    with app.app_context():
        request, stored = load_plan(throwaway_plan)
    assert stored == swapped and check_plan(swapped, request, catalog) == []
    assert response.headers["ETag"] != before.headers["ETag"]
    assert client.get(url).headers["ETag"] == response.headers["ETag"]


def test_regenerate_keeps_the_locked_meals(client, throwaway_plan):
    url = f"/api/v1/plans/{throwaway_plan}"
    old = meals_of(client.get(url).get_json())
    response = client.post(f"{url}/regenerate", headers=owner(throwaway_plan),
                           json={"keep": [{"day": 1, "slot": "breakfast"},
                                          {"day": 1, "slot": "dinner"}]})
    assert response.status_code == 200, response.get_data(as_text=True)
    new = meals_of(response.get_json())
    assert new[1, "breakfast"] == old[1, "breakfast"] and new[1, "dinner"] == old[1, "dinner"]
    assert set(new) == set(old)


@pytest.mark.parametrize(("body", "field"), [
    ({"day": 2, "slot": "lunch"}, "day"),
    ({"day": 1, "slot": "brunch"}, "slot"),
    ({"day": 0, "slot": "lunch"}, "day"),
    ({"slot": "lunch"}, "day"),
    ({"day": 1.5, "slot": "lunch"}, "day"),
])
def test_swap_errors_name_the_field(client, created, plan_url, body, field):
    error = error_of(client.post(f"{plan_url}/swap", json=body, headers=owner(created[1]["id"])),
                     422, "validation_error")
    assert field in error["details"]
    if body.get("slot") == "brunch":
        assert "breakfast, lunch, dinner, snack" in error["details"]["slot"][0]


def test_regenerate_rejects_meals_the_plan_does_not_have(client, created, plan_url):
    error = error_of(client.post(f"{plan_url}/regenerate", headers=owner(created[1]["id"]),
                                 json={"keep": [{"day": 1, "slot": "lunch"},
                                                {"day": 5, "slot": "lunch"}]}),
                     422, "validation_error")
    assert list(error["details"]["keep"]) == ["1"]
    error = error_of(client.post(f"{plan_url}/regenerate", json={"lock": []}), 422)
    assert "lock" in error["details"]


def test_infeasible_request_is_422_with_the_explanation(client):
    response = client.post("/api/v1/plans", json={"days": 1, "diet": "vegan",
                                                  "max_prep_minutes": 5})
    error = error_of(response, 422, "infeasible")
    explanation = error["details"]
    assert error["message"] == explanation["message"]
    assert explanation["reason"] == "no_dishes" and explanation["suggestions"]
    assert {row["slot"] for row in explanation["empty_slots"]} <= set(MEALS)


def test_conflicting_requirements_are_422_naming_the_conflict(client):
    response = client.post("/api/v1/plans", json={**PLAN_REQUEST, "budget": {"amount": 1}})
    error = error_of(response, 422, "infeasible")
    explanation = error["details"]
    assert error["message"] == explanation["message"] and "budget" in error["message"]
    assert [c["requirement"] for c in explanation["conflicts"]] == ["budget"]
    assert explanation["suggestions"]


def test_planner_timeout_is_its_own_code(client, monkeypatch):
    explanation = {"status": "timeout", "reason": "timeout", "message": "No plan was found in "
                   "the time allowed.", "conflicts": [], "empty_slots": [], "suggestions": []}
    monkeypatch.setattr("mealplanner.plans.service.create_plan",
                        lambda request: ("timeout", explanation))
    error = error_of(client.post("/api/v1/plans", json={"days": 1}), 422, "planner_timeout")
    assert error["details"] == explanation


def test_a_name_the_database_lacks_is_422_naming_the_field(client):
    error = error_of(client.post("/api/v1/plans", json={"exclude_foods": ["unobtainium"]}),
                     422, "validation_error")
    assert list(error["details"]) == ["exclude_foods"]
    assert "unobtainium" in error["details"]["exclude_foods"][0]


def test_validation_names_every_field_and_lists_allowed_values(client):
    body = {"days": 15, "diet": "keto", "exclude_allergens": ["nuts"], "colour": "red",
            "people": 2.5, "use_staples": 0, "time_limit_seconds": "5",
            "budget": {"amount": 0}, "profile": {"sex": "female"}}
    error = error_of(client.post("/api/v1/plans", json=body), 422, "validation_error")
    details = error["details"]
    assert set(details) == {"days", "diet", "exclude_allergens", "colour", "people",
                            "use_staples", "time_limit_seconds", "budget", "profile"}
    allergens = ", ".join(default_rules().allergens)
    assert details["exclude_allergens"]["0"] == [
        f"unknown allergen 'nuts'; must be one of: {allergens}"]
    assert details["diet"] == [f"must be one of: {', '.join(default_rules().diets)}"]
    assert "strict_vegetarian" in default_rules().diets
    assert set(details["profile"]) == {"age", "height_cm", "weight_kg"}
    for field in ("days", "diet", "exclude_allergens"):
        assert field in error["message"]


def test_integral_floats_are_integers_in_json(client):
    # JSON Schema counts 1.0 as an integer: 1.0 passes validation (stopped here at `meals`).
    error = error_of(client.post("/api/v1/plans", json={"days": 1.0, "meals": []}), 422)
    assert list(error["details"]) == ["meals"]


@pytest.mark.parametrize(("data", "headers", "status", "code"), [
    ("{not json", {"Content-Type": "application/json"}, 400, "bad_request"),
    ("", {"Content-Type": "application/json"}, 400, "bad_request"),
    ("[1, 2]", {"Content-Type": "application/json"}, 422, "validation_error"),
    ("days=1", {"Content-Type": "application/x-www-form-urlencoded"}, 415,
     "unsupported_media_type"),
    ('{"days": 1}', {}, 415, "unsupported_media_type"),
    ('{"days": 1, "pad": "' + "x" * 70_000 + '"}', {"Content-Type": "application/json"}, 413,
     "payload_too_large"),
])
def test_bad_bodies(client, data, headers, status, code):
    error_of(client.post("/api/v1/plans", data=data, headers=headers), status, code)


def test_planner_saturated_is_503_with_retry_after(app, client, created, plan_url,
                                                   monkeypatch):
    # a queued job waits its whole timeout for a slot before it is turned away: one second
    monkeypatch.setattr(job_queue, "job_timeout", lambda _time_limit_seconds: 1)
    with app.app_context():
        slots = capacity()
    held = 0
    try:
        while slots.try_acquire():
            held += 1
        assert held == app.config["MEALPLANNER_PLANNER_SLOTS"]
        for response in (client.post("/api/v1/plans", json=PLAN_REQUEST),
                         client.post(f"{plan_url}/swap", json={"day": 1, "slot": "lunch"},
                                     headers=owner(created[1]["id"]))):
            error = error_of(response, 503, "planner_busy")
            assert int(response.headers["Retry-After"]) > 0
            assert response.headers["Retry-After"] in error["message"]
    finally:
        for _ in range(held):
            slots.release()


# Shopping list ------------------------------------------------------------------------------


def test_shopping_list_json_by_default(client, created, plan_url):
    response = client.get(f"{plan_url}/shopping-list")
    assert response.status_code == 200 and response.mimetype == "application/json"
    shopping = response.get_json()
    assert shopping["schema"] == "mealplanner/shopping-list/1"
    assert shopping["plan_id"] == created[1]["id"]
    assert shopping["total"] == created[1]["cost"]["total"]
    assert "Accept" in response.headers["Vary"]
    for line in shopping["lines"]:  # what a shopper reads, beside the figures it comes from
        assert line["buy"].startswith(("Buy ", "On hand", "Staple")) and line["shop_name"]
        assert isinstance(line["parts"], list) and "label" in line and "household" in line


@pytest.mark.parametrize(("query", "accept", "mimetype"), [
    ("?format=csv", None, "text/csv"),
    ("?format=md", None, "text/markdown"),
    ("?format=json", "text/csv", "application/json"),
    ("", "text/csv", "text/csv"),
    ("", "text/markdown", "text/markdown"),
    ("", "text/html,application/xhtml+xml,*/*;q=0.8", "application/json"),
])
def test_shopping_list_formats_by_query_or_accept(client, plan_url, query, accept, mimetype):
    headers = {"Accept": accept} if accept else {}
    response = client.get(f"{plan_url}/shopping-list{query}", headers=headers)
    assert response.status_code == 200
    assert response.mimetype == mimetype
    if mimetype == "application/json":
        assert "Content-Disposition" not in response.headers
        return
    assert response.mimetype_params["charset"] == "utf-8"
    extension = "csv" if mimetype == "text/csv" else "md"
    plan_id = plan_url.rsplit("/", 1)[1]
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="shopping-list-{plan_id}.{extension}"')
    text = response.get_data(as_text=True)
    if extension == "csv":
        rows = list(csv.reader(io.StringIO(text)))
        assert tuple(rows[0]) == CSV_FIELDS and len(rows) > 1
    else:
        assert text.startswith("# Shopping list") and "- [ ]" in text


def test_shopping_list_errors(client, plan_url):
    error_of(client.get(f"{plan_url}/shopping-list", headers={"Accept": "image/png"}), 406,
             "not_acceptable")
    missing = "/api/v1/plans/AAAAAAAAAAAAAAAAAAAAAA/shopping-list"  # no such plan: 404 first
    error_of(client.get(missing, headers={"Accept": "image/png"}), 404, "not_found")
    error = error_of(client.get(f"{plan_url}/shopping-list?format=xml"), 422)
    assert error["details"]["format"] == ["must be one of: json, csv, md"]
    error = error_of(client.get(f"{plan_url}/shopping-list?trips=9"), 422)
    assert re.search(r"bought in \d+ trips? \(day", error["details"]["trips"][0])
    assert "not 9" in error["details"]["trips"][0]


# Foods and recipes --------------------------------------------------------------------------


def pagination(response) -> dict:
    return json.loads(response.headers["X-Pagination"])


def test_foods_are_paginated_sorted_and_in_the_export_shape(client, catalog):
    first = client.get("/api/v1/foods?page_size=20")
    second = client.get("/api/v1/foods?page_size=20&page=2")
    assert first.status_code == second.status_code == 200
    meta = pagination(first)
    assert meta["total"] == len(catalog.foods) and meta["next_page"] == 2
    names = [f["name"].lower() for f in first.get_json() + second.get_json()]
    assert len(names) == 40 and names == sorted(names)
    food = first.get_json()[0]
    assert food == json.loads(json.dumps(food_document(catalog.foods[food["id"]])))
    assert len(client.get("/api/v1/foods").get_json()) == 10  # default page size


@pytest.mark.parametrize("query", ["page_size=101", "page_size=0", "page=0", "page=x"])
def test_pagination_bounds_are_422(client, query):
    error = error_of(client.get(f"/api/v1/foods?{query}"), 422, "validation_error")
    assert query.split("=")[0] in error["details"]


def test_a_page_past_the_last_is_empty(client, catalog):
    response = client.get("/api/v1/recipes?page=1000&page_size=100")
    assert response.status_code == 200 and response.get_json() == []
    assert pagination(response)["total"] == len(catalog.recipes)


def test_food_filters(client, catalog):
    def ids(query):
        response = client.get(f"/api/v1/foods?page_size=100&{query}")
        assert response.status_code == 200, response.get_data(as_text=True)
        return {f["id"] for f in response.get_json()}

    garlic = ids("q=GARLIC")
    assert garlic and all("garlic" in catalog.foods[i].name.lower() or "garlic" in i
                          for i in garlic)
    assert all("legume" in catalog.foods[i].groups for i in ids("group=legume"))
    assert ids("fermented=true") == {f.id for f in catalog.foods.values() if f.fermented}
    assert all(catalog.foods[i].prebiotic_mg_per_100g > 0 for i in ids("prebiotic=true"))
    free = ids("group=cheese&allergen_free=milk&allergen_free=egg")
    assert free == {f.id for f in catalog.foods.values()
                    if "cheese" in f.groups and not {"milk", "egg"} & set(f.allergens)}


def test_food_filter_errors_list_allowed_values(client):
    error = error_of(client.get("/api/v1/foods?allergen_free=nuts&group=candy&fermented=maybe"),
                     422, "validation_error")
    assert "tree_nuts" in error["details"]["allergen_free"]["0"][0]
    assert "legume" in error["details"]["group"][0]
    assert set(error["details"]) == {"allergen_free", "group", "fermented"}


def test_one_food_with_etag(client, catalog):
    response = client.get("/api/v1/foods/garlic")
    assert response.status_code == 200
    assert response.get_json() == json.loads(json.dumps(food_document(catalog.foods["garlic"])))
    assert client.get("/api/v1/foods/garlic",
                      headers={"If-None-Match": response.headers["ETag"]}).status_code == 304
    error_of(client.get("/api/v1/foods/no-such-food"), 404, "not_found")


def test_recipe_filters(client, catalog):
    query = ("meal_type=dinner&diet=vegan&allergen_free=gluten&cuisine=greek"
             "&max_prep_minutes=45&page_size=100")
    response = client.get(f"/api/v1/recipes?{query}")
    assert response.status_code == 200
    recipes = response.get_json()
    expected = {rid for rid, r in catalog.recipes.items()
                if "dinner" in r.meal_types and "vegan" in catalog.facts[rid].diets
                and "gluten" not in catalog.facts[rid].allergens and r.cuisine == "Greek"
                and r.total_minutes <= 45}
    assert expected and {r["id"] for r in recipes} == expected
    error = error_of(client.get("/api/v1/recipes?diet=keto&meal_type=brunch"), 422)
    assert error["details"]["diet"] == [
        "must be one of: omnivore, pescatarian, vegetarian, strict_vegetarian, vegan"]
    assert "snack" in error["details"]["meal_type"][0]


def test_one_recipe_with_ingredients_method_nutrients_and_etag(client, catalog):
    recipe_id = sorted(catalog.recipes)[0]
    response = client.get(f"/api/v1/recipes/{recipe_id}")
    assert response.status_code == 200
    recipe = response.get_json()
    assert recipe == json.loads(json.dumps(recipe_document(catalog, recipe_id)))
    assert recipe["ingredients"] and recipe["method"] and recipe["nutrients_per_serving"]
    etag = response.headers["ETag"]
    cached = client.get(f"/api/v1/recipes/{recipe_id}", headers={"If-None-Match": etag})
    assert cached.status_code == 304 and cached.headers["ETag"] == etag
    error_of(client.get("/api/v1/recipes/no-such-recipe"), 404, "not_found")


# Meta, health, docs -------------------------------------------------------------------------


def test_meta_lists_names_defaults_and_rule_sets_with_sources(client):
    response = client.get("/api/v1/meta")
    assert response.status_code == 200
    meta = response.get_json()
    rules = default_rules()
    assert [a["name"] for a in meta["allergens"]] == list(rules.allergens)
    assert [d["name"] for d in meta["diets"]] == list(rules.diets)
    assert meta["meal_slots"] == list(MEALS)
    assert "Greek" in meta["cuisines"]
    assert meta["default_targets"]["fiber_g"]["min"] == 28.0
    assert meta["default_targets"]["fiber_g"]["source"]
    assert PlanRequestSchema().load(meta["request_defaults"]).days == 7
    assert {s["id"] for s in meta["rule_sets"]} == {"gut_health", "mediterranean"}
    assert all(rule["source"] for s in meta["rule_sets"] for rule in s["rules"])
    assert len(next(s for s in meta["rule_sets"] if s["id"] == "mediterranean")["rules"]) == len(
        rules.mediterranean)


def test_health_and_ready(client):
    assert client.get("/health").get_json() == {"status": "ok"}
    ready = client.get("/ready")
    assert ready.status_code == 200 and ready.get_json()["foods"] > 300


def test_not_ready_without_a_database(tmp_path):
    app = create_app({"TESTING": True,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'empty.sqlite'}"})
    error_of(app.test_client().get("/ready"), 503, "not_ready")
    with app.app_context():
        from mealplanner.extensions import db

        db.engine.dispose()


def test_openapi_document(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    assert spec["openapi"].startswith("3.")
    assert {"/api/v1/plans", "/api/v1/plans/{plan_id}", "/api/v1/plans/{plan_id}/swap",
            "/api/v1/plans/{plan_id}/alternatives",
            "/api/v1/plans/{plan_id}/regenerate", "/api/v1/plans/{plan_id}/shopping-list",
            "/api/v1/plans/{plan_id}/calendar.ics",
            "/api/v1/foods", "/api/v1/foods/{food_id}", "/api/v1/recipes",
            "/api/v1/recipes/{recipe_id}", "/api/v1/meta", "/api/v1/jobs/{job_id}", "/health",
            "/ready", "/api/v1/plans/{plan_id}/fork",
            "/api/v1/plans/{plan_id}/remove-exception"} == set(
        spec["paths"])
    assert "get" not in spec["paths"]["/api/v1/plans"]  # no list of other people's plans

    def bounds(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("minimum", "maximum"):
                    yield value
                yield from bounds(value)
        elif isinstance(node, list):
            for value in node:
                yield from bounds(value)

    assert all(isinstance(b, int | float) for b in bounds(spec))  # no Decimal strings
    error = spec["components"]["schemas"]["ErrorDetail"]
    assert set(error["required"]) == {"code", "message", "details"}


def test_docs_page_is_served_from_vendored_files_without_inline_script(client):
    response = client.get("/api/docs")
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/api/") for s in sources)
    assert "http" not in " ".join(sources)
    assert all(not body.strip() for body in re.findall(r"<script[^>]*>(.*?)</script>", html,
                                                       flags=re.S))
    for source in sources:
        asset = client.get(source)
        assert asset.status_code == 200, source
        asset.close()
    license_file = client.get("/api/static/swagger-ui/LICENSE")
    assert license_file.status_code == 200 and b"Apache License" in license_file.data
    license_file.close()


# Errors everywhere --------------------------------------------------------------------------


def test_unknown_api_url_is_json_but_pages_keep_html_errors(client):
    error_of(client.get("/api/v1/nothing-here"), 404, "not_found")
    error_of(client.get("/api/nothing-here"), 404, "not_found")
    page = client.get("/no-such-page", headers={"Accept": "text/html"})
    assert page.status_code == 404 and page.mimetype == "text/html"


def test_405_keeps_the_allow_header(client):
    response = client.delete("/api/v1/foods")
    error_of(response, 405, "method_not_allowed")
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "HEAD"}


@pytest.fixture(scope="module")
def failing_app(database_url):
    app = create_app({"TESTING": True, "PROPAGATE_EXCEPTIONS": False,
                      "SQLALCHEMY_DATABASE_URI": database_url})

    @app.get("/api/v1/test-crash")
    def crash():
        raise RuntimeError("secret internal detail")

    @app.get("/api/v1/test-limited")
    def limited():
        raise TooManyRequests(retry_after=30)

    @app.get("/test-page-crash")
    def page_crash():
        raise RuntimeError("secret internal detail")

    return app


def test_500_has_the_error_shape_and_no_stack_trace(failing_app):
    response = failing_app.test_client().get("/api/v1/test-crash")
    error_of(response, 500, "internal_error")
    text = response.get_data(as_text=True)
    assert "Traceback" not in text and "secret" not in text and "RuntimeError" not in text
    page = failing_app.test_client().get("/test-page-crash")
    assert page.status_code == 500 and page.mimetype == "text/html"
    assert "secret" not in page.get_data(as_text=True)


def test_429_from_anywhere_has_the_error_shape(failing_app):
    response = failing_app.test_client().get("/api/v1/test-limited")
    error_of(response, 429, "rate_limited")
    assert response.headers["Retry-After"] == "30"


def test_api_posts_need_no_csrf_token(database_url):
    from flask_wtf.csrf import CSRFProtect

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
                      "WTF_CSRF_ENABLED": True})
    app.config["WTF_CSRF_CHECK_DEFAULT"] = True  # Flask-WTF's own check on every request
    exempt_from_csrf(CSRFProtect(app))
    error = error_of(app.test_client().post("/api/v1/plans", json={"days": 0}), 422)
    assert list(error["details"]) == ["days"]
