"""Added sugars per 100 g from USDA's Food Patterns Equivalents Database 2017-2018 (FPED).

SR28 has total sugars only. FPED gives, for each FNDDS 2017-2018 food code, the added sugars
in teaspoon equivalents per 100 g (`ADD_SUGARS`); FPED defines one teaspoon equivalent of
added sugars as 4.2 g (FPED 2017-2018 Methodology and User Guide, foods/SOURCES.md `fped`).

A food's FNDDS code is the one its price is read from: a `pp_nap` row of
foods/price_links.csv that is not a proxy (a proxy is another food's record) and names a
2017/2018 code (an earlier cycle's code may stand for another food in 2017/2018: PP-NAP
2013/2014 75100750 is "Artichoke, Jerusalem, raw", FPED 2017-2018 75100750 "Artichoke, raw").
The link's `factor`, the cited ratio that turns the record's weight into the food's (cooked
to raw meat by protein, fresh to dried herb by solids), scales the added sugars the same way.

The figure of a food is, in this order:
1. FPED's, when it is not above SR28's total sugars of the food by more than rounding
   (`ROUNDING_G`): more added sugars than the food has sugars means the record is not this
   food (whole-wheat crackers priced as woven wheat crackers), and the figure is unknown;
2. 0 g when SR28 gives the food 0 g total sugars: no sugars, none added;
3. unknown (empty) otherwise: no FNDDS link, or its figure cannot be this food's.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from mealplanner.catalog.tables import CatalogError, read_csv

GRAMS_PER_TEASPOON = 4.2  # FPED: 1 tsp eq of added sugars = 4.2 g
FPED_COLUMN = "ADD_SUGARS (tsp. eq.)"
FPED_NAME = "FPED 2017-2018"
# FPED teaspoons are printed to 3 decimals and SR28 sugars to 2: a record of the food itself
# can come out a few hundredths of a gram above its total sugars (agave 68.04 g / 68.03 g).
ROUNDING_G = 0.1


@dataclass(frozen=True)
class FnddsLink:
    """The FNDDS 2017-2018 record a food is priced from, and the factor that converts it."""

    food_id: str
    code: str
    factor: float
    factor_basis: str


def fndds_links(foods_folder: Path) -> dict[str, FnddsLink]:
    """Each food's own FNDDS 2017-2018 record from price_links.csv (none for a folder without
    that file, a proxy, another source or an earlier PP-NAP cycle)."""
    path = foods_folder / "price_links.csv"
    if not path.exists():
        return {}
    links = {}
    for line, row in read_csv(path, ("food_id", "source", "key")):
        key = row["key"].strip()
        if (row["source"].strip() != "pp_nap" or "@" in key
                or (row.get("proxy") or "").strip().lower() == "yes"):
            continue
        factor_text = (row.get("factor") or "").strip()
        try:
            factor = float(factor_text) if factor_text else 1.0
        except ValueError:
            raise CatalogError(f"price_links.csv:{line}: factor must be a number, "
                               f"got {factor_text!r}") from None
        links[row["food_id"].strip()] = FnddsLink(
            row["food_id"].strip(), key, factor, (row.get("factor_basis") or "").strip())
    return links


def read_fped(path: Path) -> dict[str, tuple[str, float]]:
    """FPED_1718.csv: FNDDS food code -> (description, added sugars in tsp eq per 100 g)."""
    if not path.exists():
        raise CatalogError(f"FPED file not found: {path}")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if FPED_COLUMN not in (reader.fieldnames or []):
            raise CatalogError(f"{path.name}: no {FPED_COLUMN!r} column")
        return {row["FOODCODE"].strip(): (row["DESCRIPTION"].strip(), float(row[FPED_COLUMN]))
                for row in reader}


def _from_fped(link: FnddsLink, fped: dict[str, tuple[str, float]]):
    """(grams per 100 g, source) of one link, or None when FPED lacks the code."""
    if link.code not in fped:
        return None
    description, teaspoons = fped[link.code]
    grams = round(teaspoons * GRAMS_PER_TEASPOON * link.factor, 3)
    source = (f"{FPED_NAME} FNDDS {link.code} {description}: ADD_SUGARS {teaspoons:g} tsp eq "
              f"x {GRAMS_PER_TEASPOON:g} g")
    if link.factor != 1.0:
        source += f" x {link.factor:g} ({link.factor_basis})"
    return grams, source


def added_sugars(food_ids: list[str], total_sugars_g: float | None,
                 links: dict[str, FnddsLink],
                 fped: dict[str, tuple[str, float]]) -> tuple[float | None, str]:
    """The added sugars (g per 100 g, None when unknown) of one SR28 entry used by
    `food_ids`, and where the figure comes from or why it is unknown."""
    found = [f for f in (_from_fped(links[i], fped) for i in food_ids if i in links) if f]
    note = ""
    if len({grams for grams, _source in found}) > 1:
        note = "the foods of this entry are priced from FNDDS records of different added sugars"
    elif found:
        grams, source = found[0]
        if total_sugars_g is None or grams <= total_sugars_g + ROUNDING_G:
            return grams, source
        note = (f"{source} = {grams:g} g is more than the {total_sugars_g:g} g total sugars "
                "of SR28: the record is not this food")
    if total_sugars_g == 0:
        return 0.0, "SR28 total sugars 0 g: none added" + (f" ({note})" if note else "")
    return None, f"unknown: {note}" if note else ""
