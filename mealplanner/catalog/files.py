"""Read a foods folder (the format in foods/README.md) into typed records, validating as it goes.

The same reader loads the packaged database and a user's own foods and recipes; every error
names the file, the row and the field, and lists the allowed values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from mealplanner.catalog.records import MG_PER_G, FoodRecord, Storage
from mealplanner.catalog.tables import CatalogError, read_csv, whole_number
from mealplanner.catalog.usda_table import UsdaFood, read_measures, read_usda_foods
from mealplanner.rules import Rules, default_rules

INGREDIENT_COLUMNS = (
    "id", "name", "ndb_no", "groups", "allergens", "aisle", "package_g", "package", "staple",
)
PRICE_COLUMNS = (
    "food_id", "price_per_100g_usd", "price_year", "source", "source_year", "cpi_factor", "proxy",
)
# A user's prices.csv may leave out `proxy` (its prices then count as the food's own).
PRICE_REQUIRED_COLUMNS = PRICE_COLUMNS[:-1]
STORAGE_COLUMNS = ("food_id", "place", "keeps_days", "opened_days", "foodkeeper_id", "source")
STORAGE_PLACES = ("pantry", "fridge", "freezer")
PACK_YIELD_COLUMNS = ("food_id", "refuse_pct_as_sold", "reason")
MAX_REFUSE_PCT = 99  # a package that is all refuse has nothing to eat
COOKING_YIELD_COLUMNS = ("food_id", "cooked_g_per_g_as_sold", "source", "note")
# Boiled greens take up water (SR28 dandelion greens: 1.41 g cooked per g raw); no vegetable
# comes near three times its raw weight.
MAX_COOKED_G_PER_G = 3.0
PART_COLUMNS = ("food_id", "part_of", "source")
FOOD_ID = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)*$")


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(";") if part.strip())


def check_vocabulary(values: Iterable[str], allowed: Iterable[str], where: str, field: str):
    allowed = list(allowed)
    for value in values:
        if value not in allowed:
            raise CatalogError(
                f"{where}: unknown {field} {value!r}; allowed: {', '.join(allowed)}"
            )


def read_storage(path: Path) -> dict[str, Storage]:
    """foods/storage_days.csv, written by `foods refresh --foodkeeper`."""
    storage = {}
    for food_id, (where, row) in _read_keyed(path, STORAGE_COLUMNS).items():
        check_vocabulary([row["place"]], STORAGE_PLACES, where, "place")
        fk_id = row["foodkeeper_id"].strip()
        storage[food_id] = Storage(
            place=row["place"],
            keeps_days=whole_number(row["keeps_days"], where, "keeps_days", minimum=1),
            opened_days=whole_number(row["opened_days"], where, "opened_days", minimum=1),
            foodkeeper_id=whole_number(fk_id, where, "foodkeeper_id", minimum=1) if fk_id else None,
            source=row["source"],
        )
    return storage


def read_pack_yields(path: Path) -> dict[str, tuple[str, int]]:
    """foods/pack_yields.csv: the refuse percentage of each listed food's package as sold,
    with where its row is; a food not listed keeps SR28's refuse."""
    yields = {}
    for food_id, (where, row) in _read_keyed(path, PACK_YIELD_COLUMNS).items():
        refuse = whole_number(row["refuse_pct_as_sold"], where, "refuse_pct_as_sold")
        if refuse > MAX_REFUSE_PCT:
            raise CatalogError(f"{where}: refuse_pct_as_sold must be 0 to {MAX_REFUSE_PCT}, "
                               f"got {refuse}")
        if not (row["reason"] or "").strip():
            raise CatalogError(f"{where}: reason must say why the package carries this refuse")
        yields[food_id] = (where, refuse)
    return yields


def read_cooking_yields(path: Path) -> dict[str, tuple[str, float]]:
    """foods/cooking_yields.csv: grams of the cooked food one gram of the package as sold gives
    (refuse and cooking loss or gain together), for foods weighed cooked and bought raw, with
    where its row is. A food not listed gives its weight less its refuse as sold."""
    yields = {}
    for food_id, (where, row) in _read_keyed(path, COOKING_YIELD_COLUMNS[:3]).items():
        text = (row["cooked_g_per_g_as_sold"] or "").strip()
        try:
            value = float(text)
        except ValueError:
            raise CatalogError(f"{where}: cooked_g_per_g_as_sold must be a number, "
                               f"got {text!r}") from None
        if not 0 < value <= MAX_COOKED_G_PER_G:
            raise CatalogError(f"{where}: cooked_g_per_g_as_sold must be above 0 and at most "
                               f"{MAX_COOKED_G_PER_G:g}, got {value:g}")
        if not (row["source"] or "").strip():
            raise CatalogError(f"{where}: source must cite the yield")
        yields[food_id] = (where, value)
    return yields


def read_parts(path: Path) -> dict[str, tuple[str, str]]:
    """foods/parts.csv: the food a shopper buys for each listed part (lemon juice -> lemon),
    with where its row is; the shopping list puts a food's parts on its line."""
    parts = {}
    for food_id, (where, row) in _read_keyed(path, PART_COLUMNS).items():
        whole = (row["part_of"] or "").strip()
        if not FOOD_ID.match(whole) or whole == food_id:
            raise CatalogError(f"{where}: part_of must be another food's id, got {whole!r}")
        if not (row["source"] or "").strip():
            raise CatalogError(f"{where}: source must say how the part comes from the food")
        parts[food_id] = (where, whole)
    return parts


def _read_keyed(path: Path, columns: tuple[str, ...]) -> dict[str, tuple[str, dict[str, str]]]:
    keyed: dict[str, tuple[str, dict[str, str]]] = {}
    if not path.exists():
        return keyed
    for line, row in read_csv(path, columns):
        where = f"{path.name}:{line}"
        if row["food_id"] in keyed:
            raise CatalogError(f"{where}: food_id {row['food_id']!r} appears twice")
        keyed[row["food_id"]] = (where, row)
    return keyed


def read_foods(
    folder: Path,
    rules: Rules | None = None,
    usda: dict[str, UsdaFood] | None = None,
    storage_required: bool = False,
) -> list[FoodRecord]:
    """Every ingredient in `folder/ingredients/*.csv` joined with its USDA data, prices, tags
    and storage time.

    `usda` supplies nutrients for NDB numbers not in the folder's own usda/nutrients.csv
    (a user's foods folder can lean on the packaged one). A folder with a storage_days.csv must
    give every one of its foods a row; without one, its foods have no storage, which only a
    user's folder may do (`storage_required` is set for the packaged database).
    """
    rules = rules or default_rules()
    usda_foods = dict(usda or {})
    own_nutrients = folder / "usda" / "nutrients.csv"
    if own_nutrients.exists():
        usda_foods.update(read_usda_foods(own_nutrients))
    measures = read_measures(folder / "usda" / "measures.csv")
    prebiotics = _read_keyed(
        folder / "prebiotics.csv", ("food_id", "prebiotic_g_per_100g", "source")
    )
    fermented = _read_keyed(folder / "fermented.csv", ("food_id", "live_cultures", "serving_g"))
    prices = _read_keyed(folder / "prices.csv", PRICE_REQUIRED_COLUMNS)
    storage_path = folder / "storage_days.csv"
    if storage_required and not storage_path.exists():
        raise CatalogError(f"{storage_path}: not found; run "
                           "`mealplanner foods refresh --foodkeeper DIR`")
    storage = read_storage(storage_path) if storage_path.exists() else None
    pack_yields = read_pack_yields(folder / "pack_yields.csv")
    cooking_yields = read_cooking_yields(folder / "cooking_yields.csv")
    parts = read_parts(folder / "parts.csv")

    foods: list[FoodRecord] = []
    seen: dict[str, str] = {}
    for path in sorted((folder / "ingredients").glob("*.csv")):
        for line, row in read_csv(path, INGREDIENT_COLUMNS):
            where = f"ingredients/{path.name}:{line}"
            food = _food_record(
                row, where, rules, usda_foods, measures, prebiotics, fermented, prices, storage,
                pack_yields, cooking_yields,
            )
            if food.id in seen:
                raise CatalogError(f"{where}: id {food.id!r} already used at {seen[food.id]}")
            seen[food.id] = where
            foods.append(food)
    for keyed in (prebiotics, fermented, pack_yields, cooking_yields, parts):
        for food_id, (where, _row) in keyed.items():
            if food_id not in seen:
                raise CatalogError(f"{where}: food_id {food_id!r} is not an ingredient")
    for where, whole in parts.values():
        if whole not in seen or whole in parts:
            raise CatalogError(f"{where}: part_of {whole!r} is not a food bought whole")
    foods = [replace(food, part_of=parts[food.id][1]) if food.id in parts else food
             for food in foods]
    strangers = sorted(set(storage or ()) - seen.keys())
    if strangers:
        raise CatalogError(f"storage_days.csv: food_id(s) {', '.join(strangers)} are not "
                           "ingredients")
    return foods


def _measured_raw(pre) -> bool:
    """prebiotics.csv `measured`: `raw` (the raw food's figure, lowered when a dish cooks it)
    or `as_eaten` (the food as its USDA entry is eaten: cooked legumes, bread); empty reads as
    as_eaten."""
    if not pre:
        return False
    where, row = pre
    measured = (row.get("measured") or "as_eaten").strip()
    if measured not in ("raw", "as_eaten"):
        raise CatalogError(f"{where}: measured must be raw or as_eaten, got {measured!r}")
    return measured == "raw"


def _food_record(row, where, rules, usda_foods, measures, prebiotics, fermented, prices, storage,
                 pack_yields, cooking_yields):
    food_id = row["id"].strip()
    if not FOOD_ID.match(food_id):
        raise CatalogError(f"{where}: id {food_id!r} must be lower snake_case (a-z, 0-9, _)")
    ndb_no = row["ndb_no"].strip()
    if ndb_no not in usda_foods:
        raise CatalogError(
            f"{where}: ndb_no {ndb_no!r} has no USDA nutrients; run "
            "`mealplanner foods refresh --usda DIR` to import it"
        )
    groups, allergens = _split(row["groups"]), _split(row["allergens"])
    if not groups:
        raise CatalogError(f"{where}: groups must name at least one food group")
    check_vocabulary(groups, rules.food_groups, where, "food group")
    check_vocabulary(allergens, rules.allergens, where, "allergen")
    check_vocabulary([row["aisle"]], rules.aisles, where, "aisle")
    if food_id not in prices:
        raise CatalogError(f"{where}: {food_id!r} has no price; add it to price_links.csv "
                           "and run `mealplanner foods refresh --prices DIR`")
    price = prices[food_id][1]
    if storage is not None and food_id not in storage:
        raise CatalogError(f"{where}: {food_id!r} has no storage time; add it to storage.csv "
                           "and run `mealplanner foods refresh --foodkeeper DIR`")
    pre = prebiotics.get(food_id)
    fer = fermented.get(food_id)
    usda_food = usda_foods[ndb_no]
    return FoodRecord(
        id=food_id,
        name=row["name"].strip(),
        ndb_no=ndb_no,
        usda_description=usda_food.description,
        groups=groups,
        allergens=allergens,
        aisle=row["aisle"],
        package_g=whole_number(row["package_g"], where, "package_g", minimum=1),
        package=row["package"].strip(),
        staple=row.get("staple", "").strip().lower() == "yes",
        refuse_pct=usda_food.refuse_pct,
        nutrients=usda_food.nutrients,
        added_sugars_source=usda_food.added_sugars_source,
        prebiotic_mg_per_100g=round(float(pre[1]["prebiotic_g_per_100g"]) * MG_PER_G) if pre else 0,
        prebiotic_source=pre[1]["source"] if pre else None,
        prebiotic_measured_raw=_measured_raw(pre),
        fermented=fer is not None,
        live_cultures=bool(fer) and fer[1]["live_cultures"].strip().lower() == "yes",
        fermented_serving_g=(whole_number(fer[1]["serving_g"], fer[0], "serving_g", 1)
                             if fer else None),
        fermented_source=fer[1].get("source") if fer else None,
        price_per_100g_microusd=round(float(price["price_per_100g_usd"]) * 1_000_000),
        price_year=int(price["price_year"]),
        price_source=price["source"],
        price_is_proxy=(price.get("proxy") or "").strip().lower() == "yes",
        measures=tuple(measures.get(ndb_no, ())),
        storage=storage[food_id] if storage is not None else None,
        refuse_pct_as_sold=pack_yields[food_id][1] if food_id in pack_yields else None,
        cooked_g_per_g_as_sold=cooking_yields[food_id][1] if food_id in cooking_yields else None,
    )
