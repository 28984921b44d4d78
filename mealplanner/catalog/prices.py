"""Derive a price per 100 g edible for every ingredient from USDA ERS and BLS data.

`foods refresh --prices DIR` reads foods/price_links.csv (which ERS record prices each food),
converts each record to USD per 100 g edible and brings it to `PRICE_YEAR` dollars with the
BLS CPI-U "Food at home" series (CUUR0000SAF11), writing foods/prices.csv.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from mealplanner.catalog.files import PRICE_COLUMNS, CatalogError, read_csv

PRICE_YEAR = 2024
CPI_SERIES = "CUUR0000SAF11"
GRAMS_PER_POUND = 453.59237
GRAMS_PER_PINT = 473.176  # US liquid pint of a water-like drink
PP_NAP_CYCLE = "2017/2018"
PP_NAP_DATA_YEARS = (2017, 2018)  # IRI InfoScan 2017/2018 (ERS read-me)
ERS_DATA_YEAR = 2022


@dataclass(frozen=True)
class PriceQuote:
    usd_per_100g_edible: float
    data_years: tuple[int, ...]
    description: str


def cpi_annual_averages(bls_csv: Path) -> dict[int, float]:
    """Annual average of the monthly Food-at-home index, for complete years only."""
    monthly: dict[int, list[float]] = defaultdict(list)
    with open(bls_csv, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["seriesID"] == CPI_SERIES and 1 <= int(row["monthNumber"]) <= 12:
                monthly[int(row["year"])].append(float(row["value"]))
    return {year: sum(v) / len(v) for year, v in monthly.items() if len(v) == 12}


def pp_nap_quotes(prices_dir: Path) -> dict[str, PriceQuote]:
    """ERS Purchase to Plate national average prices, 2017/2018 cycle, by FNDDS food code."""
    quotes = {}
    path = prices_dir / "pp_national_average_prices.csv"
    with open(path, encoding="cp1252", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["year"] == PP_NAP_CYCLE and row["price_100gm"] not in ("", "NA"):
                quotes[row["food_code"]] = PriceQuote(
                    float(row["price_100gm"]),
                    PP_NAP_DATA_YEARS,
                    f"USDA ERS Purchase to Plate national average prices {PP_NAP_CYCLE}, "
                    f"FNDDS {row['food_code']} {row['food_description'].strip()}",
                )
    return quotes


def ers_produce_quotes(
    prices_dir: Path, kind: str, as_bought: bool = False
) -> dict[str, PriceQuote]:
    """ERS Fruit or Vegetable Prices 2022, keyed 'Name|Form', per 100 g edible.

    ERS's yield turns a pound as bought into edible (for dried pulses: cooked) weight; foods
    weighed as bought (dry lentils) skip it (`as_bought`).
    """
    quotes = {}
    path = prices_dir / f"{kind.capitalize()}-Prices-2022.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            name, form = row[kind.capitalize()].strip(), row["Form"].strip()
            unit = row["RetailPriceUnit"].strip()
            grams = GRAMS_PER_POUND if unit == "per pound" else GRAMS_PER_PINT
            yield_factor = 1.0 if as_bought else float(row["Yield"])
            per_100g = float(row["RetailPrice"]) / grams * 100 / yield_factor
            quotes[f"{name}|{form}"] = PriceQuote(
                per_100g,
                (ERS_DATA_YEAR,),
                f"USDA ERS {kind.capitalize()} Prices {ERS_DATA_YEAR}, {name} ({form}), "
                f"{float(row['RetailPrice']):.4f} USD {unit}, "
                + ("as bought" if as_bought else f"yield {row['Yield']}"),
            )
    return quotes


def refresh_prices(foods_folder: Path, prices_dir: Path) -> int:
    """Rewrite foods/prices.csv from foods/price_links.csv; returns the number of foods priced."""
    cpi = cpi_annual_averages(prices_dir / "bls-data.csv")
    if PRICE_YEAR not in cpi:
        raise CatalogError(f"BLS data has no complete {PRICE_YEAR} for {CPI_SERIES}")
    sources = {
        "pp_nap": pp_nap_quotes(prices_dir),
        "ers_fruit": ers_produce_quotes(prices_dir, "fruit"),
        "ers_vegetable": ers_produce_quotes(prices_dir, "vegetable"),
        "ers_vegetable_as_bought": ers_produce_quotes(prices_dir, "vegetable", as_bought=True),
    }
    links = read_csv(foods_folder / "price_links.csv", ("food_id", "source", "key"))
    rows = []
    for line, link in links:
        where = f"price_links.csv:{line}"
        if link["source"] not in sources:
            raise CatalogError(f"{where}: source must be one of {', '.join(sources)}")
        quote = sources[link["source"]].get(link["key"].strip())
        if quote is None:
            raise CatalogError(f"{where}: no {link['source']} price for key {link['key']!r}")
        base = sum(cpi[y] for y in quote.data_years) / len(quote.data_years)
        factor = cpi[PRICE_YEAR] / base
        rows.append([
            link["food_id"],
            f"{quote.usd_per_100g_edible * factor:.6f}",
            PRICE_YEAR,
            quote.description + (f"; {note}" if (note := link.get("note", "").strip()) else ""),
            "/".join(str(y) for y in quote.data_years),
            f"{factor:.4f}",
        ])
    with open(foods_folder / "prices.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(PRICE_COLUMNS)
        writer.writerows(sorted(rows))
    return len(rows)
