"""Prices are of the right food in the right state, or a cited conversion, or marked a proxy."""

from __future__ import annotations

import csv
import re
from collections import defaultdict

import pytest
from click.testing import CliRunner

from mealplanner.catalog.files import read_csv
from mealplanner.catalog.prices import GRAMS_PER_POUND, proxy_share
from mealplanner.cli import foods
from mealplanner.paths import foods_dir

FNDDS_NUTRIENTS = "2017-2018 FNDDS At A Glance - FNDDS Nutrient Values.csv"
BASIS = re.compile(
    r"^(protein|solids \(100 - water\)): SR28 (\d{5}) ([\d.]+) g / (SR28|FNDDS) (\d+) ([\d.]+) g$"
)


def _links():
    return [row for _line, row in read_csv(foods_dir() / "price_links.csv", ("food_id",))]


def _prices():
    with open(foods_dir() / "prices.csv", encoding="utf-8", newline="") as handle:
        return {row["food_id"]: row for row in csv.DictReader(handle)}


def _per_100g(food_id):
    return float(_prices()[food_id]["price_per_100g_usd"])


def test_every_food_has_one_link_and_the_proxy_flag_reaches_prices_csv():
    links, prices = _links(), _prices()
    assert sorted(r["food_id"] for r in links) == sorted(prices)
    for link in links:
        expected = "yes" if link["proxy"] == "yes" else "no"
        assert prices[link["food_id"]]["proxy"] == expected, link["food_id"]
        if link["proxy"] == "yes":
            assert link["note"].startswith("proxy:"), link["food_id"]


def test_proxies_are_a_small_share():
    proxied, total = proxy_share(foods_dir())
    assert total == len(_prices())
    assert proxied / total < 0.16  # 27 % before the BLS, older-cycle and conversion links


def test_no_record_is_shared_by_foods_of_different_kinds_unless_proxy_or_converted(file_catalog):
    """Foods priced from the same record, unconverted and not marked proxy, are one kind of
    food: the same food groups, and every one but the first says in its note why it fits."""
    shared = defaultdict(list)
    for link in _links():
        if link["proxy"] != "yes" and not link["factor"]:
            shared[link["source"], link["key"]].append(link)
    for record, group in shared.items():
        if len(group) < 2:
            continue
        kinds = {file_catalog.foods[link["food_id"]].groups for link in group}
        assert len(kinds) == 1, (record, [link["food_id"] for link in group])
        undocumented = [link["food_id"] for link in group if not link["note"].strip()]
        assert len(undocumented) <= 1, (record, undocumented)


def _sr28(usda_dir):
    values = defaultdict(dict)
    with open(usda_dir / "NUT_DATA.txt", encoding="latin-1") as handle:
        for line in handle:
            fields = line.split("^")
            nutrient = fields[1].strip("~")
            if nutrient in ("203", "255"):
                values[fields[0].strip("~")][nutrient] = float(fields[2])
    return values


def _fndds(folder):
    with open(folder / FNDDS_NUTRIENTS, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        header = next(reader)
        protein, water = header.index("Protein (g)"), header.index("Water\n(g)")
        return {row[0]: {"203": float(row[protein]), "255": float(row[water])} for row in reader}


@pytest.mark.usda
def test_every_conversion_factor_is_what_its_cited_usda_figures_give(usda_dir):
    fndds_dir = usda_dir.parent / "usda-fndds-2017-2018"
    if not (fndds_dir / FNDDS_NUTRIENTS).exists():
        pytest.skip("FNDDS 2017-2018 files are not beside this checkout")
    sr28, fndds = _sr28(usda_dir), _fndds(fndds_dir)
    converted = [link for link in _links() if link["factor"]]
    assert len(converted) >= 40
    for link in converted:
        match = BASIS.match(link["factor_basis"])
        assert match, link["food_id"]
        measure, food_ndb, food_g, table, record, record_g = match.groups()
        nutrient = "203" if measure == "protein" else "255"

        def grams(values, nutrient=nutrient):
            return values[nutrient] if nutrient == "203" else 100 - values[nutrient]

        assert grams(sr28[food_ndb]) == pytest.approx(float(food_g), abs=0.01)
        reference = sr28[record] if table == "SR28" else fndds[record]
        assert grams(reference) == pytest.approx(float(record_g), abs=0.01)
        if table == "FNDDS":
            assert link["key"].split("@")[0] == record, link["food_id"]
        assert float(link["factor"]) == pytest.approx(float(food_g) / float(record_g), abs=6e-4)


@pytest.mark.parametrize(("food_id", "low", "high"), [
    # USD per pound as bought, the way a shopper reads a shelf tag
    ("flour_all_purpose", 0.30, 1.50),   # BLS APU0000701111, 2021 mean 0.40 (2021 USD)
    ("salt", 0.05, 1.00),                # a 26 oz box of table salt sells near 1 USD
    ("sugar", 0.40, 1.50),
    ("bacon", 4.00, 10.00),              # BLS APU0000704111 2021 mean about 6.6
    ("beef_ground_lean_raw", 3.00, 7.00),
    ("chicken_breast_raw", 2.50, 6.50),  # cooked PP-NAP price times SR28 protein yield
    ("chickpeas_dry", 1.00, 2.50),
])
def test_shelf_prices_a_shopper_would_recognise_per_pound(food_id, low, high):
    per_pound = _per_100g(food_id) * GRAMS_PER_POUND / 100
    assert low <= per_pound <= high, (food_id, round(per_pound, 2))


def test_a_dozen_eggs_costs_what_bls_says():
    eggs = _per_100g("eggs") * 600 / 100  # 12 large eggs, 50 g edible each (SR28 01123)
    assert 1.5 <= eggs <= 4.5


@pytest.mark.parametrize("food_id", [
    "allspice", "black_pepper", "cinnamon", "cumin", "paprika", "cayenne", "turmeric",
    "garlic_powder", "onion_powder", "oregano_dried", "basil_dried", "parsley_dried",
])
def test_jarred_spices_and_dried_herbs_cost_what_a_jar_does(food_id):
    """Shelf jars run about 2 to 30 USD per 100 g (store brand to branded leaf herbs)."""
    assert 2.0 <= _per_100g(food_id) <= 30.0, food_id


def test_saffron_and_vanilla_are_dear_per_gram():
    # No shared record prices saffron; the dearest herbal-extract record (about 0.7 USD a gram)
    # is the least-bad proxy and stays marked as one. Real saffron is about 10 USD a gram.
    assert _per_100g("saffron") / 100 >= 0.5
    assert _prices()["saffron"]["proxy"] == "yes"
    assert _per_100g("vanilla_extract") >= 10.0


def test_raw_meat_is_cheaper_than_the_cooked_record_it_comes_from():
    prices = _prices()
    for link in _links():
        if link["factor_basis"].startswith("protein") and "/ FNDDS" in link["factor_basis"]:
            assert float(link["factor"]) < 1 or link["food_id"] == "split_peas_dry"
            assert "x " in prices[link["food_id"]]["source"]


@pytest.mark.usda
def test_refresh_command_reports_the_share_of_proxies(usda_dir, tmp_path):
    import shutil

    prices_dir = usda_dir.parent / "prices"
    if not (prices_dir / "pp_national_average_prices.csv").exists():
        pytest.skip("USDA ERS price files are not beside this checkout")
    folder = tmp_path / "foods"
    shutil.copytree(foods_dir(), folder)
    result = CliRunner().invoke(
        foods, ["refresh", "--prices", str(prices_dir), "--folder", str(folder)]
    )
    assert result.exit_code == 0, result.output
    proxied, total = proxy_share(foods_dir())
    assert f"{proxied} of {total}" in result.output and "proxies" in result.output


def test_the_proxy_flag_survives_the_database_and_reaches_the_export(catalog, file_catalog):
    from mealplanner.catalog.export import food_document

    for food_id, food in file_catalog.foods.items():
        assert catalog.foods[food_id].price_is_proxy == food.price_is_proxy, food_id
    assert catalog.foods["saffron"].price_is_proxy
    assert not catalog.foods["flour_all_purpose"].price_is_proxy
    assert food_document(catalog.foods["saffron"])["price_is_proxy"] is True
