"""The price records the refresh reads (catalog/prices.py): USDA ERS Purchase to Plate (PP-NAP),
ERS Fruit and Vegetable Prices, BLS average retail prices, and the BLS CPI-U "Food at home"
series that brings each to `PRICE_YEAR` dollars, each as a PriceQuote per 100 g."""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

PRICE_YEAR = 2024
CPI_SERIES = "CUUR0000SAF11"
GRAMS_PER_POUND = 453.59237
GRAMS_PER_PINT = 473.176  # US liquid pint of a water-like drink
PP_NAP_CYCLE = "2017/2018"
PP_NAP_DATA_YEARS = (2017, 2018)  # IRI InfoScan 2017/2018 (ERS read-me)
# Each PP-NAP cycle and the years of the IRI InfoScan sales behind it (ERS read-me).
PP_NAP_CYCLES = {
    "2011/2012": (2013,),
    "2013/2014": (2015,),
    "2015/2016": (2015, 2016),
    PP_NAP_CYCLE: PP_NAP_DATA_YEARS,
}
ERS_DATA_YEAR = 2022
BLS_AVERAGE_PRICES = Path("bls-average-prices") / "bls_average_prices.csv"
# Grams in the unit of a BLS average price series that is not priced per pound.
BLS_UNIT_GRAMS = {
    # a dozen grade A large eggs in the shell: 12 x 50 g edible (SR28 01123 "1 large") / 0.88
    # (SR28 refuse 12 %, the shell)
    "APU0000708111": ("per dozen", 12 * 50 / 0.88),
    # a US gallon of whole milk: 3785.41 ml x 1.0313 g/ml (SR28 01077, 1 cup = 244 g)
    "APU0000709112": ("per gallon", 3785.41 * 244 / 236.588),
    "APU0000711415": ("per 12 oz", 12 * GRAMS_PER_POUND / 16),
    "APU0000718311": ("per 16 oz", GRAMS_PER_POUND),
}


@dataclass(frozen=True)
class PriceQuote:
    """A record's price per 100 g: edible (PP-NAP), or as bought (`as_bought`: ERS per pound or
    pint, BLS per unit), which the refresh turns into edible by the food's share as sold."""

    usd_per_100g: float
    data_years: tuple[int, ...]
    description: str
    as_bought: bool = False
    # ERS's preparation yield of the record (edible, often cooked, share of its pound)
    ers_yield: float | None = None


def cpi_annual_averages(bls_csv: Path) -> dict[int, float]:
    """Annual average of the monthly Food-at-home index, for complete years only."""
    monthly: dict[int, list[float]] = defaultdict(list)
    with open(bls_csv, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["seriesID"] == CPI_SERIES and 1 <= int(row["monthNumber"]) <= 12:
                monthly[int(row["year"])].append(float(row["value"]))
    return {year: sum(v) / len(v) for year, v in monthly.items() if len(v) == 12}


def pp_nap_quotes(prices_dir: Path) -> dict[str, PriceQuote]:
    """ERS Purchase to Plate national average prices by FNDDS food code: the 2017/2018 cycle
    keyed by the bare code, an earlier cycle as `code@2015/2016` (for a food only it prices).
    """
    quotes = {}
    path = prices_dir / "pp_national_average_prices.csv"
    with open(path, encoding="cp1252", newline="") as handle:
        for row in csv.DictReader(handle):
            cycle = row["year"]
            if cycle not in PP_NAP_CYCLES or row["price_100gm"] in ("", "NA"):
                continue
            key = row["food_code"] if cycle == PP_NAP_CYCLE else f"{row['food_code']}@{cycle}"
            quotes[key] = PriceQuote(
                float(row["price_100gm"]),
                PP_NAP_CYCLES[cycle],
                f"USDA ERS Purchase to Plate national average prices {cycle}, "
                f"FNDDS {row['food_code']} {row['food_description'].strip()}",
            )
    return quotes


def ers_produce_quotes(prices_dir: Path, kind: str) -> dict[str, PriceQuote]:
    """ERS Fruit or Vegetable Prices 2022, keyed 'Name|Form', per 100 g **as bought** (the
    record's price per pound or pint), with ERS's yield."""
    quotes = {}
    path = prices_dir / f"{kind.capitalize()}-Prices-2022.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            name, form = row[kind.capitalize()].strip(), row["Form"].strip()
            unit = row["RetailPriceUnit"].strip()
            grams = GRAMS_PER_POUND if unit == "per pound" else GRAMS_PER_PINT
            quotes[f"{name}|{form}"] = PriceQuote(
                float(row["RetailPrice"]) / grams * 100,
                (ERS_DATA_YEAR,),
                f"USDA ERS {kind.capitalize()} Prices {ERS_DATA_YEAR}, {name} ({form}), "
                f"{float(row['RetailPrice']):.4f} USD {unit}",
                as_bought=True,
                ers_yield=float(row["Yield"]),
            )
    return quotes


def _bls_monthly(prices_dir: Path) -> tuple[dict[str, dict[tuple[int, int], float]], dict]:
    """Every BLS average price (AP) series in the two BLS files, month by month, and its title."""
    monthly: dict[str, dict[tuple[int, int], float]] = defaultdict(dict)
    titles: dict[str, str] = {}
    path = prices_dir / BLS_AVERAGE_PRICES
    if path.exists():
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                month = int(row["period"].removeprefix("M"))
                if 1 <= month <= 12 and row["value_usd"].strip() not in ("", "-"):
                    monthly[row["series_id"]][int(row["year"]), month] = float(row["value_usd"])
                    titles[row["series_id"]] = row["item"].replace("_", " ")
    with open(prices_dir / "bls-data.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["seriesID"].startswith("APU") and 1 <= int(row["monthNumber"]) <= 12:
                monthly[row["seriesID"]][int(row["year"]), int(row["monthNumber"])] = (
                    float(row["value"]))
                titles[row["seriesID"]] = row["seriesName"]
    return monthly, titles


def bls_quotes(prices_dir: Path) -> dict[str, PriceQuote]:
    """BLS average retail prices (U.S. city average), per 100 g **as bought**, by series id.

    Each series is priced at the mean of its twelve months of the latest complete calendar year
    up to `PRICE_YEAR`; the refresh divides by the food's share as sold.
    """
    monthly, titles = _bls_monthly(prices_dir)
    quotes = {}
    for series, values in monthly.items():
        years = [y for y in {y for y, _ in values} if y <= PRICE_YEAR
                 and all((y, m) in values for m in range(1, 13))]
        if not years:
            continue
        year = max(years)
        mean = sum(values[year, m] for m in range(1, 13)) / 12
        unit, grams = BLS_UNIT_GRAMS.get(series, ("per pound", GRAMS_PER_POUND))
        quotes[series] = PriceQuote(
            mean / grams * 100,
            (year,),
            f"US BLS average price {series} {titles[series]}, U.S. city average, "
            f"{year}-M01..M12 mean {mean:.3f} USD {unit}",
            as_bought=True,
        )
    return quotes
