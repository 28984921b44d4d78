"""Live cultures as eaten: only fermented foods that keep live microbes (fermented.csv) and that
the dish does not heat count as live-culture servings (ISAPP 2021). The figures are recomputed
here from the recipe files and fermented.csv themselves, not from the catalog code."""

from __future__ import annotations

import csv
import tomllib

import pytest

from mealplanner.paths import foods_dir

TOP_NINE = {"milk", "egg", "fish", "crustaceans", "tree_nuts", "peanuts", "wheat", "soy",
            "sesame"}
ANIMAL_GROUPS = {"fish", "shellfish", "red_meat", "processed_meat", "poultry", "egg", "dairy",
                 "fermented_dairy", "cheese", "honey"}


def _fermented() -> dict[str, dict]:
    with open(foods_dir() / "fermented.csv", encoding="utf-8", newline="") as handle:
        return {row["food_id"]: row for row in csv.DictReader(handle)}


def _live() -> dict[str, float]:
    """Grams of one live-culture serving, for the foods that keep live cultures."""
    return {food: float(row["serving_g"]) for food, row in _fermented().items()
            if row["live_cultures"] == "yes"}


def _ingredients() -> dict[str, dict]:
    rows = {}
    for path in sorted((foods_dir() / "ingredients").glob("*.csv")):
        with open(path, encoding="utf-8", newline="") as handle:
            rows |= {row["id"]: row for row in csv.DictReader(handle)}
    return rows


def _recipes() -> list[dict]:
    recipes = []
    for path in sorted((foods_dir() / "recipes").glob("*.toml")):
        with open(path, "rb") as handle:
            recipes += tomllib.load(handle)["recipe"]
    return recipes


def _heated(recipe: dict, item: dict) -> bool:
    """As the files say: an explicit flag, else heated in a dish that cooks."""
    return item.get("heated", recipe["cook_minutes"] > 0)


def _servings(recipe: dict, live: dict[str, float]) -> float:
    return sum(item["grams"] / live[item["food"]] for item in recipe["ingredients"]
               if item["food"] in live and not _heated(recipe, item))


def _split(text: str) -> set[str]:
    return {part for part in text.split(";") if part}


def test_every_live_culture_line_of_a_cooked_dish_says_whether_it_is_heated():
    live = _live()
    unlabelled = [(recipe["id"], item["food"]) for recipe in _recipes()
                  if recipe["cook_minutes"] > 0
                  for item in recipe["ingredients"]
                  if item["food"] in live and "heated" not in item]
    assert unlabelled == []


def test_no_live_culture_serving_comes_from_a_heated_ingredient(file_catalog):
    live = _live()
    for recipe in _recipes():
        expected = _servings(recipe, live)
        facts = file_catalog.facts[recipe["id"]]
        # the catalog keeps three decimals
        assert facts.fermented_servings == pytest.approx(expected, abs=1e-3), recipe["id"]


def test_tempeh_and_shelf_stable_sauerkraut_are_not_live_culture_servings(file_catalog):
    fermented = _fermented()
    for food in ("tempeh", "sauerkraut_canned"):
        assert fermented[food]["live_cultures"] == "no", food
        assert not file_catalog.foods[food].live_cultures, food
        assert fermented[food]["source"] == "isapp_2021", food
    assert fermented["sauerkraut"]["live_cultures"] == "yes"
    live = _live()
    for recipe in _recipes():
        without = {f: g for f, g in live.items() if f != "tempeh"}
        assert _servings(recipe, live) == _servings(recipe, without), recipe["id"]


def test_cooked_sauerkraut_is_the_shelf_stable_kind_and_raw_sauerkraut_the_live_kind():
    for recipe in _recipes():
        for item in recipe["ingredients"]:
            if item["food"] == "sauerkraut":
                assert not _heated(recipe, item), recipe["id"]
            if item["food"] == "sauerkraut_canned":
                assert _heated(recipe, item), recipe["id"]


def test_vegan_and_top_nine_free_households_have_live_culture_dishes():
    """Dishes with at least half a live-culture serving, unheated, that are vegan and free of
    the US top nine allergens and of gluten: enough for a week at two of each."""
    live = _live()
    foods = _ingredients()
    fitting = {}
    for recipe in _recipes():
        lines = [foods[item["food"]] for item in recipe["ingredients"]]
        allergens = set().union(*(_split(row["allergens"]) for row in lines))
        groups = set().union(*(_split(row["groups"]) for row in lines))
        if allergens & (TOP_NINE | {"gluten"}) or groups & ANIMAL_GROUPS:
            continue
        if _servings(recipe, live) >= 0.5:
            fitting[recipe["id"]] = set(recipe["meal_types"])
    assert len(fitting) >= 4, sorted(fitting)
    meals = set().union(*fitting.values())
    assert {"breakfast", "lunch", "dinner", "snack"} <= meals, sorted(fitting.items())
