"""Recipes as schema.org Recipe JSON-LD, read back through a JSON-LD processor (pyld).

The processor expands the document against a local copy of the one thing it needs from
schema.org's context, its vocabulary, so no test reaches the network. Every check reads the
expanded form, as an importing app would.
"""

from __future__ import annotations

import json
import re

import pytest
from pyld import jsonld

from mealplanner.catalog.schema_org import iso_duration
from mealplanner.plans.catalog import current_catalog

SCHEMA = "https://schema.org/"
SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def local_schema_org(url: str, options=None) -> dict:
    """A document loader that knows schema.org's context only, as its bare vocabulary."""
    assert url.rstrip("/") == SCHEMA.rstrip("/"), f"the document asked for {url}"
    return {"contextUrl": None, "documentUrl": url,
            "document": {"@context": {"@vocab": SCHEMA}}}


def expand(document: dict) -> dict:
    [node] = jsonld.expand(document, {"documentLoader": local_schema_org})
    return node


def values(node: dict, name: str) -> list:
    """The plain values (or IRIs) of a property of an expanded node."""
    return [item.get("@value", item.get("@id")) for item in node.get(SCHEMA + name, [])]


def one(node: dict, name: str):
    [value] = values(node, name)
    return value


def minutes(duration: str) -> int:
    match = re.fullmatch(r"PT(?:(\d+)H)?(?:(\d+)M)?", duration)
    assert match and any(match.groups()), duration
    return int(match.group(1) or 0) * 60 + int(match.group(2) or 0)


@pytest.fixture(scope="module")
def catalog(app):
    with app.app_context():
        return current_catalog()


def pick(catalog, keep) -> str:
    return next(rid for rid in sorted(catalog.recipes) if keep(catalog.facts[rid]))


def jsonld_of(client, recipe_id: str) -> dict:
    response = client.get(f"/api/v1/recipes/{recipe_id}?format=jsonld")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/ld+json"
    return json.loads(response.get_data(as_text=True))


def test_the_api_gives_a_recipe_every_field_an_app_imports(client, catalog):
    recipe_id = pick(catalog, lambda f: not f.unknown and "vegetarian" not in f.diets)
    recipe, facts = catalog.recipes[recipe_id], catalog.facts[recipe_id]
    node = expand(jsonld_of(client, recipe_id))
    assert node["@type"] == [SCHEMA + "Recipe"]
    assert one(node, "name") == recipe.name
    assert one(node, "url").endswith(f"/recipes/{recipe_id}")
    assert one(node, "recipeYield") == "1 serving"
    ingredients = values(node, "recipeIngredient")
    assert len(ingredients) == len(recipe.ingredients)
    for text, line in zip(ingredients, recipe.ingredients, strict=True):
        assert text.startswith(f"{line.grams:g} g {catalog.foods[line.food_id].name}")
    steps = node[SCHEMA + "recipeInstructions"]
    assert [step["@type"] for step in steps] == [[SCHEMA + "HowToStep"]] * len(recipe.method)
    assert [one(step, "text") for step in steps] == list(recipe.method)
    assert [one(step, "position") for step in steps] == list(range(1, len(recipe.method) + 1))
    assert minutes(one(node, "prepTime")) == recipe.prep_minutes
    assert minutes(one(node, "cookTime")) == recipe.cook_minutes
    assert minutes(one(node, "totalTime")) == recipe.total_minutes
    [nutrition] = node[SCHEMA + "nutrition"]
    assert nutrition["@type"] == [SCHEMA + "NutritionInformation"]
    expected = {"calories": ("energy_kcal", "kcal"), "fiberContent": ("fiber_g", "g"),
                "proteinContent": ("protein_g", "g"), "fatContent": ("fat_g", "g"),
                "carbohydrateContent": ("carbohydrate_g", "g"),
                "sodiumContent": ("sodium_mg", "mg")}
    for prop, (name, unit) in expected.items():
        number, shown_unit = one(nutrition, prop).split(" ")
        assert shown_unit == unit
        assert float(number) == pytest.approx(facts.nutrients[name], abs=0.51)
        assert float(number) > 0
    assert values(node, "suitableForDiet") == []  # not vegetarian: no restricted diet


def test_an_unknown_nutrient_is_left_out_never_given_as_zero(client, catalog):
    recipe_id = pick(catalog, lambda f: "fiber_g" in f.unknown)
    [nutrition] = expand(jsonld_of(client, recipe_id))[SCHEMA + "nutrition"]
    assert values(nutrition, "fiberContent") == []
    assert values(nutrition, "calories")  # the known ones are there
    shown = [one(nutrition, prop[len(SCHEMA):]) for prop in nutrition if prop.startswith(SCHEMA)]
    assert not [value for value in shown if re.fullmatch(r"0(\.0+)? \w+", value)]


def test_suitable_for_diet_names_only_the_diets_the_recipe_fits(client, catalog):
    vegan = pick(catalog, lambda f: "vegan" in f.diets)
    assert set(values(expand(jsonld_of(client, vegan)), "suitableForDiet")) == {
        SCHEMA + "VeganDiet", SCHEMA + "VegetarianDiet"}
    vegetarian = pick(catalog, lambda f: "vegetarian" in f.diets and "vegan" not in f.diets)
    assert values(expand(jsonld_of(client, vegetarian)), "suitableForDiet") == [
        SCHEMA + "VegetarianDiet"]


def test_the_recipe_page_embeds_the_same_document(client, catalog):
    recipe_id = sorted(catalog.recipes)[0]
    page = client.get(f"/recipes/{recipe_id}?people=3&portion=1.5")
    [embedded] = SCRIPT.findall(page.get_data(as_text=True))
    assert json.loads(embedded) == jsonld_of(client, recipe_id)


def test_the_jsonld_has_its_own_etag_and_a_wrong_format_is_named(client, catalog):
    recipe_id = sorted(catalog.recipes)[0]
    first = client.get(f"/api/v1/recipes/{recipe_id}?format=jsonld")
    assert first.headers["ETag"] != client.get(f"/api/v1/recipes/{recipe_id}").headers["ETag"]
    again = client.get(f"/api/v1/recipes/{recipe_id}?format=jsonld",
                       headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    error = client.get(f"/api/v1/recipes/{recipe_id}?format=xml").get_json()["error"]
    assert error["details"] == {"format": ["must be one of: json, jsonld"]}


@pytest.mark.parametrize(("given", "expected"), [
    (0, "PT0M"), (5, "PT5M"), (60, "PT1H"), (95, "PT1H35M"), (135, "PT2H15M")])
def test_minutes_are_iso_8601_durations(given, expected):
    assert iso_duration(given) == expected
    assert minutes(expected) == given
