"""The food and recipe database as tests: counts, links, plausibility, coverage, allergens."""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from mealplanner.catalog.files import read_csv
from mealplanner.paths import foods_dir
from mealplanner.rules import MEALS

ENERGY_RANGES = {  # kcal per serving a person would recognise for the meal
    "breakfast": (200, 750),
    "lunch": (300, 1000),
    "dinner": (300, 1000),
    "snack": (60, 400),
}


def test_database_size(file_catalog):
    assert len(file_catalog.foods) >= 350
    assert len(file_catalog.recipes) >= 180
    per_meal = Counter(m for r in file_catalog.recipes.values() for m in r.meal_types)
    assert per_meal["breakfast"] >= 35
    assert per_meal["lunch"] >= 50
    assert per_meal["dinner"] >= 60
    assert per_meal["snack"] >= 30


def test_every_ingredient_is_a_known_food(file_catalog):
    for recipe in file_catalog.recipes.values():
        for line in recipe.ingredients:
            assert line.food_id in file_catalog.foods, (recipe.id, line.food_id)


def test_every_food_has_five_character_ndb_no_and_sourced_price(file_catalog):
    for food in file_catalog.foods.values():
        assert len(food.ndb_no) == 5 and food.ndb_no.isdigit(), food.id
        assert food.price_per_100g_microusd > 0, food.id
        assert food.price_year == 2024
        assert "USDA ERS" in food.price_source or "US BLS" in food.price_source, food.id
        assert food.package_price_cents >= 1


def test_energy_per_serving_is_plausible_for_each_meal_type(file_catalog):
    for recipe_id, facts in file_catalog.facts.items():
        kcal = facts.nutrients["energy_kcal"]
        for meal in file_catalog.recipes[recipe_id].meal_types:
            low, high = ENERGY_RANGES[meal]
            assert low <= kcal <= high, (recipe_id, meal, kcal)


def test_recipes_cover_mediterranean_cuisines(file_catalog):
    cuisines = {r.cuisine for r in file_catalog.recipes.values()}
    for expected in ("Greek", "Italian", "Spanish", "Turkish", "Moroccan"):
        assert expected in cuisines


def _fits(facts, diet=None, free_of=()):
    if diet and diet not in facts.diets:
        return False
    return not set(free_of) & set(facts.allergens)


COMBINATIONS = {
    "vegan": ("vegan", ()),
    "vegetarian": ("vegetarian", ()),
    "strict vegetarian": ("strict_vegetarian", ()),
    "pescatarian": ("pescatarian", ()),
    "gluten-free": (None, ("gluten", "wheat")),
    "dairy-free": (None, ("milk",)),
    "nut-free": (None, ("tree_nuts", "peanuts")),
    "vegan + nut-free": ("vegan", ("tree_nuts", "peanuts")),
    "gluten-free + dairy-free": (None, ("gluten", "wheat", "milk")),
}


@pytest.mark.parametrize("combination", COMBINATIONS)
@pytest.mark.parametrize("meal", MEALS)
def test_each_diet_combination_keeps_eight_dishes_per_meal(file_catalog, combination, meal):
    diet, free_of = COMBINATIONS[combination]
    count = sum(
        1
        for rid, facts in file_catalog.facts.items()
        if meal in file_catalog.recipes[rid].meal_types and _fits(facts, diet, free_of)
    )
    assert count >= 8, f"{combination} {meal}: {count}"


@pytest.mark.parametrize(
    "food_id, allergens",
    [
        ("soy_sauce", {"soy", "wheat", "gluten"}),
        ("miso", {"soy", "gluten"}),  # barley koji (mugi, awase miso)
        ("curry_powder", {"mustard"}),
        ("pesto", {"tree_nuts", "milk"}),
        ("tahini", {"sesame"}),
        ("hummus", {"sesame"}),
        ("couscous_cooked", {"wheat", "gluten"}),
        ("bulgur_cooked", {"wheat", "gluten"}),
        ("farro_cooked", {"wheat", "gluten"}),
        ("kimchi", {"fish", "crustaceans"}),
        ("celery", {"celery"}),
        ("oats_rolled", {"gluten"}),
    ],
)
def test_hidden_allergens_are_tagged(file_catalog, food_id, allergens):
    assert allergens <= set(file_catalog.foods[food_id].allergens)


def test_animal_foods_carry_animal_groups(file_catalog):
    animal_words = {"chicken", "beef", "lamb", "pork", "salmon", "tuna", "anchovies", "shrimp",
                    "eggs", "yogurt", "cheese", "feta", "kefir", "parmesan", "cod"}
    for food in file_catalog.foods.values():
        if food.id.startswith(("soy_", "almond_", "rice_", "peanut_")):
            continue
        if animal_words & set(food.id.split("_")):
            assert file_catalog.rules.diets["vegan"].excludes_groups & set(food.groups), food.id


def test_derived_facts_follow_the_ingredients(file_catalog):
    """A recipe's allergens and diets are the union of its ingredients' tags, nothing else."""
    rules = file_catalog.rules
    for recipe in file_catalog.recipes.values():
        facts = file_catalog.facts[recipe.id]
        foods = [file_catalog.foods[line.food_id] for line in recipe.ingredients]
        assert set(facts.allergens) == {a for f in foods for a in f.allergens}
        groups = {g for f in foods for g in f.groups}
        assert facts.diets == tuple(rules.diets_for_groups(groups))
        grams = sum(line.grams for line in recipe.ingredients)
        fiber = sum((f.nutrients.fiber_mg or 0) * line.grams / 100_000
                    for f, line in zip(foods, recipe.ingredients, strict=True))
        assert facts.nutrients["fiber_g"] == pytest.approx(fiber, abs=1e-3)
        unknown_fiber = sorted(f.id for f in foods if f.nutrients.fiber_mg is None)
        assert facts.unknown.get("fiber_g", ()) == tuple(unknown_fiber)
        assert ("fiber_g" in facts.lower_bound) == bool(unknown_fiber)
        assert grams > 0


def test_fermented_and_prebiotic_figures_carry_sources(file_catalog):
    sources = (foods_dir() / "SOURCES.md").read_text(encoding="utf-8")
    for food in file_catalog.foods.values():
        if food.prebiotic_mg_per_100g:
            assert f"`{food.prebiotic_source}`" in sources, food.id
        if food.fermented:
            assert f"`{food.fermented_source}`" in sources, food.id
    live = {f.id for f in file_catalog.foods.values() if f.live_cultures}
    assert {"kefir", "yogurt_greek_plain", "sauerkraut", "kimchi_vegan", "miso"} <= live
    assert not live & {"tempeh", "sauerkraut_canned"}  # pasteurised or heat-treated (ISAPP)
    assert "sourdough_bread" not in live  # baking kills the culture (ISAPP)
    assert file_catalog.foods["garlic"].prebiotic_mg_per_100g == 12_500


def test_price_links_cover_every_food_once():
    rows = [row for _line, row in read_csv(foods_dir() / "price_links.csv", ("food_id",))]
    ids = Counter(row["food_id"] for row in rows)
    assert all(n == 1 for n in ids.values())
    ingredient_ids = set()
    for path in (foods_dir() / "ingredients").glob("*.csv"):
        with open(path, encoding="utf-8", newline="") as handle:
            ingredient_ids |= {row["id"] for row in csv.DictReader(handle)}
    assert set(ids) == ingredient_ids


def test_dishes_people_cook_on_a_budget(file_catalog):
    """Enough cheap dishes (cost per serving from today's prices) for a tight weekly budget."""
    costs = {rid: facts.cost_usd for rid, facts in file_catalog.facts.items()}
    assert sum(1 for cost in costs.values() if cost < 1.50) >= 40
    under_two = Counter(
        meal
        for rid, cost in costs.items()
        if cost < 2.00
        for meal in file_catalog.recipes[rid].meal_types
    )
    for meal, least in {"breakfast": 15, "lunch": 30, "dinner": 30, "snack": 30}.items():
        assert under_two[meal] >= least, (meal, under_two[meal])
