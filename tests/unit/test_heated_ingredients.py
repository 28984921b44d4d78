"""Whether a dish heats an ingredient: read from the recipe files, and live cultures counted
only from what it does not heat, in the catalog, the plan document and the checker."""

from __future__ import annotations

import pytest

from mealplanner.catalog.derive import derive_recipe, live_culture_servings
from mealplanner.catalog.files import CatalogError
from mealplanner.catalog.recipe_files import _recipe_record
from mealplanner.catalog.records import IngredientLine, RecipeRecord
from mealplanner.catalog.store import Catalog
from mealplanner.planner.checker import plan_facts
from mealplanner.planner.report import day_totals, meal_document
from mealplanner.rules import default_rules
from tests.unit.test_shopping import food

RAW = {"id": "bowl", "name": "Bowl", "cuisine": "Greek", "meal_types": ["lunch"],
       "prep_minutes": 5, "method": ["Cook."]}


def parsed(cook_minutes: int, **line) -> IngredientLine:
    raw = {**RAW, "cook_minutes": cook_minutes,
           "ingredients": [{"food": "yogurt", "grams": 170, **line}]}
    return _recipe_record(raw, "recipes/test.toml", {"yogurt"}).ingredients[0]


@pytest.mark.parametrize(("cook_minutes", "line", "heated"), [
    (20, {}, True),  # a dish that cooks heats what it holds, unless it says otherwise
    (0, {}, False),  # a no-cook dish heats nothing
    (20, {"heated": False}, False),  # a dollop on top of a cooked stew
    (0, {"heated": True}, True),
])
def test_heated_is_read_with_its_default(cook_minutes, line, heated):
    assert parsed(cook_minutes, **line).heated is heated


@pytest.mark.parametrize("value", ["no", 0, 1, "false"])
def test_heated_must_be_true_or_false(value):
    with pytest.raises(CatalogError, match="heated must be true or false"):
        parsed(20, heated=value)


def yogurt_catalog() -> Catalog:
    yogurt = food("yogurt", "Yogurt, plain", "dairy_eggs", 907, "tub", 80, groups=("dairy",),
                  fermented=True, live_cultures=True, fermented_serving_g=170)
    dishes = [RecipeRecord(rid, rid, "Turkish", ("lunch",), 5, 20,
                           (IngredientLine("yogurt", 170, heated),), ("Cook.",))
              for rid, heated in (("baked", True), ("topped", False))]
    return Catalog({"yogurt": yogurt}, {r.id: r for r in dishes}, default_rules())


def test_live_cultures_only_from_what_the_dish_does_not_heat():
    catalog = yogurt_catalog()
    yogurt = catalog.foods["yogurt"]
    assert live_culture_servings(yogurt, 170, heated=True) == 0
    assert live_culture_servings(yogurt, 170, heated=False) == 1
    rules = default_rules()
    assert derive_recipe(catalog.recipes["baked"], catalog.foods, rules).fermented_servings == 0
    assert derive_recipe(catalog.recipes["topped"], catalog.foods, rules).fermented_servings == 1


def test_the_plan_names_the_meal_that_gives_live_cultures_and_the_checker_agrees():
    catalog = yogurt_catalog()
    meals = [meal_document(catalog, "lunch", "baked", 4),
             meal_document(catalog, "lunch", "topped", 6)]  # portion 1.5
    assert meals[0]["live_cultures"] == []
    assert meals[1]["live_cultures"] == [
        {"food_id": "yogurt", "name": "Yogurt, plain", "servings": 1.5}]
    assert [i["heated"] for m in meals for i in m["ingredients"]] == [True, False]
    assert day_totals(catalog, meals)["fermented_servings"] == 1.5
    facts = plan_facts([{"day": 1, "meals": meals}], catalog)
    assert facts.totals[1]["fermented_servings"] == pytest.approx(1.5)
