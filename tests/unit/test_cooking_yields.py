"""Produce weighed cooked and bought raw (foods/cooking_yields.csv): a package holds the cooked
grams its raw weight gives, every such food cites its yield, the price of the package is what
the raw package costs, the figure reaches the planner, its checker, the purchases, the shopping
list, the database and the API."""

from __future__ import annotations

import csv
import re
import shutil
from collections import defaultdict

import pytest

from mealplanner.catalog.files import CatalogError, read_cooking_yields, read_csv, read_foods
from mealplanner.catalog.prices import (
    ERS_DATA_YEAR,
    GRAMS_PER_POUND,
    PRICE_YEAR,
    cpi_annual_averages,
)
from mealplanner.catalog.records import IngredientLine, RecipeRecord
from mealplanner.catalog.store import Catalog
from mealplanner.paths import foods_dir
from mealplanner.planner.families import packages
from mealplanner.planner.purchase import compute_purchases
from mealplanner.planner.report import meal_document
from mealplanner.planner.request import PlanRequest
from mealplanner.planner.units import QUARTERS_PER_PORTION, quarters
from mealplanner.shopping.build import build_shopping_list
from tests.unit.reseeding import after_restart

ERS = re.compile(r"^USDA ERS Vegetable Prices 2022: (.+\|Fresh), Yield ([\d.]+)$")
SR28 = re.compile(r"^SR28 (\d{5}) refuse (\d+) %, water ([\d.]+) g; "
                  r"SR28 (\d{5}) water ([\d.]+) g$")
SOLD_COOKED = re.compile(r"^sold cooked: .+")
# SR28 words for a food weighed after cooking
COOKED_WORDS = ("cooked", "boiled", "baked", "roasted", "steamed", "microwaved", "braised")
# the 27 produce foods weighed cooked and bought raw, and the four more found beside them
COOKED_PRODUCE = {
    "leek_cooked", "asparagus_cooked", "artichoke_cooked", "celeriac_cooked", "carrots_cooked",
    "parsnips_cooked", "beets_cooked", "turnip_cooked", "zucchini_cooked", "eggplant_cooked",
    "okra_cooked", "corn_on_the_cob_cooked", "green_beans_cooked", "peas_fresh_cooked",
    "fava_beans_fresh_cooked", "spinach_cooked", "chard_cooked", "kale_cooked",
    "dandelion_greens_cooked", "amaranth_greens_cooked", "beet_greens_cooked",
    "broccoli_rabe_cooked", "cabbage_cooked", "cauliflower_cooked", "broccoli_cooked",
    "brussels_sprouts_cooked", "pumpkin_cooked",
    "potato_boiled", "potato_baked", "sweet_potato_baked", "butternut_squash_baked",
}


def _rows():
    return {row["food_id"]: row for _line, row in
            read_csv(foods_dir() / "cooking_yields.csv", ("food_id",))}


def _links():
    return {row["food_id"]: row for _line, row in
            read_csv(foods_dir() / "price_links.csv", ("food_id",))}


@pytest.fixture()
def foods_copy(tmp_path):
    folder = tmp_path / "foods"
    shutil.copytree(foods_dir(), folder)
    return folder


# one package, one figure ----------------------------------------------------------------------


def test_a_cauliflower_head_holds_its_cooked_yield(file_catalog):
    """A 1000 g head gives 893 g of cooked cauliflower (ERS Cauliflower heads, yield 0.8926),
    not 1000 g: SR28's cooked entry has no refuse to take off."""
    head = file_catalog.foods["cauliflower_cooked"]
    assert (head.package_g, head.package, head.refuse_pct_as_sold) == (1000, "head", 0)
    assert head.cooked_g_per_g_as_sold == 0.8926
    assert head.package_edible_g == 893
    assert packages.edible_grams(head) == 893  # the checker's arithmetic
    spinach = file_catalog.foods["spinach_cooked"]  # a 283 g bag: 218 g boiled (ERS 0.77)
    assert (spinach.package_g, spinach.package_edible_g) == (283, 218)
    kale = file_catalog.foods["kale_cooked"]  # boiled kale takes up water (ERS 1.05)
    assert (kale.package_g, kale.package_edible_g) == (340, 357)


def test_the_planner_the_checker_and_the_purchases_read_the_same_edible_grams(file_catalog):
    foods = list(file_catalog.foods.values())
    for food in foods:
        assert packages.edible_grams(food) == food.package_edible_g, food.id
    columns = packages.purchase_columns(foods, 7, {}, use_staples=True)
    by_food = {foods[c.food].id: c for c in columns}
    assert by_food["cauliflower_cooked"].package_qg == 893 * QUARTERS_PER_PORTION
    dish = RecipeRecord("cauliflower-dish", "Cauliflower", "Greek", ("lunch",), 5, 10,
                        (IngredientLine("cauliflower_cooked", 450),), ("Boil.",))
    catalog = Catalog(dict(file_catalog.foods), {dish.id: dish}, file_catalog.rules)
    [bought] = compute_purchases([(1, dish.id, QUARTERS_PER_PORTION)], 2, {}, catalog, True, 1)
    # 900 g cooked for two: one 893 g head is not enough, as one 1000 g head once was
    assert (bought.package_edible_g, bought.packages) == (893, 2)
    assert bought.cost_cents == 2 * file_catalog.foods["cauliflower_cooked"].package_price_cents


def test_foods_without_a_cooking_yield_keep_their_refuse_as_sold(file_catalog):
    onion = file_catalog.foods["onion"]
    assert onion.cooked_g_per_g_as_sold is None
    assert onion.package_edible_g == round(onion.package_g * 0.9)
    lentils = file_catalog.foods["lentils_cooked"]  # cooked grams from a dry bag, as before
    assert lentils.cooked_g_per_g_as_sold is None
    assert lentils.package_edible_g == lentils.package_g == 1135


# every such food cites its yield -------------------------------------------------------------


def test_every_food_weighed_cooked_and_bought_raw_has_a_cited_yield(file_catalog):
    rows = _rows()
    produce = {f.id for f in file_catalog.foods.values() if f.aisle == "produce"}
    cooked_ids = {food_id for food_id in produce if food_id.endswith("_cooked")}
    assert cooked_ids <= rows.keys()
    assert len(cooked_ids) == 27
    weighed_cooked = {f.id for f in file_catalog.foods.values() if f.aisle == "produce"
                      and any(w in f.usda_description.lower() for w in COOKED_WORDS)}
    assert weighed_cooked == COOKED_PRODUCE == rows.keys()
    for food_id, row in rows.items():
        assert any(p.match(row["source"]) for p in (ERS, SR28, SOLD_COOKED)), food_id
        if SOLD_COOKED.match(row["source"]):
            assert float(row["cooked_g_per_g_as_sold"]) == 1.0, food_id
        assert row["note"].strip(), food_id


def test_no_frozen_vegetable_is_weighed_cooked(file_catalog):
    """Frozen vegetables are weighed as they come from the bag (SR28 'unprepared'): no yield."""
    frozen = [f for f in file_catalog.foods.values() if f.aisle == "frozen"]
    assert frozen
    for food in frozen:
        assert not any(w in food.usda_description.lower() for w in COOKED_WORDS), food.id
        assert food.cooked_g_per_g_as_sold is None, food.id


def test_an_sr28_yield_is_solids_kept_after_the_raw_refuse(file_catalog):
    """The raw entry cited is the raw twin's, with the refuse its package carries as sold."""
    for food_id, row in _rows().items():
        match = SR28.match(row["source"])
        if not match:
            continue
        raw, refuse, raw_water, cooked, cooked_water = match.groups()
        food = file_catalog.foods[food_id]
        assert food.ndb_no == cooked, food_id
        twins = [f for f in file_catalog.foods.values() if f.ndb_no == raw]
        assert twins, food_id
        assert all(t.refuse_pct == int(refuse) == t.refuse_pct_as_sold for t in twins), food_id
        expected = (1 - int(refuse) / 100) * (100 - float(raw_water)) / (100 - float(cooked_water))
        assert float(row["cooked_g_per_g_as_sold"]) == pytest.approx(expected, abs=5e-5), food_id


@pytest.mark.usda
def test_every_yield_is_what_its_cited_usda_figures_give(usda_dir):
    prices_dir = usda_dir.parent / "prices"
    if not (prices_dir / "Vegetable-Prices-2022.csv").exists():
        pytest.skip("USDA ERS price files are not beside this checkout")
    with open(prices_dir / "Vegetable-Prices-2022.csv", encoding="utf-8", newline="") as handle:
        ers = {f"{r['Vegetable'].strip()}|{r['Form'].strip()}": float(r["Yield"])
               for r in csv.DictReader(handle)}
    water, refuse = {}, {}
    with open(usda_dir / "NUT_DATA.txt", encoding="latin-1") as handle:
        for line in handle:
            fields = line.split("^")
            if fields[1].strip("~") == "255":
                water[fields[0].strip("~")] = float(fields[2])
    with open(usda_dir / "FOOD_DES.txt", encoding="latin-1") as handle:
        for line in handle:
            fields = line.split("^")
            refuse[fields[0].strip("~")] = int(fields[8] or 0)
    kinds = defaultdict(int)
    for food_id, row in _rows().items():
        value = float(row["cooked_g_per_g_as_sold"])
        if match := ERS.match(row["source"]):
            record, cited = match.groups()
            assert value == float(cited) == ers[record], food_id
            kinds["ers"] += 1
        elif match := SR28.match(row["source"]):
            raw, raw_refuse, raw_water, cooked, cooked_water = match.groups()
            assert refuse[raw] == int(raw_refuse), food_id
            assert water[raw] == pytest.approx(float(raw_water), abs=0.005), food_id
            assert water[cooked] == pytest.approx(float(cooked_water), abs=0.005), food_id
            kinds["sr28"] += 1
        else:
            kinds["sold cooked"] += 1
    assert dict(kinds) == {"ers": 15, "sr28": 15, "sold cooked": 1}


# prices: a package costs what the raw package costs -------------------------------------------


def test_each_cooked_food_is_priced_per_100_g_cooked():
    """An ERS yield's food is priced from the same ERS record, its pound as bought divided by
    the cooked yield its package has; the others from a cooked FNDDS record, or from the raw
    twin's record times the solids ratio its SR28 yield uses."""
    links = _links()
    with open(foods_dir() / "prices.csv", encoding="utf-8", newline="") as handle:
        priced = {row["food_id"]: row for row in csv.DictReader(handle)}
    for food_id, row in _rows().items():
        link = links[food_id]
        if match := ERS.match(row["source"]):
            assert (link["source"], link["key"], link["factor"]) == (
                "ers_vegetable", match.group(1), ""), food_id
            assert (f"per pound as bought over {float(match.group(2)):g} g cooked per g as sold "
                    "(cooking_yields.csv)") in priced[food_id]["source"], food_id
        elif link["factor"]:
            raw, _refuse, raw_water, cooked, cooked_water = SR28.match(row["source"]).groups()
            assert link["factor_basis"] == (f"solids (100 - water): SR28 {cooked} "
                                            f"{100 - float(cooked_water):g} g / SR28 {raw} "
                                            f"{100 - float(raw_water):g} g"), food_id
        else:
            assert link["source"] == "pp_nap", food_id
            fndds = priced[food_id]["source"].split(";")[0].lower()
            assert any(w in fndds for w in COOKED_WORDS), food_id


@pytest.mark.usda
def test_a_package_costs_what_the_raw_package_costs_at_the_till(usda_dir, file_catalog):
    """ERS-priced: the pound as bought (2022, brought to 2024 dollars) times the package's
    pounds; raw-record-priced: the raw twin's package from the same record."""
    prices_dir = usda_dir.parent / "prices"
    if not (prices_dir / "Vegetable-Prices-2022.csv").exists():
        pytest.skip("USDA ERS price files are not beside this checkout")
    with open(prices_dir / "Vegetable-Prices-2022.csv", encoding="utf-8", newline="") as handle:
        per_pound = {f"{r['Vegetable'].strip()}|{r['Form'].strip()}": float(r["RetailPrice"])
                     for r in csv.DictReader(handle)}
    cpi = cpi_annual_averages(prices_dir / "bls-data.csv")
    links, checked = _links(), 0
    for food_id, row in _rows().items():
        food = file_catalog.foods[food_id]
        if match := ERS.match(row["source"]):
            till = (per_pound[match.group(1)] * food.package_g / GRAMS_PER_POUND * 100
                    * cpi[PRICE_YEAR] / cpi[ERS_DATA_YEAR])
        elif links[food_id]["factor"]:
            twin = file_catalog.foods[food_id.removesuffix("_cooked")]
            assert links[twin.id]["key"] == links[food_id]["key"] and not links[twin.id]["factor"]
            assert twin.package_g == food.package_g
            till = twin.package_price_cents
        else:
            continue
        assert abs(food.package_price_cents - till) <= 1, (food_id, food.package_price_cents, till)
        checked += 1
    assert checked == 17
    cauliflower = file_catalog.foods["cauliflower_cooked"]  # 2.1841 USD/lb x 2.2046 lb
    assert 500 <= cauliflower.package_price_cents <= 525


# the shopping list, the food page, the database and the API -----------------------------------


def _plan(catalog, recipe_id, portion):
    return {"days": [{"day": 1, "meals": [meal_document(catalog, "lunch", recipe_id,
                                                        quarters(portion))]}],
            "cost": {"currency": "USD"}}


def test_the_shopping_list_says_what_a_raw_package_gives_cooked(file_catalog):
    dish = RecipeRecord("greens-plate", "Greens", "Greek", ("lunch",), 5, 10,
                        (IngredientLine("cauliflower_cooked", 450),
                         IngredientLine("beets_cooked", 100),
                         IngredientLine("lentils_cooked", 150)), ("Boil.",))
    catalog = Catalog(dict(file_catalog.foods), {dish.id: dish}, file_catalog.rules)
    shopping = build_shopping_list(PlanRequest(days=1, people=2), _plan(catalog, dish.id, 1.0),
                                   catalog)
    lines = {line.food_id: line for line in shopping.lines}
    assert lines["cauliflower_cooked"].label == "2 x 1000 g head (about 893 g cooked)"
    assert lines["cauliflower_cooked"].leftover_g == 2 * 893 - 900
    assert lines["beets_cooked"].label == "1 x 227 g pack"  # sold cooked: the pack says it
    assert lines["lentils_cooked"].label == "1 x bag (454 g dry)"
    assert shopping.total_cents == sum(line.price_cents for line in shopping.lines)


def test_a_user_folder_yield_is_checked_naming_the_file_line_and_field(foods_copy):
    path = foods_copy / "cooking_yields.csv"
    original = path.read_text(encoding="utf-8")
    rows = original.count("\n") + 1
    for value, message in (("0", "must be above 0 and at most 3, got 0"),
                           ("3.5", "must be above 0 and at most 3, got 3.5"),
                           ("half", "must be a number, got 'half'")):
        path.write_text(original + f"onion,{value},a source,a note\n", encoding="utf-8")
        with pytest.raises(CatalogError, match=f"^cooking_yields.csv:{rows}: "
                                               f"cooked_g_per_g_as_sold {message}$"):
            read_foods(foods_copy)
    path.write_text(original + "onion,0.9,,a note\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=f"cooking_yields.csv:{rows}: source must cite"):
        read_foods(foods_copy)
    path.write_text(original + "dragon_fruit,0.9,a source,\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=f"cooking_yields.csv:{rows}: food_id "
                                           "'dragon_fruit' is not an ingredient"):
        read_foods(foods_copy)
    path.write_text(original + "kale_cooked,1.0,a source,\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=f"cooking_yields.csv:{rows}: food_id 'kale_cooked' "
                                           "appears twice"):
        read_foods(foods_copy)
    path.unlink()  # a user's folder without the file: every package counts its refuse
    kale = {f.id: f for f in read_foods(foods_copy)}["kale_cooked"]
    assert kale.cooked_g_per_g_as_sold is None and kale.package_edible_g == 340
    assert read_cooking_yields(path) == {}


def test_the_database_and_the_api_keep_the_cooked_yield(catalog, file_catalog, client):
    for food_id, food in file_catalog.foods.items():
        stored = catalog.foods[food_id]
        assert stored.cooked_g_per_g_as_sold == food.cooked_g_per_g_as_sold, food_id
        assert stored.package_edible_g == food.package_edible_g, food_id
        assert stored.package_price_cents == food.package_price_cents, food_id
    document = client.get("/api/v1/foods/cauliflower_cooked").get_json()
    assert document["cooked_g_per_g_as_sold"] == 0.8926
    assert (document["package_g"], document["package_edible_g"]) == (1000, 893)
    assert client.get("/api/v1/foods/onion").get_json()["cooked_g_per_g_as_sold"] is None
    page = client.get("/foods/cauliflower_cooked").get_data(as_text=True)
    assert "One 1,000 g head, bought raw, gives about 893 g cooked, and costs about" in page


@pytest.mark.slow  # seeds the whole food database twice
def test_a_database_seeded_before_cooking_yields_is_seeded_again(tmp_path):
    """Foods stored before migration 0006 have no cooked yield: the next start reloads them."""
    [cauliflower] = after_restart(
        tmp_path, ["UPDATE food SET cooked_g_per_g_as_sold = NULL"],
        ["SELECT cooked_g_per_g_as_sold FROM food WHERE id = 'cauliflower_cooked'"])
    assert cauliflower == 0.8926
