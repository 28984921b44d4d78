"""foods/usda/nutrients.csv and measures.csv (written by `foods refresh --usda`) read back.

An empty cell is a value USDA does not have: it is read as None (unknown), never as 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mealplanner.catalog.records import NUTRIENTS, Measure, Nutrients
from mealplanner.catalog.tables import CatalogError, read_csv, whole_number

NUTRIENT_COLUMNS = (
    "ndb_no", "usda_description", "refuse_pct", *(spec.name for spec in NUTRIENTS),
    "added_sugars_source",
)
# The columns a nutrients.csv must have: the micronutrients and added sugars came later, and a
# user's file written before them reads them as unknown.
REQUIRED_NUTRIENT_COLUMNS = NUTRIENT_COLUMNS[:11]
MEASURE_COLUMNS = ("ndb_no", "seq", "amount", "description", "grams")


@dataclass(frozen=True)
class UsdaFood:
    """One SR28 food as stored in foods/usda/nutrients.csv."""

    ndb_no: str
    description: str
    refuse_pct: int
    nutrients: Nutrients
    added_sugars_source: str | None = None


def _fixed_point(text: str | None, scale: int, where: str, column: str) -> int | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise CatalogError(f"{where}: {column} must be a number or empty (unknown), "
                           f"got {text!r}") from None
    if value < 0:
        raise CatalogError(f"{where}: {column} must not be negative, got {text}")
    return round(value * scale)


def read_usda_foods(path: Path) -> dict[str, UsdaFood]:
    """foods/usda/nutrients.csv, written by `foods refresh --usda`."""
    foods: dict[str, UsdaFood] = {}
    for line, row in read_csv(path, REQUIRED_NUTRIENT_COLUMNS):
        where = f"{path.name}:{line}"
        values = {spec.field: _fixed_point(row.get(spec.name), spec.scale, where, spec.name)
                  for spec in NUTRIENTS}
        if values["energy_kcal"] is None:
            raise CatalogError(f"{where}: energy_kcal must be given (a plan cannot count a "
                               "food of unknown energy)")
        foods[row["ndb_no"]] = UsdaFood(
            ndb_no=row["ndb_no"],
            description=row["usda_description"],
            refuse_pct=whole_number(row["refuse_pct"], where, "refuse_pct"),
            nutrients=Nutrients(**values),
            added_sugars_source=(row.get("added_sugars_source") or "").strip() or None,
        )
    return foods


def read_measures(path: Path) -> dict[str, list[Measure]]:
    measures: dict[str, list[Measure]] = {}
    if not path.exists():
        return measures
    for _line, row in read_csv(path, MEASURE_COLUMNS):
        measures.setdefault(row["ndb_no"], []).append(
            Measure(int(row["seq"]), float(row["amount"]), row["description"], float(row["grams"]))
        )
    return measures
