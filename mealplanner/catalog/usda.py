"""Import nutrients and household measures from USDA SR28's ASCII files.

`foods refresh --usda DIR` runs this: it reads the NDB numbers the ingredient files use and
writes foods/usda/nutrients.csv and measures.csv, so an installed package needs no USDA files.
Values are copied as USDA prints them; nothing here is typed by hand. A nutrient SR28 has no
row for (NUT_DATA.txt) is written empty: unknown, never 0. Added sugars, which SR28 lacks,
come from FPED (`--fped FILE`, catalog/added_sugars.py).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from mealplanner.catalog.added_sugars import added_sugars, fndds_links, read_fped
from mealplanner.catalog.files import INGREDIENT_COLUMNS
from mealplanner.catalog.tables import CatalogError, read_csv
from mealplanner.catalog.usda_table import MEASURE_COLUMNS, NUTRIENT_COLUMNS

# SR28 Nutr_No (NUTR_DEF.txt) -> column in foods/usda/nutrients.csv.
NUTRIENT_NUMBERS = {
    "208": "energy_kcal",
    "203": "protein_g",
    "204": "fat_g",
    "606": "saturated_fat_g",  # Fatty acids, total saturated
    "205": "carbohydrate_g",  # by difference
    "291": "fiber_g",  # Fiber, total dietary
    "269": "sugars_g",  # Sugars, total
    "307": "sodium_mg",
    "301": "calcium_mg",
    "303": "iron_mg",
    "306": "potassium_mg",
    "304": "magnesium_mg",
    "309": "zinc_mg",
    "435": "folate_ug",  # Folate, DFE (dietary folate equivalents, the unit of the RDA)
    "401": "vitamin_c_mg",  # Vitamin C, total ascorbic acid
    "418": "vitamin_b12_ug",
    "328": "vitamin_d_ug",  # Vitamin D (D2 + D3), in ug (324 is the same in IU)
}
# ALA: 18:3 n-3 c,c,c (851) where SR28 gives it, else 18:3 undifferentiated (619), the only
# 18:3 figure SR28 has for most foods (foods/README.md says what that means).
ALA_NUMBERS = ("851", "619")
# EPA + DHA: 20:5 n-3 (629) plus 22:6 n-3 (621); unknown unless SR28 has both.
EPA_DHA_NUMBERS = ("629", "621")


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

    wanted = {*NUTRIENT_NUMBERS, *ALA_NUMBERS, *EPA_DHA_NUMBERS}
    values: dict[str, dict[str, str]] = {n: {} for n in ndb_numbers}
    for row in _records(usda_dir / "NUT_DATA.txt"):
        if row[0] in ndb_numbers and row[1] in wanted:
            values[row[0]][row[1]] = row[2]
    nutrients = {n: _columns(values[n]) for n in ndb_numbers}

    measures: dict[str, list[tuple[str, str, str, str]]] = {n: [] for n in ndb_numbers}
    for row in _records(usda_dir / "WEIGHT.txt"):
        if row[0] in ndb_numbers:
            measures[row[0]].append((row[1], row[2], row[3], row[4]))

    return {
        n: Sr28Food(n, described[n][0], described[n][1], nutrients[n], measures[n])
        for n in sorted(ndb_numbers)
    }


def _columns(values: dict[str, str]) -> dict[str, str]:
    """One food's NUT_DATA values (by Nutr_No) as nutrients.csv columns; a nutrient SR28 has
    no row for is left out (unknown)."""
    columns = {NUTRIENT_NUMBERS[n]: v for n, v in values.items() if n in NUTRIENT_NUMBERS}
    ala = next((values[n] for n in ALA_NUMBERS if n in values), None)
    if ala is not None:
        columns["ala_g"] = ala
    if all(n in values for n in EPA_DHA_NUMBERS):
        columns["epa_dha_g"] = repr(round(sum(float(values[n]) for n in EPA_DHA_NUMBERS), 3))
    return columns


def foods_by_ndb(foods_folder: Path) -> dict[str, list[str]]:
    """The ingredient ids using each NDB number, in file order."""
    foods: dict[str, list[str]] = {}
    for path in sorted((foods_folder / "ingredients").glob("*.csv")):
        for _line, row in read_csv(path, INGREDIENT_COLUMNS):
            foods.setdefault(row["ndb_no"].strip(), []).append(row["id"].strip())
    return foods


def referenced_ndb_numbers(foods_folder: Path) -> set[str]:
    return set(foods_by_ndb(foods_folder))


def _number(text: str) -> str:
    """USDA's figure as printed, without trailing zeros; a value USDA lacks stays empty."""
    if not text:
        return ""
    value = float(text)
    return str(int(value)) if value == int(value) else repr(value)


def refresh_usda(foods_folder: Path, usda_dir: Path,
                 fped_csv: Path | None = None) -> tuple[int, int]:
    """Rewrite foods/usda/*.csv from SR28 (and FPED's added sugars, when `fped_csv` is given:
    without it only foods with 0 g total sugars have a figure); returns (foods, measures)."""
    using = foods_by_ndb(foods_folder)
    sr28 = read_sr28(usda_dir, set(using))
    links = fndds_links(foods_folder)
    fped = read_fped(fped_csv) if fped_csv else {}
    out = foods_folder / "usda"
    out.mkdir(parents=True, exist_ok=True)
    measure_count = 0
    with open(out / "nutrients.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(NUTRIENT_COLUMNS)
        for food in sr28.values():
            sugars = food.nutrients.get("sugars_g")
            grams, source = added_sugars(using[food.ndb_no],
                                         float(sugars) if sugars else None, links, fped)
            columns = {**food.nutrients,
                       "added_sugars_g": "" if grams is None else repr(grams)}
            writer.writerow(
                [food.ndb_no, food.description, food.refuse_pct]
                + [_number(columns.get(col, "")) for col in NUTRIENT_COLUMNS[3:-1]]
                + [source]
            )
    with open(out / "measures.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(MEASURE_COLUMNS)
        for food in sr28.values():
            for seq, amount, description, grams in food.measures:
                writer.writerow([food.ndb_no, seq, _number(amount), description, _number(grams)])
                measure_count += 1
    return len(sr28), measure_count
