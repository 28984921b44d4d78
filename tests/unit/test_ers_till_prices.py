"""A package priced from a record per pound as bought costs what that many pounds cost at the
till: ERS's price per pound times the package's weight as bought, whatever share of it is
eaten (SR28 refuse, a cooked yield, the cooked grams of a dry bag, the drained grams of a can).

The ERS files and the CPI are read here on their own, not through the import code."""

from __future__ import annotations

import csv
import re
import shutil
from collections import defaultdict

import pytest

from mealplanner.catalog.files import CatalogError, read_csv
from mealplanner.catalog.prices import as_sold_shares, refresh_prices
from mealplanner.paths import foods_dir

GRAMS_PER_POUND = 453.59237
GRAMS_PER_PINT = 473.176
# a package word stating the weight as bought: `bag (454 g dry)`, `can (425 g)`
STATED = re.compile(r"\((\d+) g\b")
# price_links.csv sources priced per pound as bought over the food's own share as sold
PER_POUND_SOURCES = {"ers_fruit": "Fruit", "ers_vegetable": "Vegetable",
                     "ers_vegetable_as_bought": "Vegetable"}
# ... and those that keep ERS's yield, each with a note saying why
YIELD_SOURCES = {"ers_fruit_yield": "Fruit", "ers_vegetable_yield": "Vegetable"}


def _links():
    return {row["food_id"]: row for _line, row in
            read_csv(foods_dir() / "price_links.csv", ("food_id",))}


def _prices():
    with open(foods_dir() / "prices.csv", encoding="utf-8", newline="") as handle:
        return {row["food_id"]: row for row in csv.DictReader(handle)}


LINKS = _links()
PER_POUND = sorted(food_id for food_id, link in LINKS.items()
                   if link["source"] in PER_POUND_SOURCES and not link["factor"].strip())


@pytest.fixture(scope="module")
def prices_dir(usda_dir):
    folder = usda_dir.parent / "prices"
    if not (folder / "Vegetable-Prices-2022.csv").exists():
        pytest.skip("USDA ERS price files are not beside this checkout")
    return folder


@pytest.fixture(scope="module")
def ers(prices_dir):
    """(Fruit|Vegetable, 'Name|Form') -> the ERS row."""
    rows = {}
    for kind in ("Fruit", "Vegetable"):
        with open(prices_dir / f"{kind}-Prices-2022.csv", encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                rows[kind, f"{row[kind].strip()}|{row['Form'].strip()}"] = row
    return rows


@pytest.fixture(scope="module")
def to_2024(prices_dir):
    """CPI-U food at home (CUUR0000SAF11), annual mean 2024 over 2022."""
    months = defaultdict(list)
    with open(prices_dir / "bls-data.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["seriesID"] == "CUUR0000SAF11" and 1 <= int(row["monthNumber"]) <= 12:
                months[int(row["year"])].append(float(row["value"]))
    assert len(months[2024]) == len(months[2022]) == 12
    return sum(months[2024]) / sum(months[2022])


def _till_cents(row, grams_as_bought, to_2024):
    unit = GRAMS_PER_POUND if row["RetailPriceUnit"].strip() == "per pound" else GRAMS_PER_PINT
    return float(row["RetailPrice"]) * grams_as_bought / unit * 100 * to_2024


def _grams_as_bought(food):
    stated = STATED.search(food.package)
    return int(stated.group(1)) if stated else food.package_g


def test_the_per_pound_links_cover_fresh_frozen_canned_and_dried_records():
    assert len(PER_POUND) >= 120
    forms = {LINKS[food_id]["key"].rsplit("|", 1)[1] for food_id in PER_POUND}
    assert forms == {"Fresh", "Frozen", "Canned", "Dried"}


@pytest.mark.usda
@pytest.mark.parametrize("food_id", PER_POUND)
def test_a_package_costs_its_pounds_as_bought_at_the_ers_price(food_id, file_catalog, ers,
                                                                to_2024):
    """Raw cauliflower, kale, broccoli, okra as much as their cooked twins; a dry bag of beans
    (`bag (454 g dry)`) costs a pound of dried beans, a can of drained beans the can."""
    link, food = LINKS[food_id], file_catalog.foods[food_id]
    till = _till_cents(ers[PER_POUND_SOURCES[link["source"]], link["key"]],
                       _grams_as_bought(food), to_2024)
    assert abs(food.package_price_cents - till) <= 1, (food_id, food.package_price_cents,
                                                       round(till, 2))


def test_a_raw_cauliflower_head_costs_what_it_does_at_the_till(file_catalog):
    """ERS 2022 cauliflower heads 2.1841 USD/lb x 2.2046 lb, in 2024 dollars: 5.12, as much as
    the same head bought to be boiled (its 893 g cooked against the raw head's 390 g edible)."""
    raw, cooked = file_catalog.foods["cauliflower"], file_catalog.foods["cauliflower_cooked"]
    assert (raw.package_g, raw.package_edible_g, cooked.package_edible_g) == (1000, 390, 893)
    assert abs(raw.package_price_cents - 512) <= 1
    assert abs(raw.package_price_cents - cooked.package_price_cents) <= 1


def test_kale_and_broccoli_cost_the_same_raw_or_bought_to_cook(file_catalog):
    for raw_id in ("kale", "broccoli", "okra", "zucchini", "brussels_sprouts", "green_beans",
                   "cabbage", "asparagus", "artichoke", "butternut_squash", "potato",
                   "sweet_potato"):
        cooked_id = {"butternut_squash": "butternut_squash_baked", "potato": "potato_baked",
                     "sweet_potato": "sweet_potato_baked"}.get(raw_id, f"{raw_id}_cooked")
        raw, cooked = file_catalog.foods[raw_id], file_catalog.foods[cooked_id]
        assert LINKS[raw_id]["key"] == LINKS[cooked_id]["key"], raw_id
        assert raw.package_g == cooked.package_g, raw_id
        assert abs(raw.package_price_cents - cooked.package_price_cents) <= 1, raw_id


def test_shares_as_sold_follow_the_package():
    shares = as_sold_shares(foods_dir())
    assert shares["cauliflower"].share == pytest.approx(0.39)      # SR28 refuse 61 %
    assert shares["cauliflower_cooked"].share == pytest.approx(0.8926)  # cooking_yields.csv
    assert shares["spinach_raw"].share == 1.0                       # a bag of leaves, no stems
    assert shares["lentils_cooked"].share == pytest.approx(1135 / 454)  # bag (454 g dry)
    assert shares["kidney_beans_canned"].share == pytest.approx(240 / 425)  # can (425 g)
    assert shares["black_beans_canned"].share == 1.0                # the whole can is eaten
    assert "SR28 refuse 61 %" in shares["cauliflower"].basis
    assert "from a bag (454 g dry)" in shares["lentils_cooked"].basis


def test_only_a_cited_form_difference_keeps_erss_yield():
    """ERS's yield prices the edible pound only where the package is another form than ERS's
    pound: the ear of corn in its husk (ERS's pound is husked, SR28 11168's 45 % cob)."""
    kept = {food_id: link for food_id, link in LINKS.items() if link["source"] in YIELD_SOURCES}
    assert set(kept) == {"corn_on_the_cob"}
    for link in kept.values():
        assert link["note"].startswith("ERS's yield kept:")
        assert "husk" in link["note"]


@pytest.mark.usda
def test_the_ear_of_corn_costs_its_kernels_at_erss_edible_price(file_catalog, ers, to_2024):
    corn = file_catalog.foods["corn_on_the_cob"]
    row = ers["Vegetable", "Corn|Fresh"]
    edible = _till_cents(row, corn.package_edible_g, to_2024) / float(row["Yield"])
    assert abs(corn.package_price_cents - edible) <= 1
    # a husked ear weighing what this ear's kernels over ERS's yield weigh: about 190 g
    assert corn.package_price_cents < _till_cents(row, corn.package_g, to_2024) * 0.7


def test_a_food_converted_from_a_pound_as_bought_starts_from_its_raw_twins_edible_price(
        file_catalog):
    """Frozen onions from fresh onions: the fresh onion's price per edible 100 g (its pound
    less SR28's refuse, not ERS's yield) times the solids factor."""
    prices, checked = _prices(), 0
    for food_id, link in LINKS.items():
        if link["source"] not in PER_POUND_SOURCES or not link["factor"].strip():
            continue
        record_ndb = re.search(r"/ SR28 (\d{5}) ", link["factor_basis"]).group(1)
        [twin] = [f for f in file_catalog.foods.values() if f.ndb_no == record_ndb
                  and LINKS[f.id]["key"] == link["key"] and not LINKS[f.id]["factor"]][:1]
        expected = float(prices[twin.id]["price_per_100g_usd"]) * float(link["factor"])
        assert float(prices[food_id]["price_per_100g_usd"]) == pytest.approx(expected, rel=1e-5)
        checked += 1
    assert checked == 3  # frozen butternut, onions and red peppers


def test_a_bag_of_dry_beans_costs_a_pound_of_dried_beans_cooked_or_not(file_catalog):
    """BLS dried beans per pound: the 454 g bag of chickpeas and the 454 g bags cooked to
    1090 g of adzuki or borlotti beans cost the same."""
    dry = file_catalog.foods["chickpeas_dry"]
    assert (dry.package_g, LINKS["chickpeas_dry"]["key"]) == (454, "APU0000714233")
    for food_id in ("adzuki_beans_cooked", "borlotti_beans_cooked"):
        food = file_catalog.foods[food_id]
        assert (food.package, LINKS[food_id]["key"]) == ("bag (454 g dry)", "APU0000714233")
        assert abs(food.package_price_cents - dry.package_price_cents) <= 1, food_id


@pytest.fixture()
def foods_copy(tmp_path):
    folder = tmp_path / "foods"
    shutil.copytree(foods_dir(), folder)
    return folder


def _replace_link(folder, food_id, new_row):
    path = folder / "price_links.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith(f"{food_id},"))
    lines[index] = new_row + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    return index + 1


@pytest.mark.usda
def test_keeping_erss_yield_needs_a_note(prices_dir, foods_copy):
    line = _replace_link(foods_copy, "okra", "okra,ers_vegetable_yield,Okra|Fresh,,,,")
    with pytest.raises(CatalogError, match=f"^price_links.csv:{line}: ers_vegetable_yield "
                                           "keeps ERS's yield; its note must say why"):
        refresh_prices(foods_copy, prices_dir)


@pytest.mark.usda
def test_a_converted_pound_must_name_the_sr28_entry_of_its_record(prices_dir, foods_copy):
    line = _replace_link(foods_copy, "onions_frozen",
                         "onions_frozen,ers_vegetable,Onions|Fresh,0.736,"
                         "solids (100 - water): SR28 11287 8.01 g / FNDDS 75117020 10.89 g,,")
    with pytest.raises(CatalogError, match=f"^price_links.csv:{line}: a conversion of a price "
                                           "per pound as bought must name the SR28 entry"):
        refresh_prices(foods_copy, prices_dir)


@pytest.mark.usda
def test_the_older_as_bought_source_name_gives_the_same_price(prices_dir, foods_copy):
    _replace_link(foods_copy, "lentils_dry",
                  "lentils_dry,ers_vegetable_as_bought,Lentils|Dried,,,,dry weight as bought")
    refresh_prices(foods_copy, prices_dir)
    with open(foods_copy / "prices.csv", encoding="utf-8", newline="") as handle:
        rewritten = {row["food_id"]: row for row in csv.DictReader(handle)}
    assert rewritten["lentils_dry"] == _prices()["lentils_dry"]
