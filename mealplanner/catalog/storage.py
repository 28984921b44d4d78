"""Storage times from USDA FSIS FoodKeeper: how long each food keeps where it is kept.

`foods refresh --foodkeeper DIR` runs this: it reads foods/storage.csv (which FoodKeeper product
and columns fit each food), takes the days from FoodKeeper's own JSON and writes
foods/storage_days.csv, adding the cited rows of foods/storage_alternatives.csv for the few
foods FoodKeeper does not list. A range takes its minimum (the cautious end); no day is typed by
hand for a linked food.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from mealplanner.catalog.files import (
    INGREDIENT_COLUMNS,
    STORAGE_COLUMNS,
    STORAGE_PLACES,
    CatalogError,
    read_csv,
)

FOODKEEPER_FILE = "foodkeeper.json"
LINK_COLUMNS = ("food_id", "foodkeeper_id", "place", "keeps_column", "opened_column", "note")
ALTERNATIVE_COLUMNS = ("food_id", "place", "keeps_days", "opened_days", "source")
# FoodKeeper column family (each has _Min, _Max, _Metric) -> where the food is kept.
COLUMN_PLACES = {
    "Pantry": "pantry",
    "DOP_Pantry": "pantry",
    "Pantry_After_Opening": "pantry",
    "Refrigerate": "fridge",
    "DOP_Refrigerate": "fridge",
    "Refrigerate_After_Opening": "fridge",
    "Refrigerate_After_Thawing": "fridge",
    "Freeze": "freezer",
    "DOP_Freeze": "freezer",
}
DAYS_PER_UNIT = {"Day": 1, "Week": 7, "Month": 30, "Year": 365}


@dataclass(frozen=True)
class FoodKeeperProduct:
    id: int
    name: str
    columns: dict[str, tuple[float | None, float | None, str | None]]

    def days(self, column: str, where: str) -> tuple[int, str]:
        """The minimum of `column`'s range in days, and the range as FoodKeeper prints it."""
        low, high, metric = self.columns[column]
        unit = DAYS_PER_UNIT.get((metric or "").removesuffix("s"))
        number = low if low is not None else high
        if number is None or unit is None:
            found = metric or "nothing"
            raise CatalogError(
                f"{where}: FoodKeeper product {self.id} {self.name!r} has no number of days in "
                f"{column} (it gives {found!r}); link another column or give the food a row "
                "in storage_alternatives.csv"
            )
        span = [_figure(v) for v in (low, high) if v is not None]
        text = span[0] if len(set(span)) == 1 else "-".join(span)
        return round(number * unit), f"{column} {text} {metric}"


def _figure(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def _sheet(workbook: dict, name: str) -> list[dict]:
    """One sheet's rows, each merged from FoodKeeper's list of one-key objects."""
    for sheet in workbook["sheets"]:
        if sheet["name"] == name:
            return [{k: v for cell in row for k, v in cell.items()} for row in sheet["data"]]
    raise CatalogError(f"{FOODKEEPER_FILE}: no sheet {name!r}")


def read_foodkeeper(foodkeeper_dir: Path) -> tuple[int, dict[int, FoodKeeperProduct]]:
    """FoodKeeper's current data version and its products by ID."""
    path = foodkeeper_dir / FOODKEEPER_FILE
    if not path.exists():
        raise CatalogError(f"FoodKeeper file not found: {path}")
    with open(path, encoding="utf-8") as handle:
        workbook = json.load(handle)
    current = [v for v in _sheet(workbook, "Version") if v.get("Current_Version") == "yes"]
    if len(current) != 1:
        raise CatalogError(f"{FOODKEEPER_FILE}: expected one current data version")
    products = {}
    for row in _sheet(workbook, "Product"):
        name = row["Name"].strip()
        if row.get("Name_subtitle"):
            name += f" - {row['Name_subtitle'].strip()}"
        columns = {
            family: tuple(row.get(f"{family}_{part}") for part in ("Min", "Max", "Metric"))
            for family in COLUMN_PLACES
        }
        products[int(row["ID"])] = FoodKeeperProduct(int(row["ID"]), name, columns)
    return int(current[0]["Data_Version_Number"]), products


def ingredient_ids(foods_folder: Path) -> list[str]:
    ids = []
    for path in sorted((foods_folder / "ingredients").glob("*.csv")):
        ids.extend(row["id"].strip() for _line, row in read_csv(path, INGREDIENT_COLUMNS))
    return ids


def _check_place(place: str, where: str) -> None:
    if place not in STORAGE_PLACES:
        raise CatalogError(f"{where}: place must be one of {', '.join(STORAGE_PLACES)}, "
                           f"got {place!r}")


def _linked_row(link, where, version, products) -> list:
    fk_id, place = int(link["foodkeeper_id"]), link["place"].strip()
    if fk_id not in products:
        raise CatalogError(f"{where}: FoodKeeper has no product {fk_id}")
    product = products[fk_id]
    keeps_column, opened_column = link["keeps_column"].strip(), link["opened_column"].strip()
    for column in (keeps_column, opened_column):
        if column not in COLUMN_PLACES:
            raise CatalogError(f"{where}: unknown FoodKeeper column {column!r}; allowed: "
                               f"{', '.join(COLUMN_PLACES)}")
    if COLUMN_PLACES[keeps_column] != place and not link.get("note", "").strip():
        raise CatalogError(f"{where}: keeps_column {keeps_column} is not a {place} column; "
                           "say why in the note")
    food = f"{where} ({link['food_id']})"
    keeps_days, keeps_text = product.days(keeps_column, food)
    opened_days, opened_text = product.days(opened_column, food)
    opened = "the same" if opened_column == keeps_column else opened_text
    source = (f'USDA FSIS FoodKeeper v{version}, product {fk_id} "{product.name}", '
              f"{keeps_text}; once opened: {opened}")
    return [link["food_id"], place, keeps_days, opened_days, fk_id, source]


def refresh_storage(foods_folder: Path, foodkeeper_dir: Path) -> tuple[int, int]:
    """Rewrite foods/storage_days.csv; returns (foods linked to FoodKeeper, alternatives)."""
    version, products = read_foodkeeper(foodkeeper_dir)
    links = read_csv(foods_folder / "storage.csv", LINK_COLUMNS)
    alternatives = {}
    alt_path = foods_folder / "storage_alternatives.csv"
    if alt_path.exists():
        for line, row in read_csv(alt_path, ALTERNATIVE_COLUMNS):
            where = f"storage_alternatives.csv:{line}"
            if row["food_id"] in alternatives:
                raise CatalogError(f"{where}: food_id {row['food_id']!r} appears twice")
            alternatives[row["food_id"]] = (where, row)

    known, rows, seen = set(ingredient_ids(foods_folder)), [], set()
    for line, link in links:
        where, food_id = f"storage.csv:{line}", link["food_id"].strip()
        if food_id not in known:
            raise CatalogError(f"{where}: food_id {food_id!r} is not an ingredient")
        if food_id in seen:
            raise CatalogError(f"{where}: food_id {food_id!r} appears twice")
        seen.add(food_id)
        _check_place(link["place"].strip(), where)
        if link["foodkeeper_id"].strip():
            if food_id in alternatives:
                raise CatalogError(f"{alternatives[food_id][0]}: {food_id!r} is linked to "
                                   "FoodKeeper in storage.csv; give it one or the other")
            rows.append(_linked_row(link, where, version, products))
            continue
        if food_id not in alternatives:
            raise CatalogError(f"{where}: {food_id!r} has no foodkeeper_id and no row in "
                               "storage_alternatives.csv")
        alt_where, alt = alternatives[food_id]
        if alt["place"].strip() != link["place"].strip():
            raise CatalogError(f"{alt_where}: place {alt['place']!r} differs from storage.csv "
                               f"({link['place']!r})")
        if not alt["source"].strip():
            raise CatalogError(f"{alt_where}: an alternative needs a source")
        rows.append([food_id, alt["place"].strip(), int(alt["keeps_days"]),
                     int(alt["opened_days"]), "", alt["source"].strip()])
    for food_id, (where, _row) in alternatives.items():
        if food_id not in seen:
            raise CatalogError(f"{where}: {food_id!r} has no row in storage.csv")
    missing = sorted(known - seen)
    if missing:
        raise CatalogError(f"storage.csv: no storage link for {', '.join(missing)}")

    with open(foods_folder / "storage_days.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(STORAGE_COLUMNS)
        writer.writerows(sorted(rows))
    linked = sum(1 for row in rows if row[4] != "")
    return linked, len(rows) - linked
