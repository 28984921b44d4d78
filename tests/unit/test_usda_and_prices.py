"""The committed nutrient, measure and price files are exactly what the import code writes."""

from __future__ import annotations

import csv
import shutil

import pytest
from click.testing import CliRunner

from mealplanner.catalog.files import read_usda_foods
from mealplanner.catalog.prices import PRICE_YEAR, cpi_annual_averages, refresh_prices
from mealplanner.catalog.usda import read_sr28, refresh_usda
from mealplanner.cli import foods
from mealplanner.paths import foods_dir


@pytest.fixture()
def foods_copy(tmp_path):
    folder = tmp_path / "foods"
    shutil.copytree(foods_dir(), folder)
    return folder


def _rows(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


@pytest.mark.usda
def test_refresh_rewrites_the_committed_usda_files_byte_for_byte(usda_dir, fped_csv,
                                                                 foods_copy):
    (foods_copy / "usda" / "nutrients.csv").unlink()
    (foods_copy / "usda" / "measures.csv").unlink()
    foods_count, measures = refresh_usda(foods_copy, usda_dir, fped_csv)
    assert foods_count >= 350 and measures > foods_count
    for name in ("nutrients.csv", "measures.csv"):
        assert _rows(foods_copy / "usda" / name) == _rows(foods_dir() / "usda" / name)


@pytest.mark.usda
def test_stored_nutrients_match_sr28(usda_dir):
    stored = read_usda_foods(foods_dir() / "usda" / "nutrients.csv")
    sr28 = read_sr28(usda_dir, set(stored))
    for ndb_no, food in stored.items():
        raw = sr28[ndb_no].nutrients
        assert food.nutrients.energy_kcal == round(float(raw["energy_kcal"]))
        fiber, sodium = raw.get("fiber_g"), raw.get("sodium_mg")
        assert food.nutrients.fiber_mg == (None if fiber is None else round(float(fiber) * 1000))
        assert food.nutrients.sodium_mg == (None if sodium is None else round(float(sodium)))
        assert food.description == sr28[ndb_no].description
    garlic = stored["11215"]
    assert (garlic.nutrients.energy_kcal, garlic.nutrients.fiber_mg) == (149, 2100)


@pytest.mark.usda
def test_refresh_command_reports_unknown_ndb_numbers(usda_dir, foods_copy):
    path = foods_copy / "ingredients" / "spices.csv"
    text = path.read_text(encoding="utf-8").replace(",02047,", ",99999,", 1)
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(
        foods, ["refresh", "--usda", str(usda_dir), "--folder", str(foods_copy)]
    )
    assert result.exit_code == 1
    assert "99999" in result.output


@pytest.fixture()
def prices_dir(usda_dir):
    folder = usda_dir.parent / "prices"
    if not (folder / "pp_national_average_prices.csv").exists():
        pytest.skip("USDA ERS price files are not beside this checkout")
    return folder


@pytest.mark.usda
def test_price_refresh_rewrites_the_committed_prices(prices_dir, foods_copy):
    (foods_copy / "prices.csv").unlink()
    assert refresh_prices(foods_copy, prices_dir) >= 350
    assert _rows(foods_copy / "prices.csv") == _rows(foods_dir() / "prices.csv")
    assert (foods_copy / "prices.csv").read_bytes() == (foods_dir() / "prices.csv").read_bytes()


@pytest.mark.usda
def test_a_price_by_hand(prices_dir):
    """Garlic: ERS PP-NAP 2017/2018 per 100 g, times CPI food-at-home 2024 / mean(2017, 2018)."""
    cpi = cpi_annual_averages(prices_dir / "bls-data.csv")
    with open(prices_dir / "pp_national_average_prices.csv", encoding="cp1252") as handle:
        garlic = next(r for r in csv.DictReader(handle)
                      if r["year"] == "2017/2018" and r["food_code"] == "75111500")
    expected = float(garlic["price_100gm"]) * cpi[PRICE_YEAR] / ((cpi[2017] + cpi[2018]) / 2)
    rows = {r[0]: r for r in _rows(foods_dir() / "prices.csv")}
    assert float(rows["garlic"][1]) == pytest.approx(expected, rel=1e-5)
    assert rows["garlic"][2] == str(PRICE_YEAR)
