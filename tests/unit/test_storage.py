"""Storage times (USDA FSIS FoodKeeper): the import, the sanity a dietitian expects, the loader,
the database round trip and the API document."""

from __future__ import annotations

import csv
import re
import shutil

import pytest
from click.testing import CliRunner

from mealplanner.catalog.files import CatalogError, read_foods, read_storage, read_usda_foods
from mealplanner.catalog.records import Storage
from mealplanner.catalog.storage import ingredient_ids, read_foodkeeper, refresh_storage
from mealplanner.cli import foods
from mealplanner.paths import foods_dir

FRESH_SEAFOOD_EXCEPT = {"smoked_salmon", "salt_cod"}  # cured: they keep for weeks
LEAFY_GREENS = {
    "lettuce_romaine", "lettuce_butterhead", "lettuce_iceberg", "lettuce_green_leaf",
    "lettuce_red_leaf", "arugula", "radicchio", "belgian_endive", "endive", "chicory_greens",
    "watercress", "lambs_lettuce", "purslane", "spinach_raw", "chard", "kale",
    "dandelion_greens", "amaranth_greens", "beet_greens", "mustard_greens", "turnip_greens",
}
SOFT_BERRIES = {"strawberries", "raspberries", "blackberries", "cherries"}
LONG_KEEPING_DRY_GOODS = {
    "lentils_dry", "lentils_red_dry", "chickpeas_dry", "split_peas_dry", "lentils_cooked",
    "chickpeas_cooked", "white_beans_cooked", "black_beans_cooked", "brown_rice_cooked",
    "rice_white_cooked", "rice_medium_grain_cooked", "wild_rice_cooked", "pasta_cooked",
    "pasta_whole_wheat_cooked", "couscous_dry", "flour_all_purpose", "flour_bread", "semolina",
    "olive_oil", "canola_oil", "sunflower_oil", "sesame_oil", "avocado_oil",
}
CULTURED_MILKS = {
    "yogurt_plain_whole", "yogurt_plain_lowfat", "yogurt_greek_plain", "yogurt_greek_lowfat",
    "yogurt_greek_nonfat", "kefir", "buttermilk", "soy_yogurt_plain",
}


@pytest.fixture()
def foods_copy(tmp_path):
    folder = tmp_path / "foods"
    shutil.copytree(foods_dir(), folder)
    return folder


def _storage(file_catalog) -> dict[str, Storage]:
    return {food_id: food.storage for food_id, food in file_catalog.foods.items()}


@pytest.mark.usda
def test_refresh_rewrites_the_committed_storage_file_byte_for_byte(foodkeeper_dir, foods_copy):
    (foods_copy / "storage_days.csv").unlink()
    linked, alternatives = refresh_storage(foods_copy, foodkeeper_dir)
    assert linked + alternatives == len(ingredient_ids(foods_dir()))
    assert linked >= 400 and alternatives <= 40
    assert (foods_copy / "storage_days.csv").read_bytes() == \
        (foods_dir() / "storage_days.csv").read_bytes()


@pytest.mark.usda
def test_refresh_command_reports_counts(foodkeeper_dir, foods_copy):
    result = CliRunner().invoke(
        foods, ["refresh", "--foodkeeper", str(foodkeeper_dir), "--folder", str(foods_copy)]
    )
    assert result.exit_code == 0, result.output
    assert "FoodKeeper: wrote storage times for" in result.output


@pytest.mark.usda
def test_a_linked_time_by_hand(foodkeeper_dir):
    """Greek yogurt: FoodKeeper 33 'Yogurt', refrigerated 1-2 weeks -> the minimum, 7 days."""
    version, products = read_foodkeeper(foodkeeper_dir)
    assert version == 121 and products[33].columns["DOP_Refrigerate"] == (1.0, 2.0, "Weeks")
    stored = read_storage(foods_dir() / "storage_days.csv")["yogurt_greek_plain"]
    assert stored == Storage("fridge", 7, 7, 33, 'USDA FSIS FoodKeeper v121, product 33 '
                             '"Yogurt", DOP_Refrigerate 1-2 Weeks; once opened: the same')
    beans = read_storage(foods_dir() / "storage_days.csv")["chickpeas_canned"]
    assert (beans.keeps_days, beans.opened_days) == (2 * 365, 3)  # 2-5 Years; opened 3-4 Days


@pytest.mark.usda
def test_alternatives_cite_real_foodkeeper_products(foodkeeper_dir):
    """Every 'product N "name"' in an alternative's source names that very product (its name
    may be cut short or elided with '...')."""
    _version, products = read_foodkeeper(foodkeeper_dir)
    with open(foods_dir() / "storage_alternatives.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        cited = re.findall(r'product (\d+) "([^"]+)"', row["source"])
        assert cited, row["food_id"]
        for number, name in cited:
            pattern = re.escape(name).replace(re.escape("..."), ".*")
            assert re.match(pattern, products[int(number)].name), (row["food_id"], number)


@pytest.mark.usda
def test_a_column_without_a_number_is_an_error_naming_food_and_column(foodkeeper_dir,
                                                                      foods_copy):
    path = foods_copy / "storage.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = [("tomato,306,pantry,Pantry,Pantry,counter" if line.startswith("tomato,") else line)
             for line in lines]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    alternatives = foods_copy / "storage_alternatives.csv"
    lines = alternatives.read_text(encoding="utf-8").splitlines()
    alternatives.write_text("\n".join(ln for ln in lines if not ln.startswith("tomato,")) + "\n",
                            encoding="utf-8")
    with pytest.raises(CatalogError, match=r"tomato.*306.*Pantry.*When Ripe"):
        refresh_storage(foods_copy, foodkeeper_dir)


@pytest.mark.usda
def test_a_food_without_a_link_is_an_error(foodkeeper_dir, foods_copy):
    path = foods_copy / "storage.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(ln for ln in lines if not ln.startswith("garlic,")) + "\n",
                    encoding="utf-8")
    with pytest.raises(CatalogError, match="no storage link for garlic"):
        refresh_storage(foods_copy, foodkeeper_dir)


def test_every_food_has_storage_and_one_link(file_catalog):
    ids = ingredient_ids(foods_dir())
    with open(foods_dir() / "storage.csv", encoding="utf-8", newline="") as handle:
        links = [row["food_id"] for row in csv.DictReader(handle)]
    assert sorted(links) == sorted(ids) and len(set(links)) == len(links)
    for food in file_catalog.foods.values():
        assert food.storage is not None, food.id
        assert food.storage.place in ("pantry", "fridge", "freezer")
        assert food.storage.keeps_days >= 1 and food.storage.opened_days >= 1
        assert food.storage.source.startswith("USDA FSIS FoodKeeper v121"), food.id
        assert food.keeps_after_opening_days == min(food.storage.keeps_days,
                                                    food.storage.opened_days)


def test_fresh_fish_and_shellfish_keep_two_days_at_most_in_the_fridge(file_catalog):
    seafood = [f for f in file_catalog.foods.values()
               if f.aisle == "fish" and f.id not in FRESH_SEAFOOD_EXCEPT]
    assert len(seafood) >= 20
    for food in seafood:
        assert food.storage.place == "fridge" and food.storage.keeps_days <= 2, food.id


def test_fresh_meat_is_in_the_fridge_for_days(file_catalog):
    for food in file_catalog.foods.values():
        if food.aisle == "meat" and "processed_meat" not in food.groups:
            assert food.storage.place == "fridge" and food.storage.keeps_days <= 5, food.id


def test_leafy_greens_and_soft_berries_keep_a_week_at_most(file_catalog):
    storage = _storage(file_catalog)
    for food_id in LEAFY_GREENS | SOFT_BERRIES:
        assert storage[food_id].place == "fridge", food_id
        assert storage[food_id].keeps_days <= 7, food_id
    # FoodKeeper 254 gives blueberries longer than the other berries: 10 days.
    assert storage["blueberries"].keeps_days == 10


def test_dry_goods_and_oils_keep_half_a_year_in_the_pantry(file_catalog):
    storage = _storage(file_catalog)
    for food_id in LONG_KEEPING_DRY_GOODS:
        assert storage[food_id].place == "pantry", food_id
        assert storage[food_id].keeps_days >= 180, food_id
    # Whole-grain flour keeps less: FoodKeeper 223 gives 3-6 months.
    assert storage["flour_whole_wheat"].keeps_days == 90


def test_frozen_foods_are_in_the_freezer_and_canned_goods_in_the_pantry(file_catalog):
    for food in file_catalog.foods.values():
        if food.aisle == "frozen":
            assert food.storage.place == "freezer", food.id
            assert food.storage.keeps_days >= 90, food.id
        elif food.storage.place == "freezer":
            pytest.fail(f"{food.id} is kept frozen but not bought frozen")
        if food.package.startswith("can"):
            assert food.storage.place == "pantry", food.id


def test_dairy_and_cultured_milks_are_in_the_fridge(file_catalog):
    storage = _storage(file_catalog)
    for food_id in CULTURED_MILKS:
        assert storage[food_id].place == "fridge" and storage[food_id].keeps_days <= 14
    for food in file_catalog.foods.values():
        # a dairy food (not one that only contains milk, like naan or chocolate chips)
        if "dairy" in food.groups and food.aisle == "dairy_eggs":
            assert food.storage.place == "fridge", food.id


def test_a_packaged_food_missing_from_storage_days_is_an_error(foods_copy):
    path = foods_copy / "storage_days.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(ln for ln in lines if not ln.startswith("garlic,")) + "\n",
                    encoding="utf-8")
    with pytest.raises(CatalogError, match="'garlic' has no storage time"):
        read_foods(foods_copy, storage_required=True)
    path.unlink()
    with pytest.raises(CatalogError, match="storage_days.csv: not found"):
        read_foods(foods_copy, storage_required=True)


def _user_folder(tmp_path, with_storage: bool):
    folder = tmp_path / "mine"
    (folder / "ingredients").mkdir(parents=True)
    (folder / "ingredients" / "mine.csv").write_text(
        "id,name,ndb_no,groups,allergens,aisle,package_g,package,staple\n"
        "purple_garlic,Purple garlic,11215,vegetable;herb_spice,,produce,60,head,\n",
        encoding="utf-8")
    (folder / "prices.csv").write_text(
        "food_id,price_per_100g_usd,price_year,source,source_year,cpi_factor\n"
        "purple_garlic,1.50,2024,Farmers market receipt 2024,2024,1\n", encoding="utf-8")
    if with_storage:
        (folder / "storage_days.csv").write_text(
            "food_id,place,keeps_days,opened_days,foodkeeper_id,source\n"
            'purple_garlic,pantry,30,30,285,"USDA FSIS FoodKeeper v121, product 285 Garlic"\n',
            encoding="utf-8")
    return folder


def test_a_users_folder_may_bring_its_own_storage_file_or_none(tmp_path):
    usda = read_usda_foods(foods_dir() / "usda" / "nutrients.csv")
    without = read_foods(_user_folder(tmp_path / "a", False), usda=usda)
    assert without[0].storage is None and without[0].keeps_after_opening_days is None
    own = read_foods(_user_folder(tmp_path / "b", True), usda=usda)
    assert own[0].storage == Storage("pantry", 30, 30, 285,
                                     "USDA FSIS FoodKeeper v121, product 285 Garlic")


def test_the_database_keeps_storage(catalog, file_catalog):
    assert set(catalog.foods) == set(file_catalog.foods)
    for food_id, food in file_catalog.foods.items():
        assert catalog.foods[food_id].storage == food.storage, food_id


def test_the_food_document_shows_storage(client, file_catalog):
    document = client.get("/api/v1/foods/salmon_raw").get_json()
    storage = file_catalog.foods["salmon_raw"].storage
    assert document["storage"] == {
        "place": "fridge", "keeps_days": 1, "opened_days": 1, "foodkeeper_id": 146,
        "source": storage.source,
    }
    listed = client.get("/api/v1/foods?q=natto").get_json()
    assert listed[0]["storage"]["foodkeeper_id"] is None
    assert "storage_alternatives" not in listed[0]["storage"]["source"]
