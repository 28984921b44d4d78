"""Packages as sold (foods/pack_yields.csv): shelled nuts and ready-to-eat bags hold their
weight, whole produce loses its peel, every SR28 refuse has a decision, and the figure survives
the loader's checks, the database and the API."""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest

from mealplanner.catalog.files import CatalogError, read_foods, read_pack_yields
from mealplanner.paths import foods_dir
from tests.unit.reseeding import after_restart

SHELLED = ("almonds", "walnuts", "hazelnuts", "pistachios", "pine_nuts", "pecans",
           "brazil_nuts", "macadamia_nuts", "chestnuts_roasted", "pumpkin_seeds",
           "sunflower_seeds")
READY_TO_EAT_BAGS = ("spinach_raw", "arugula")
SOLD_WHOLE = ("onion", "banana", "butternut_squash", "chicken_whole_raw", "lamb_leg_raw",
              "eggs", "lemon", "pineapple")


@pytest.fixture()
def foods_copy(tmp_path):
    folder = tmp_path / "foods"
    shutil.copytree(foods_dir(), folder)
    return folder


def _price_of(grams: float, food) -> float:
    """Cents for `grams` edible at the food's price per 100 g."""
    return food.price_per_100g_microusd * grams / 100 / 10_000


def test_a_shelled_nut_package_holds_its_weight(file_catalog):
    walnuts = file_catalog.foods["walnuts"]
    assert walnuts.package_g == 454 and walnuts.refuse_pct == 55  # SR28's shell, kept
    assert walnuts.refuse_pct_as_sold == 0
    assert walnuts.package_edible_g == 454
    assert walnuts.package_price_cents == round(_price_of(454, walnuts))
    for food_id in SHELLED:
        nuts = file_catalog.foods[food_id]
        assert nuts.refuse_pct > 0 and nuts.package_edible_g == nuts.package_g, food_id


@pytest.mark.parametrize("food_id", READY_TO_EAT_BAGS)
def test_a_ready_to_eat_bag_holds_its_weight(file_catalog, food_id):
    leaves = file_catalog.foods[food_id]
    assert leaves.refuse_pct > 0 and leaves.refuse_pct_as_sold == 0
    assert leaves.package_edible_g == leaves.package_g
    assert leaves.package_price_cents == round(_price_of(leaves.package_g, leaves))


def test_a_whole_onion_still_loses_its_peel(file_catalog):
    onion = file_catalog.foods["onion"]
    assert onion.refuse_pct == onion.refuse_pct_as_sold == 10
    assert onion.package_edible_g == round(onion.package_g * 0.9) < onion.package_g
    for food_id in SOLD_WHOLE:
        food = file_catalog.foods[food_id]
        assert food.refuse_pct_as_sold == food.refuse_pct > 0, food_id
        assert food.package_edible_g < food.package_g, food_id


def test_every_sr28_refuse_has_a_decision_with_its_reason(file_catalog):
    decided = read_pack_yields(foods_dir() / "pack_yields.csv")
    with_refuse = {f.id for f in file_catalog.foods.values() if f.refuse_pct > 0}
    assert with_refuse - decided.keys() == set()
    for food in file_catalog.foods.values():
        if food.id not in decided:
            assert food.refuse_pct_as_sold == food.refuse_pct == 0, food.id
        else:
            assert food.refuse_pct_as_sold == decided[food.id][1], food.id


def test_a_record_without_an_as_sold_refuse_uses_sr28s(file_catalog):
    onion = file_catalog.foods["onion"]
    fresh = replace(onion, refuse_pct=20, refuse_pct_as_sold=None)
    assert fresh.refuse_pct_as_sold == 20
    assert fresh.package_edible_g == round(onion.package_g * 0.8)


@pytest.mark.parametrize(("value", "message"), [
    ("100", "refuse_pct_as_sold must be 0 to 99, got 100"),
    ("-1", "refuse_pct_as_sold must be at least 0, got -1"),
    ("half", "refuse_pct_as_sold must be a whole number, got 'half'"),
])
def test_a_refuse_outside_0_to_99_names_the_file_line_and_field(foods_copy, value, message):
    path = foods_copy / "pack_yields.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    food_id = lines[1].split(",")[0]
    lines[1] = f"{food_id},{value},a reason\n"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(CatalogError, match=f"^pack_yields.csv:2: {message}$"):
        read_foods(foods_copy)


def test_every_row_names_a_known_food_and_gives_a_reason(foods_copy):
    path = foods_copy / "pack_yields.csv"
    original = path.read_text(encoding="utf-8")
    path.write_text(original + "dragon_fruit,0,sold peeled\n", encoding="utf-8")
    rows = original.count("\n") + 1
    with pytest.raises(CatalogError, match=f"pack_yields.csv:{rows}: food_id 'dragon_fruit' "
                                           "is not an ingredient"):
        read_foods(foods_copy)
    path.write_text(original + "onion,10,\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=f"pack_yields.csv:{rows}: food_id 'onion' "
                                           "appears twice"):
        read_foods(foods_copy)
    path.write_text(original.replace(
        "walnuts,0,sold shelled: SR28 refuse is the shell", "walnuts,0, "), encoding="utf-8")
    with pytest.raises(CatalogError, match=r"pack_yields.csv:\d+: reason must say why"):
        read_foods(foods_copy)


def test_the_database_round_trip_keeps_the_as_sold_refuse(catalog, file_catalog):
    for food_id in ("walnuts", "spinach_raw", "onion", "prosciutto"):
        stored, filed = catalog.foods[food_id], file_catalog.foods[food_id]
        assert stored.refuse_pct == filed.refuse_pct, food_id
        assert stored.refuse_pct_as_sold == filed.refuse_pct_as_sold, food_id
        assert stored.package_edible_g == filed.package_edible_g, food_id
        assert stored.package_price_cents == filed.package_price_cents, food_id


def test_the_food_document_shows_the_package_as_sold(client, catalog):
    walnuts = client.get("/api/v1/foods/walnuts").get_json()
    assert walnuts["refuse_pct"] == 55 and walnuts["refuse_pct_as_sold"] == 0
    assert walnuts["package_g"] == walnuts["package_edible_g"] == 454
    assert walnuts["package_price"] == catalog.foods["walnuts"].package_price_cents / 100
    onion = client.get("/api/v1/foods/onion").get_json()
    assert onion["refuse_pct"] == onion["refuse_pct_as_sold"] == 10
    assert onion["package_edible_g"] == round(onion["package_g"] * 0.9)


@pytest.mark.slow  # seeds the whole food database twice
def test_a_database_seeded_before_as_sold_refuse_is_seeded_again(tmp_path):
    """Foods stored before migration 0004 have no as-sold refuse: the next start reloads them."""
    walnuts, missing = after_restart(
        tmp_path, ["UPDATE food SET refuse_pct_as_sold = NULL"],
        ["SELECT refuse_pct_as_sold FROM food WHERE id = 'walnuts'",
         "SELECT count(*) FROM food WHERE refuse_pct_as_sold IS NULL"])
    assert walnuts == 0 and missing == 0
