"""The shopping list: hand-computed totals, pantry, rounding, trips, exports and the CLI."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from dataclasses import replace

import pytest

from mealplanner.catalog.files import read_foods
from mealplanner.catalog.measures import household_measure
from mealplanner.catalog.records import (
    FoodRecord,
    IngredientLine,
    Measure,
    Nutrients,
    RecipeRecord,
    Storage,
)
from mealplanner.catalog.store import Catalog
from mealplanner.catalog.tables import CatalogError
from mealplanner.paths import foods_dir
from mealplanner.planner.pipeline import make_plan
from mealplanner.planner.report import meal_document
from mealplanner.planner.request import PantryItem, PlanRequest
from mealplanner.planner.units import quarters
from mealplanner.plans.schemas import PlanRequestSchema
from mealplanner.plans.service import save_plan
from mealplanner.rules import default_rules
from mealplanner.shopping.build import ShoppingListError, build_shopping_list
from mealplanner.shopping.export import CSV_FIELDS, to_csv, to_html, to_json, to_markdown

TOMATOES = 'Tomatoes, "San Marzano" & basil, canned (Nápoles)'


def food(food_id, name, aisle, package_g, package, cents_per_100g, **extra) -> FoodRecord:
    fields = dict(
        id=food_id, name=name, ndb_no="00000", usda_description=name, groups=("vegetable",),
        allergens=(), aisle=aisle, package_g=package_g, package=package, staple=False,
        refuse_pct=0, nutrients=Nutrients(0, 0, 0, 0, 0, 0, 0, 0), prebiotic_mg_per_100g=0,
        prebiotic_source=None, fermented=False, live_cultures=False, fermented_serving_g=None,
        fermented_source=None, price_per_100g_microusd=cents_per_100g * 10_000,
        price_year=2024, price_source="test",
    )
    return FoodRecord(**{**fields, **extra})


def recipe(recipe_id, *lines) -> RecipeRecord:
    return RecipeRecord(recipe_id, recipe_id.title(), "Greek", ("breakfast", "lunch", "dinner"),
                        5, 10, tuple(IngredientLine(f, g) for f, g in lines), ("Cook.",))


@pytest.fixture(scope="module")
def tiny():
    """Package prices: lentils 200 cents (400 g), onion 270 (900 g edible of 1000 g), tomatoes
    318 (794 g), yogurt 726 (907 g), salt 74 (a staple)."""
    foods = [
        food("lentils", "Lentils, cooked", "grains_legumes", 400, "can", 50,
             groups=("legume",), prebiotic_mg_per_100g=1600),
        food("onion", "Onion", "produce", 1000, "bag", 30, refuse_pct=10,
             measures=(Measure(1, 1.0, "cup, chopped", 160.0),
                       Measure(2, 1.0, 'medium (2-1/2" dia)', 110.0))),
        food("tomatoes", TOMATOES, "canned_jars", 794, "can", 40),
        food("yogurt", "Yogurt, plain", "dairy_eggs", 907, "tub", 80, groups=("dairy",),
             fermented=True, live_cultures=True, fermented_serving_g=170),
        food("salt", "Salt", "spices", 737, "box", 10, staple=True, groups=("herb_spice",)),
    ]
    recipes = [
        recipe("soup", ("lentils", 150), ("onion", 60), ("tomatoes", 100), ("salt", 2)),
        recipe("plain", ("lentils", 400)),
        recipe("bowl", ("yogurt", 170)),
    ]
    return Catalog({f.id: f for f in foods}, {r.id: r for r in recipes}, default_rules())


def plan_doc(catalog, *days) -> dict:
    """A plan document as report.py makes it: each day a list of (slot, recipe, portion)."""
    return {
        "days": [{"day": number, "meals": [meal_document(catalog, slot, rid, quarters(p))
                                           for slot, rid, p in meals]}
                 for number, meals in enumerate(days, start=1)],
        "cost": {"currency": "USD"},
    }


TWO_DAYS = ([("lunch", "soup", 1.0)], [("dinner", "soup", 1.5)])


def by_id(lines):
    return {line.food_id: line for line in lines}


def test_hand_computed_totals(tiny):
    shopping = build_shopping_list(PlanRequest(days=2, people=2), plan_doc(tiny, *TWO_DAYS), tiny)
    lines = by_id(shopping.lines)
    # soup x 2.5 portions x 2 people: lentils 750 g, onion 300 g, tomatoes 500 g
    assert lines["lentils"].needed_g == 750
    assert (lines["lentils"].packages, lines["lentils"].price_cents) == (2, 400)
    assert lines["lentils"].label == "2 x 400 g can"
    assert lines["lentils"].leftover_g == 50
    assert (lines["onion"].packages, lines["onion"].price_cents) == (1, 270)
    assert lines["onion"].leftover_g == 600  # 900 g edible of a 1000 g bag
    assert lines["onion"].household == "3 medium onions"
    assert (lines["tomatoes"].packages, lines["tomatoes"].price_cents) == (1, 318)
    salt = lines["salt"]
    assert salt.on_hand and salt.staple and salt.price_cents == 0
    assert salt.label == "staple, assumed on hand" and salt.household is None
    assert shopping.total_cents == 400 + 270 + 318 and shopping.total == 9.88
    assert shopping.currency == "USD" and shopping.people == 2 and shopping.days == 2
    assert [a.id for a in shopping.aisles] == ["produce", "grains_legumes", "canned_jars",
                                               "spices"]
    assert [line.food_id for line in shopping.lines] == ["onion", "lentils", "tomatoes", "salt"]


def test_marks_say_why_gut_foods_are_there(tiny):
    doc = plan_doc(tiny, [("breakfast", "bowl", 1.0), ("lunch", "soup", 1.0)])
    lines = by_id(build_shopping_list(PlanRequest(days=1), doc, tiny).lines)
    assert lines["yogurt"].fermented and lines["yogurt"].live_cultures
    assert lines["yogurt"].marks == ("fermented, live cultures",)
    assert lines["lentils"].prebiotic and lines["lentils"].marks == ("prebiotic 1.6 g/100 g",)
    assert lines["onion"].marks == () and not lines["onion"].prebiotic


def test_staples_are_bought_when_not_assumed(tiny):
    request = PlanRequest(days=2, people=2, use_staples=False)
    salt = by_id(build_shopping_list(request, plan_doc(tiny, *TWO_DAYS), tiny).lines)["salt"]
    assert (salt.on_hand, salt.packages, salt.price_cents) == (False, 1, 74)


def test_pantry_larger_than_the_need_buys_nothing(tiny):
    pantry = (PantryItem("lentils", 2000), PantryItem("Onion", 1000),
              PantryItem(TOMATOES, 600))
    request = PlanRequest(days=2, people=2, pantry=pantry)
    shopping = build_shopping_list(request, plan_doc(tiny, *TWO_DAYS), tiny)
    assert shopping.total_cents == 0
    assert all(line.on_hand and line.packages == 0 for line in shopping.lines)
    lentils = by_id(shopping.lines)["lentils"]
    assert (lentils.label, lentils.note, lentils.pantry_g) == ("on hand", "use 750 g on hand", 750)
    assert lentils.household is None


def test_part_of_the_need_from_the_pantry(tiny):
    request = PlanRequest(days=2, people=2, pantry=(PantryItem("lentils", 400),))
    lentils = by_id(build_shopping_list(request, plan_doc(tiny, *TWO_DAYS), tiny).lines)["lentils"]
    assert (lentils.pantry_g, lentils.packages, lentils.price_cents) == (400, 1, 200)
    assert lentils.note == "use 400 g on hand" and lentils.leftover_g == 50


@pytest.mark.parametrize(("portion", "people", "packages", "leftover"), [
    (1.0, 1, 1, 0),  # 400 g: exactly one can
    (1.0, 2, 2, 0),  # 800 g: exactly two
    (1.25, 1, 2, 300),  # 500 g: one gram over a can means a second one
    (0.5, 1, 1, 200),  # a small eater's half portion
    (0.75, 1, 1, 100),
    (1.5, 3, 5, 200),  # 1800 g
    (2.0, 1, 2, 0),  # a large eater's double portion: two cans
])
def test_package_rounding(tiny, portion, people, packages, leftover):
    doc = plan_doc(tiny, [("lunch", "plain", portion)])
    lentils = build_shopping_list(PlanRequest(days=1, people=people), doc, tiny).lines[0]
    assert (lentils.packages, lentils.leftover_g) == (packages, leftover)
    assert lentils.price_cents == 200 * packages


def test_four_people_multiply_the_grams(tiny):
    doc = plan_doc(tiny, [("lunch", "soup", 1.0)])
    one = by_id(build_shopping_list(PlanRequest(days=1, people=1), doc, tiny).lines)
    four = build_shopping_list(PlanRequest(days=1, people=4), doc, tiny)
    lines = by_id(four.lines)
    for food_id in ("lentils", "onion", "tomatoes"):
        assert lines[food_id].needed_g == 4 * one[food_id].needed_g
    assert lines["lentils"].needed_g == 600 and lines["lentils"].packages == 2
    assert four.people == 4 and four.total_cents == 400 + 270 + 318


def test_food_that_keeps_is_bought_on_one_trip(tiny):
    doc = plan_doc(tiny, *[[("lunch", "soup", 1.0)]] * 7)
    shopping = build_shopping_list(PlanRequest(days=7), doc, tiny)
    assert [(t.first_day, t.last_day) for t in shopping.trips] == [(1, 7)]
    assert shopping.trips[0].lines == shopping.lines
    assert shopping.trips_total_cents == shopping.total_cents


@pytest.mark.parametrize("trips", [0, 2])
def test_trips_other_than_the_plans_are_refused(tiny, trips):
    with pytest.raises(ShoppingListError, match=r"bought in 1 trip \(day 1\)"):
        build_shopping_list(PlanRequest(days=2), plan_doc(tiny, *TWO_DAYS), tiny, trips=trips)


def fresh_catalog(tiny):
    """The tiny catalog with yogurt that keeps 3 days in the fridge."""
    yogurt = replace(tiny.foods["yogurt"], storage=Storage("fridge", 3, 3, None, "test"))
    return Catalog({**tiny.foods, "yogurt": yogurt}, tiny.recipes, tiny.rules)


FRESH_WEEK = [[("breakfast", "bowl", 1.0), ("lunch", "soup", 1.0)]] * 5


def test_a_recipe_gone_from_the_database_is_named(tiny):
    doc = plan_doc(tiny, *TWO_DAYS)
    doc["days"][1]["meals"][0]["recipe_id"] = "vanished"
    with pytest.raises(ShoppingListError, match="vanished"):
        build_shopping_list(PlanRequest(days=2), doc, tiny)


def parse_csv(text: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    assert tuple(reader.fieldnames) == CSV_FIELDS
    return list(reader)


def test_csv_round_trips_names_and_numbers(tiny):
    request = PlanRequest(days=2, people=2, pantry=(PantryItem("lentils", 400),))
    shopping = build_shopping_list(request, plan_doc(tiny, *TWO_DAYS), tiny)
    text = to_csv(shopping)
    text.encode("utf-8")
    assert text.count("\r\n") == len(shopping.lines) + 1 and text.endswith("\r\n")
    assert '"Tomatoes, ""San Marzano"" & basil, canned (Nápoles)"' in text
    rows = parse_csv(text)
    assert [row["name"] for row in rows] == [line.name for line in shopping.lines]
    for row, line in zip(rows, shopping.lines, strict=True):
        assert float(row["needed_g"]) == line.needed_g
        assert float(row["leftover_g"]) == line.leftover_g
        assert int(row["packages"]) == line.packages and int(row["pantry_g"]) == line.pantry_g
        assert round(float(row["price"]) * 100) == line.price_cents
        assert re.fullmatch(r"\d+\.\d\d", row["price"])
        assert row["on_hand"] == ("yes" if line.on_hand else "no")
        assert row["currency"] == "USD" and row["trip"] == "1" and row["days"] == "1-2"
    assert sum(round(float(row["price"]) * 100) for row in rows) == shopping.total_cents
    assert rows[0]["aisle"] == "Produce"


def test_csv_by_trip(tiny):
    catalog = fresh_catalog(tiny)
    shopping = build_shopping_list(PlanRequest(days=5), plan_doc(catalog, *FRESH_WEEK), catalog)
    rows = parse_csv(to_csv(shopping))
    assert {row["trip"] for row in rows} == {"1", "2"}
    assert {row["days"] for row in rows} == {"1-3", "4-5"}
    assert sum(round(float(r["price"]) * 100) for r in rows) == shopping.trips_total_cents


def test_markdown_checklist(tiny):
    shopping = build_shopping_list(PlanRequest(days=2, people=2), plan_doc(tiny, *TWO_DAYS), tiny)
    text = to_markdown(shopping)
    headings = [line[3:] for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["Produce", "Grains and legumes", "Canned and jars", "Spices"]
    assert ("- [ ] **Onion**: Buy 1 x 1,000 g bag — you need 300 g; $2.70; "
            "667 g left of a 1,000 g bag") in text
    assert "- [x] **Salt**: Staple, assumed on hand; $0.00" in text
    assert '**Tomatoes, "San Marzano" & basil, canned (Nápoles)**' in text
    assert "**Total: $9.88** (the plan's cost)" in text
    assert "prices in US dollars" in text and "USD" not in text


def test_markdown_escapes_formatting_characters(tiny):
    starred = food("starred", "Pickles *extra* [crunchy]", "canned_jars", 500, "jar", 60)
    catalog = Catalog({**tiny.foods, "starred": starred},
                      {"pickles": recipe("pickles", ("starred", 50))}, tiny.rules)
    text = to_markdown(build_shopping_list(
        PlanRequest(days=1), plan_doc(catalog, [("lunch", "pickles", 1.0)]), catalog))
    assert r"Pickles \*extra\* \[crunchy\]" in text


def test_markdown_and_json_by_trip(tiny):
    catalog = fresh_catalog(tiny)
    shopping = build_shopping_list(PlanRequest(days=5), plan_doc(catalog, *FRESH_WEEK), catalog)
    text = to_markdown(shopping)
    assert "## Trip 1, day 1: for days 1-3" in text and "## Trip 2, day 4: for days 4-5" in text
    assert "Bought in 2 trips (day 1, day 4)" in text
    data = to_json(shopping)
    # trip 1: onion, lentils 2 cans, tomatoes, yogurt; trip 2: yogurt again (3 days keep)
    assert [t["total_cents"] for t in data["trips"]] == [270 + 400 + 318 + 726, 726]
    assert data["trips_total_cents"] == data["total_cents"]


def test_json_schema(tiny):
    shopping = build_shopping_list(PlanRequest(days=2, people=2), plan_doc(tiny, *TWO_DAYS), tiny)
    data = json.loads(json.dumps(to_json(shopping)))
    assert data["schema"] == "mealplanner/shopping-list/1"
    assert (data["total"], data["total_cents"], data["currency"]) == (9.88, 988, "USD")
    assert [a["id"] for a in data["aisles"]] == [a.id for a in shopping.aisles]
    onion = data["lines"][0]
    assert onion == {
        "food_id": "onion", "name": "Onion", "aisle": "produce", "aisle_label": "Produce",
        "needed_g": 300.0, "pantry_g": 0, "staple": False, "on_hand": False, "packages": 1,
        "package_g": 1000, "package": "bag", "label": "1 x 1000 g bag",
        "household": "3 medium onions", "price": 2.7, "price_cents": 270, "leftover_g": 600.0,
        "fermented": False, "live_cultures": False, "prebiotic": False, "marks": [],
        "note": None, "shop_name": "Onion", "buy": "Buy 1 x 1,000 g bag — you need 300 g",
        "need": "you need 300 g", "leftover": "667 g left of a 1,000 g bag", "parts": [],
    }
    assert data["trips"][0]["lines"] == data["lines"]


def test_html_is_a_complete_printable_page(tiny):
    shopping = build_shopping_list(PlanRequest(days=2, people=2), plan_doc(tiny, *TWO_DAYS), tiny)
    page = to_html(shopping)
    assert page.lstrip().lower().startswith("<!doctype html>") and page.rstrip().endswith("</html>")
    assert "@page" in page and "@media print" in page
    assert page.count('type="checkbox"') == len(shopping.lines)
    assert page.count(" checked") == 1  # the salt, a staple on hand
    assert "<script" not in page.lower()
    assert not re.search(r"(src|href)=|@import|url\(", page)
    assert "Tomatoes, &#34;San Marzano&#34; &amp; basil, canned (Nápoles)" in page
    assert "$9.88" in page and "Produce" in page and "USD" not in page
    assert "Buy 2 x 400 g can — you need 750 g" in page


# A list a person can use in a shop ----------------------------------------------------------

def test_a_line_says_what_to_buy_and_how_much_is_needed(tiny):
    shopping = build_shopping_list(PlanRequest(days=2, people=2), plan_doc(tiny, *TWO_DAYS), tiny)
    lines = by_id(shopping.lines)
    assert lines["lentils"].buy == "Buy 2 x 400 g can — you need 750 g"
    # 794 g can, 500 g eaten: 294 g is left, 0.37 of the can: to the nearest quarter, ¼
    assert lines["tomatoes"].leftover == "about ¼ can left"
    assert lines["onion"].leftover == "667 g left of a 1,000 g bag"  # 600 g edible, 10% refuse
    assert lines["salt"].buy == "Staple, assumed on hand" and lines["salt"].leftover is None


def test_dry_or_cooked_is_said_once(tiny):
    chickpeas = food("chickpeas", "Chickpeas, cooked", "grains_legumes", 1090,
                     "bag (454 g dry)", 30, groups=("legume",))
    catalog = Catalog({**tiny.foods, "chickpeas": chickpeas},
                      {"hummus": recipe("hummus", ("chickpeas", 430))}, tiny.rules)
    shopping = build_shopping_list(PlanRequest(days=1), plan_doc(
        catalog, [("lunch", "hummus", 1.0)]), catalog)
    line = by_id(shopping.lines)["chickpeas"]
    assert line.shop_name == "Chickpeas, dried"
    assert line.buy == "Buy 1 x 454 g bag — you need 179 g dry (about 430 g cooked)"
    assert line.leftover == "275 g dry left of a 454 g bag"
    assert line.label == "1 x bag (454 g dry)"  # the API's field, as before
    text = to_markdown(shopping)
    assert "**Chickpeas, dried**: Buy 1 x 454 g bag" in text and "cooked - " not in text


def test_parts_of_one_food_share_its_line(tiny):
    lemon = food("lemon", "Lemon", "produce", 110, "each", 100, refuse_pct=47)
    juice = food("lemon_juice", "Lemon juice, fresh", "produce", 48, "each", 50,
                 part_of="lemon")
    zest = food("lemon_zest", "Lemon zest", "produce", 6, "each", 100, part_of="lemon")
    catalog = Catalog({**tiny.foods, "lemon": lemon, "lemon_juice": juice, "lemon_zest": zest},
                      {"dressing": recipe("dressing", ("lemon_juice", 180), ("lemon_zest", 4),
                                          ("lemon", 40))}, tiny.rules)
    shopping = build_shopping_list(PlanRequest(days=1), plan_doc(
        catalog, [("lunch", "dressing", 1.0)]), catalog)
    lemons = [line for line in shopping.lines if "lemon" in line.food_id]
    assert len(lemons) == 1
    line = lemons[0]
    assert (line.food_id, line.shop_name, line.packages) == ("lemon", "Lemons", 6)
    assert line.buy == "Buy 6 lemons — for whole (1), juice (4) and zest (1)"
    assert [(p.food_id, p.packages) for p in line.parts] == [
        ("lemon", 1), ("lemon_juice", 4), ("lemon_zest", 1)]
    assert shopping.total_cents == sum(p.price_cents for p in line.parts) + sum(
        other.price_cents for other in shopping.lines if other is not line)
    assert to_json(shopping)["lines"][0]["parts"][1]["part"] == "juice"


def test_parts_come_from_the_food_data(catalog):
    assert catalog.foods["lemon_juice"].part_of == "lemon"
    assert catalog.foods["lemon_zest"].part_of == "lemon"
    assert catalog.foods["lemon"].part_of is None


def test_a_part_names_a_food_bought_whole_and_its_source(tmp_path):
    folder = tmp_path / "foods"
    shutil.copytree(foods_dir(), folder)
    path = folder / "parts.csv"
    original = path.read_text(encoding="utf-8")
    rows = original.count("\n") + 1
    for row, message in [
        ("orange_juice,dragon_fruit,squeezed", "part_of 'dragon_fruit' is not a food bought whole"),
        ("orange_juice,lemon_juice,squeezed", "part_of 'lemon_juice' is not a food bought whole"),
        ("orange_juice,orange,", "source must say how the part comes from the food"),
        ("orange_juice,orange_juice,squeezed", "part_of must be another food's id"),
    ]:
        path.write_text(original + row + "\n", encoding="utf-8")
        with pytest.raises(CatalogError, match=f"^parts.csv:{rows}: {message}"):
            read_foods(folder)


def test_household_measures_from_usda(catalog):
    foods = catalog.foods
    assert household_measure(foods["carrots"], 300, 1) == "5 medium carrots"  # from a bag
    # onions are sold loose, one piece each: 300 g is three of them
    assert household_measure(foods["onion"], 300, 3) == "3 medium onions"
    assert household_measure(foods["onion"], 100, 1) == "1 medium onion"
    assert household_measure(foods["garlic"], 12, 1) == "4 cloves garlic"
    assert household_measure(foods["lemon_juice"], 90, 2) == "2 lemons"
    assert household_measure(foods["parsley_fresh"], 20, 1) == "1 bunch parsley"
    assert household_measure(foods["cherry_tomatoes"], 170, 1) == "10 cherry tomatoes"
    # sold singly: the count follows the packages bought, whatever USDA's medium weighs
    assert household_measure(foods["pear"], 950, 5) == "5 medium pears"
    assert household_measure(foods["butternut_squash"], 500, 1) == "1 butternut squash"
    canned = household_measure(foods["tomatoes_canned"], 400, 1)
    assert canned is None or canned.startswith("about ")  # canned tomatoes are not counted
    assert household_measure(foods["olive_oil"], 1, 1) is None  # under a quarter cup


# Plans the planner makes: the list's total is the plan's cost, to the cent. -----------------

@pytest.fixture(scope="module")
def real_plans(catalog):
    schema = PlanRequestSchema()
    plain = schema.load({"days": 2, "time_limit_seconds": 3})
    first = make_plan(plain, catalog)
    assert first.ok
    used = [p["food_id"] for p in first.document["purchases"] if not p["staple_on_hand"]]
    # olive oil first: the Mediterranean olive-oil rule has every plan use it
    used.sort(key=lambda food_id: food_id != "olive_oil")
    pantry = [{"food": used[0], "grams": 5000}, {"food": catalog.foods[used[1]].name,
                                                 "grams": 100}]
    stocked = schema.load({"days": 2, "people": 3, "time_limit_seconds": 3, "pantry": pantry})
    second = make_plan(stocked, catalog)
    assert second.ok
    return [(plain, first.document), (stocked, second.document)]


@pytest.mark.parametrize("which", [0, 1])
def test_list_total_equals_plan_cost(catalog, real_plans, which):
    request, document = real_plans[which]
    shopping = build_shopping_list(request, document, catalog)
    assert shopping.total == document["cost"]["total"]
    assert shopping.total_cents == round(document["cost"]["total"] * 100)
    assert shopping.people == document["cost"]["people"]
    bought = {p["food_id"]: p["packages"] for p in document["purchases"]}
    listed = {}
    for line in shopping.lines:  # a food's parts are bought on its line (foods/parts.csv)
        listed.update({part.food_id: part.packages for part in line.parts}
                      or {line.food_id: line.packages})
    assert listed == bought
    assert (sum(line.pantry_g for line in shopping.lines)
            == sum(p["pantry_g"] for p in document["purchases"]))
    data = to_json(shopping)
    assert data["total"] == document["cost"]["total"] == document["cost"]["checkout"]
    for name in ("eaten", "carried_over", "waste"):
        assert data[name] == document["cost"][name]
    csv_cents = sum(round(float(row["price"]) * 100) for row in parse_csv(to_csv(shopping)))
    assert csv_cents == shopping.total_cents
    assert shopping.trips_total_cents == shopping.total_cents
    assert [t.first_day for t in shopping.trips] == [t["day"]
                                                     for t in document["shopping_trips"]]


def test_pantry_and_three_people_reach_the_list(catalog, real_plans):
    request, document = real_plans[1]
    shopping = build_shopping_list(request, document, catalog)
    assert request.people == 3
    assert any(line.pantry_g > 0 for line in shopping.lines)


# The CLI -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def stored_plan_id(app, real_plans):
    request, document = real_plans[1]
    with app.app_context():
        return save_plan(request, document)["id"]


def test_cli_csv(runner, stored_plan_id, real_plans):
    result = runner.invoke(args=["shopping-list", stored_plan_id, "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = parse_csv(result.stdout)
    cents = sum(round(float(row["price"]) * 100) for row in rows)
    assert cents == round(real_plans[1][1]["cost"]["total"] * 100)


@pytest.mark.parametrize(("fmt", "expected"), [
    ("md", "# Shopping list"), ("html", "<!doctype html>"), ("json", '"schema"'),
])
def test_cli_formats(runner, stored_plan_id, fmt, expected):
    result = runner.invoke(args=["shopping-list", stored_plan_id, "--format", fmt])
    assert result.exit_code == 0, result.output
    assert expected in result.stdout
    if fmt == "json":
        assert json.loads(result.stdout)["plan_id"] == stored_plan_id


def test_cli_trips(runner, stored_plan_id, real_plans):
    trips = len(real_plans[1][1]["shopping_trips"])
    result = runner.invoke(args=["shopping-list", stored_plan_id, "--format", "json",
                                 "--trips", str(trips)])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["trips"]) == trips
    other = runner.invoke(args=["shopping-list", stored_plan_id, "--trips", str(trips + 1)])
    assert other.exit_code == 2 and f"bought in {trips} trip" in other.output


def test_cli_unknown_plan(runner):
    result = runner.invoke(args=["shopping-list", "no-such-plan"])
    assert result.exit_code == 1
    assert "no plan with id 'no-such-plan'" in result.output


def test_plan_ids_never_read_as_a_command_line_option():
    """An id starting with '-' would be taken for an option by `mealplanner shopping-list`."""
    from mealplanner.plans.ownership import new_token

    tokens = [new_token() for _ in range(2000)]
    assert all(t[0].isalnum() and len(t) == 22 for t in tokens)
    assert len(set(tokens)) == len(tokens)
