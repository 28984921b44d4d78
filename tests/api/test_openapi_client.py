"""The OpenAPI document as generated clients read it: every operation named, allowed values as
enums, and a client generated with openapi-python-client that plans a week end to end.

The generated client talks to the app in process (httpx's WSGI transport): no server, no
network. Its test is skipped where the generator is not installed.
"""

from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys

import httpx
import pytest

from mealplanner.api.field_docs import as_range
from mealplanner.planner.request import PORTIONS
from mealplanner.rules import MEALS, default_rules

OPERATION_ID = re.compile(r"[a-z]+(?:[A-Z][a-z]+)*")
EXPECTED_IDS = {
    ("post", "/api/v1/plans"): "createPlan",
    ("get", "/api/v1/plans/{plan_id}"): "getPlan",
    ("delete", "/api/v1/plans/{plan_id}"): "deletePlan",
    ("post", "/api/v1/plans/{plan_id}/swap"): "swapMeal",
    ("post", "/api/v1/plans/{plan_id}/regenerate"): "regeneratePlan",
    ("post", "/api/v1/plans/{plan_id}/fork"): "forkPlan",
    ("get", "/api/v1/plans/{plan_id}/shopping-list"): "getShoppingList",
    ("get", "/api/v1/plans/{plan_id}/calendar.ics"): "getPlanCalendar",
    ("get", "/api/v1/foods"): "listFoods",
    ("get", "/api/v1/foods/{food_id}"): "getFood",
    ("get", "/api/v1/recipes"): "listRecipes",
    ("get", "/api/v1/recipes/{recipe_id}"): "getRecipe",
}
PACKAGE = "mealplanner_client"


@pytest.fixture(scope="module")
def spec(app) -> dict:
    return app.test_client().get("/api/openapi.json").get_json()


def operations(spec: dict):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield (method, path), operation


def test_every_operation_has_a_short_unique_operation_id(spec):
    ids = {key: operation.get("operationId") for key, operation in operations(spec)}
    unnamed = [key for key, name in ids.items() if not name]
    assert unnamed == []
    assert len(set(ids.values())) == len(ids), f"operationIds repeat: {sorted(ids.values())}"
    assert [name for name in ids.values() if not OPERATION_ID.fullmatch(name)] == []
    assert [name for name in ids.values() if len(name) > 20] == []
    assert {key: ids[key] for key in EXPECTED_IDS} == EXPECTED_IDS


def test_plans_and_their_changes_document_the_202_of_the_job_queue(spec):
    jobs = spec["components"]["schemas"]["Job"]
    assert jobs["properties"]["kind"]["enum"] == ["create", "swap", "regenerate",
                                                  "remove_exception"]
    assert "plan_url" in jobs["description"] and "plan_changed" in jobs["description"]
    for path in ("/api/v1/plans", "/api/v1/plans/{plan_id}/swap",
                 "/api/v1/plans/{plan_id}/regenerate",
                 "/api/v1/plans/{plan_id}/remove-exception"):
        accepted = spec["paths"][path]["post"]["responses"]["202"]
        assert accepted["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Job"}
        assert "Location" in accepted["headers"]


def test_allowed_values_are_enums(spec):
    rules = default_rules()
    schemas = spec["components"]["schemas"]
    request = schemas["PlanRequest"]["properties"]
    assert request["exclude_allergens"]["items"]["enum"] == list(rules.allergens)
    assert request["diet"]["enum"] == list(rules.diets)
    assert request["meals"]["items"]["enum"] == list(MEALS)
    assert set(schemas["Budget"]["properties"]["currency"]["enum"]) == {"USD"}
    assert schemas["Budget"]["properties"]["basis"]["enum"] == ["checkout", "eaten"]
    recipes = {p["name"]: p["schema"] for p in spec["paths"]["/api/v1/recipes"]["get"]
               ["parameters"] if "schema" in p}
    assert recipes["allergen_free"]["items"]["enum"] == list(rules.allergens)


def test_no_enum_holds_a_float_so_generators_keep_every_operation(spec):
    floats = []

    def walk(node, where):
        if isinstance(node, dict):
            if any(isinstance(v, float) for v in node.get("enum", ())):
                floats.append(where)
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{where}/{index}")

    walk(spec, "")
    assert floats == []
    portion = spec["components"]["schemas"]["SwapChoice"]["properties"]["portion"]
    assert (portion["minimum"], portion["maximum"], portion["multipleOf"]) == (0.5, 2.0, 0.25)
    assert portion["nullable"] is True


def test_a_range_with_a_step_holds_exactly_the_portions():
    documented = as_range(list(PORTIONS))
    step, low, high = documented["multipleOf"], documented["minimum"], documented["maximum"]
    assert [low + step * i for i in range(round((high - low) / step) + 1)] == list(PORTIONS)
    assert "multipleOf" not in as_range([0.5, 1.0, 2.5])  # not evenly spaced: a range only


def test_a_nullable_nested_request_part_is_one_schema_or_null(spec):
    budget = spec["components"]["schemas"]["PlanRequest"]["properties"]["budget"]
    assert budget["allOf"] == [{"$ref": "#/components/schemas/Budget"}]
    assert budget["nullable"] is True and "anyOf" not in budget


@pytest.fixture(scope="module")
def generated(spec, tmp_path_factory):
    """The client openapi-python-client writes from the document, imported."""
    pytest.importorskip("openapi_python_client")
    folder = tmp_path_factory.mktemp("client")
    (folder / "openapi.json").write_text(json.dumps(spec), encoding="utf-8")
    (folder / "config.json").write_text('{"post_hooks": []}', encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "openapi_python_client", "generate", "--path", "openapi.json",
         "--meta", "none", "--output-path", PACKAGE, "--config", "config.json"],
        cwd=folder, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stdout, result.stdout  # no operation or model left out
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(folder))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
            del sys.modules[name]


@pytest.fixture()
def api(generated, app):
    client = generated.Client(base_url="http://mealplanner.test")
    client.set_httpx_client(httpx.Client(transport=httpx.WSGITransport(app=app),
                                         base_url="http://mealplanner.test"))
    yield client
    client.get_httpx_client().close()


def part(name: str):
    return importlib.import_module(f"{PACKAGE}.{name}")


def test_a_generated_client_plans_swaps_reads_and_deletes(api):
    plans, models = part("api.plans"), part("models")
    for module in ("create_plan", "get_plan", "swap_meal", "list_alternatives",
                   "get_shopping_list", "fork_plan", "delete_plan"):
        importlib.import_module(f"{plans.__name__}.{module}")
    request = models.PlanRequest(
        days=1, time_limit_seconds=1.0,
        exclude_allergens=[models.PlanRequestExcludeAllergensItem.TREE_NUTS])
    created = plans.create_plan.sync_detailed(client=api, body=request)
    assert created.status_code == 201, created.content
    plan = created.parsed
    assert isinstance(plan, models.Plan) and plan.owner_token
    read = plans.get_plan.sync(plan.id, client=api)
    assert isinstance(read, models.Plan) and read.id == plan.id
    assert read.request.exclude_allergens == [models.PlanRequestExcludeAllergensItem.TREE_NUTS]

    slot, choice = next(
        (slot, found.alternatives[0]) for slot in models.ListAlternativesSlot
        for found in [plans.list_alternatives.sync(plan.id, client=api, day=1, slot=slot)]
        if isinstance(found, models.MealAlternatives) and found.alternatives)
    swapped = plans.swap_meal.sync(plan.id, client=api, body=models.SwapChoice(
        day=1, slot=models.SwapChoiceSlot(slot.value), recipe_id=choice.recipe_id,
        portion=choice.portion), x_owner_token=plan.owner_token)
    assert isinstance(swapped, models.Plan), swapped
    [meal] = [m for m in swapped.days[0].meals if m.slot == slot.value]
    assert meal.recipe_id == choice.recipe_id

    fork = plans.fork_plan.sync_detailed(plan.id, client=api)
    assert fork.status_code == 201 and fork.parsed.owner_token != plan.owner_token
    assert [m.recipe_id for m in fork.parsed.days[0].meals] == [
        m.recipe_id for m in swapped.days[0].meals]
    assert plans.delete_plan.sync_detailed(fork.parsed.id, client=api,
                                           x_owner_token=fork.parsed.owner_token
                                           ).status_code == 204

    shopping = plans.get_shopping_list.sync(plan.id, client=api)
    assert isinstance(shopping, models.ShoppingList)
    deleted = plans.delete_plan.sync_detailed(plan.id, client=api,
                                              x_owner_token=plan.owner_token)
    assert deleted.status_code == 204
    assert isinstance(plans.get_plan.sync(plan.id, client=api), models.Error)


def test_a_generated_client_reads_a_422_as_the_error_model(api):
    plans, models = part("api.plans"), part("models")
    importlib.import_module(f"{plans.__name__}.create_plan")
    error = plans.create_plan.sync(client=api, body=models.PlanRequest(days=0))
    assert isinstance(error, models.Error)
    assert error.error.code == "validation_error"
    assert "days" in error.error.details.additional_properties


def test_a_generated_client_lists_and_reads_recipes(api):
    recipes, models = part("api.recipes"), part("models")
    for module in ("list_recipes", "get_recipe"):
        importlib.import_module(f"{recipes.__name__}.{module}")
    found = recipes.list_recipes.sync(client=api, diet=models.ListRecipesDiet.VEGAN,
                                      page_size=3)
    assert len(found) == 3 and all("vegan" in recipe.diets for recipe in found)
    recipe = recipes.get_recipe.sync(found[0].id, client=api)
    assert isinstance(recipe, models.Recipe) and recipe.name == found[0].name
