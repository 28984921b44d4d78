"""Input no field may hold is a 422 naming the field, never a 500 and never stored: numbers of
over 100 digits (a 5,001-digit integer), NaN and Infinity, NUL characters; query parameters an
operation does not take; and food names in any script are read as names."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from mealplanner.extensions import db
from mealplanner.models import Plan
from mealplanner.planner.candidates import RequestError, resolve_food_terms
from tests.helpers import PLAN_REQUEST, error_of, kept, owner

HUGE = "1" * 5001


def post_raw(client, url: str, text: str):
    return client.post(url, data=text, headers={"Content-Type": "application/json"})


def plan_count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Plan))


@pytest.mark.parametrize(("body", "field"), [
    ('{"days": ' + HUGE + ', "time_limit_seconds": 1}', "days"),
    ('{"days": 1, "people": ' + "9" * 101 + ', "time_limit_seconds": 1}', "people"),
    ('{"days": 1, "time_limit_seconds": ' + "2" * 150 + '.5}', "time_limit_seconds"),
    ('{"days": 1, "time_limit_seconds": NaN}', "time_limit_seconds"),
    ('{"days": 1, "energy_kcal": -Infinity, "time_limit_seconds": 1}', "energy_kcal"),
    ('{"days": 1, "budget": {"amount": Infinity}, "time_limit_seconds": 1}', "budget"),
    ('{"days": 1, "pantry": [{"food": "oats", "grams": ' + HUGE + '}]}', "pantry"),
])
def test_numbers_no_field_can_hold_are_422_naming_the_field(app, client, body, field):
    before = plan_count(app)
    error = error_of(post_raw(client, "/api/v1/plans", body), 422, "validation_error")
    assert field in error["details"] and field in error["message"]
    assert plan_count(app) == before


@pytest.mark.parametrize(("body", "field"), [
    ({**PLAN_REQUEST, "exclude_foods": ["gar\u0000lic"]}, "exclude_foods"),
    ({**PLAN_REQUEST, "favorite_recipes": ["\u0000"]}, "favorite_recipes"),
    ({**PLAN_REQUEST, "diet": "vegan\u0000"}, "diet"),
    ({**PLAN_REQUEST, "pantry": [{"food": "oats\u0000", "grams": 100}]}, "pantry"),
])
def test_a_nul_character_in_any_string_is_422_naming_the_field_and_nothing_is_stored(
        app, client, body, field):
    before = plan_count(app)
    error = error_of(client.post("/api/v1/plans", json=body), 422, "validation_error")
    assert field in error["details"] and "NUL" in json.dumps(error["details"])
    assert plan_count(app) == before
    with app.app_context():  # the plan table's JSON still reads everywhere (PostgreSQL too)
        db.session.scalars(sa.select(Plan.request)).all()


def test_a_huge_number_or_a_nul_in_a_swap_is_422_naming_the_field(app, client):
    response = client.post("/api/v1/plans", json=PLAN_REQUEST)
    plan_id = kept(response.get_json())
    url = f"/api/v1/plans/{plan_id}/swap"
    body = '{"day": ' + HUGE + ', "slot": "lunch"}'
    error = error_of(post_raw(client, url, body), 422, "validation_error")
    assert "day" in error["details"]
    error = error_of(client.post(url, json={"day": 1, "slot": "lunch", "recipe_id": "a\u0000"},
                                 headers=owner(plan_id)), 422, "validation_error")
    assert "recipe_id" in error["details"]


# Query parameters -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def plan_id(app):
    return app.test_client().post("/api/v1/plans", json=PLAN_REQUEST).get_json()["id"]


@pytest.mark.parametrize(("url", "unknown", "allowed"), [
    ("/api/v1/plans/{plan}/alternatives?day=1&slot=lunch&dya=2", "dya", "day, slot"),
    ("/api/v1/plans/{plan}/shopping-list?trip=2", "trip", "format, trips"),
    ("/api/v1/foods?qq=lentil", "qq", "page, page_size, q"),
    ("/api/v1/recipes?page=1&pagesize=3", "pagesize", "page, page_size"),
    ("/api/v1/recipes/lentil-soup?fromat=jsonld", "fromat", "format"),
])
def test_unknown_query_parameters_are_422_naming_the_allowed_ones(client, plan_id, url,
                                                                    unknown, allowed):
    error = error_of(client.get(url.format(plan=plan_id)), 422, "validation_error")
    assert list(error["details"]) == [unknown]
    assert unknown in error["message"]
    for name in allowed.split(", "):
        assert name in error["details"][unknown][0] and name in error["message"]


def test_every_documented_query_parameter_is_still_taken(client, plan_id):
    assert client.get("/api/v1/foods?q=lentil&page=1&page_size=5&fermented=false"
                      ).status_code == 200
    assert client.get(f"/api/v1/plans/{plan_id}/shopping-list?format=csv").status_code == 200
    assert client.get(f"/api/v1/plans/{plan_id}/alternatives?day=1&slot=lunch"
                      ).status_code == 200


def test_a_nul_in_a_query_parameter_is_422_naming_it(client):
    error = error_of(client.get("/api/v1/foods?q=len%00til"), 422, "validation_error")
    assert list(error["details"]) == ["q"]


# Food names in any script ---------------------------------------------------------------------


def test_a_full_width_food_name_is_read_as_the_food(app, client):
    body = {**PLAN_REQUEST, "exclude_foods": ["ｇａｒｌｉｃ"]}  # full-width "garlic"
    response = client.post("/api/v1/plans", json=body)
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.get_json()["request"]["exclude_foods"] == ["ｇａｒｌｉｃ"]
    error = error_of(client.post("/api/v1/plans", json={**PLAN_REQUEST, "exclude_foods": [
        "ｇａｒｌｉｃｋ"]}), 422, "validation_error")
    assert "unknown food" in error["message"] and "garlic" in error["message"]


def test_names_in_any_script_match_foods_named_in_it():
    foods = {"apricots_dried": SimpleNamespace(id="apricots_dried", name="مشمش مجفف"),
             "tofu": SimpleNamespace(id="tofu", name="豆腐 Tofu")}
    catalog = SimpleNamespace(foods=foods)
    assert resolve_food_terms(["مشمش"], catalog, "exclude_foods") == {"apricots_dried"}
    assert resolve_food_terms(["豆腐"], catalog, "exclude_foods") == {"tofu"}
    assert resolve_food_terms(["ＴＯＦＵ"], catalog, "exclude_foods") == {"tofu"}
    with pytest.raises(RequestError, match="no letters or digits"):
        resolve_food_terms(["🍄!"], catalog, "exclude_foods")


def test_an_arabic_name_is_an_unknown_food_not_one_without_letters(client):
    error = error_of(client.post("/api/v1/plans", json={**PLAN_REQUEST, "exclude_foods": [
        "مشمش"]}), 422, "validation_error")
    assert "unknown food" in error["message"] and "no letters" not in error["message"]


# Request limits -------------------------------------------------------------------------------


def test_a_long_url_is_414_in_the_error_shape(client):
    error = error_of(client.get("/api/v1/foods?q=" + "x" * 5000), 414, "uri_too_long")
    assert "4096" in error["message"]


def test_a_chunked_body_over_the_limit_is_413_not_a_truncated_400(client):
    import io

    big = json.dumps({"days": 1, "exclude_foods": ["x" * 70_000]}).encode()
    response = client.post("/api/v1/plans", input_stream=io.BytesIO(big),
                           headers={"Content-Type": "application/json",
                                    "Transfer-Encoding": "chunked"},
                           environ_overrides={"wsgi.input_terminated": True})
    error_of(response, 413, "payload_too_large")
