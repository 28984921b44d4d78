"""Import nutrients and household measures from USDA SR28's ASCII files.

`foods refresh --usda DIR` runs this: it reads the NDB numbers the ingredient files use and
writes foods/usda/nutrients.csv and measures.csv, so an installed package needs no USDA files.
Values are copied as USDA prints them; nothing here is typed by hand.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from mealplanner.catalog.files import (
    INGREDIENT_COLUMNS,
    MEASURE_COLUMNS,
    NUTRIENT_COLUMNS,
    CatalogError,
    read_csv,
)

# SR28 Nutr_No -> column in foods/usda/nutrients.csv (README of the SR28 folder).
NUTRIENT_NUMBERS = {
    "208": "energy_kcal",
    "203": "protein_g",
    "204": "fat_g",
    "606": "saturated_fat_g",
    "205": "carbohydrate_g",
    "291": "fiber_g",
    "269": "sugars_g",
    "307": "sodium_mg",
}


@dataclass(frozen=True)
class Sr28Food:
    ndb_no: str
    description: str
    refuse_pct: int
    nutrients: dict[str, str]
    measures: list[tuple[str, str, str, str]]


def _records(path: Path) -> Iterator[list[str]]:
    """SR28 ASCII: '^'-separated fields, text between '~', Latin-1, CRLF."""
    if not path.exists():
        raise CatalogError(f"USDA file not found: {path}")
    with open(path, encoding="latin-1", newline="") as handle:
        yield from csv.reader(handle, delimiter="^", quotechar="~")


def read_sr28(usda_dir: Path, ndb_numbers: set[str]) -> dict[str, Sr28Food]:
    """The SR28 data for the given NDB numbers; fails naming any number USDA does not have."""
    described: dict[str, tuple[str, int]] = {}
    for row in _records(usda_dir / "FOOD_DES.txt"):
        if row[0] in ndb_numbers:
            described[row[0]] = (row[2], round(float(row[8] or 0)))
    missing = sorted(ndb_numbers - described.keys())
    if missing:
        raise CatalogError(f"NDB numbers not in SR28 FOOD_DES.txt: {', '.join(missing)}")

    nutrients: dict[str, dict[str, str]] = {n: {} for n in ndb_numbers}
    for row in _records(usda_dir / "NUT_DATA.txt"):
        if row[0] in ndb_numbers and row[1] in NUTRIENT_NUMBERS:
            nutrients[row[0]][NUTRIENT_NUMBERS[row[1]]] = row[2]

    measures: dict[str, list[tuple[str, str, str, str]]] = {n: [] for n in ndb_numbers}
    for row in _records(usda_dir / "WEIGHT.txt"):
        if row[0] in ndb_numbers:
            measures[row[0]].append((row[1], row[2], row[3], row[4]))

    return {
        n: Sr28Food(n, described[n][0], described[n][1], nutrients[n], measures[n])
        for n in sorted(ndb_numbers)
    }


def referenced_ndb_numbers(foods_folder: Path) -> set[str]:
    numbers = set()
    for path in sorted((foods_folder / "ingredients").glob("*.csv")):
        for _line, row in read_csv(path, INGREDIENT_COLUMNS):
            numbers.add(row["ndb_no"].strip())
    return numbers


def _number(text: str) -> str:
    """USDA's figure as printed, without trailing zeros; a value USDA lacks stays empty."""
    if not text:
        return ""
    value = float(text)
    return str(int(value)) if value == int(value) else repr(value)


def refresh_usda(foods_folder: Path, usda_dir: Path) -> tuple[int, int]:
    """Rewrite foods/usda/*.csv from SR28; returns (foods, measures) written."""
    sr28 = read_sr28(usda_dir, referenced_ndb_numbers(foods_folder))
    out = foods_folder / "usda"
    out.mkdir(parents=True, exist_ok=True)
    measure_count = 0
    with open(out / "nutrients.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(NUTRIENT_COLUMNS)
        for food in sr28.values():
            writer.writerow(
                [food.ndb_no, food.description, food.refuse_pct]
                + [_number(food.nutrients.get(col, "")) for col in NUTRIENT_COLUMNS[3:]]
            )
    with open(out / "measures.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(MEASURE_COLUMNS)
        for food in sr28.values():
            for seq, amount, description, grams in food.measures:
                writer.writerow([food.ndb_no, seq, _number(amount), description, _number(grams)])
                measure_count += 1
    return len(sr28), measure_count
