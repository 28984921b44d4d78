"""Derive a price per 100 g edible for every ingredient from USDA ERS and BLS data.

`foods refresh --prices DIR` reads foods/price_links.csv (which ERS or BLS record prices each
food, times which cited conversion factor, and whether the record is of another food: a proxy),
converts each record to USD per 100 g edible and brings it to `PRICE_YEAR` dollars with the
BLS CPI-U "Food at home" series (CUUR0000SAF11), writing foods/prices.csv.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from mealplanner.catalog.files import (
    INGREDIENT_COLUMNS,
    PRICE_COLUMNS,
    CatalogError,
    read_csv,
    read_usda_foods,
)

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
    up to `PRICE_YEAR`; the refresh divides by the food's SR28 edible share (refuse).
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
        )
    return quotes


def _refuse_by_food(foods_folder: Path) -> dict[str, int]:
    """SR28 refuse % of each ingredient's USDA entry (for prices quoted as bought)."""
    nutrients = read_usda_foods(foods_folder / "usda" / "nutrients.csv")
    refuse = {}
    for path in sorted((foods_folder / "ingredients").glob("*.csv")):
        for _line, row in read_csv(path, INGREDIENT_COLUMNS):
            usda = nutrients.get(row["ndb_no"].strip())
            refuse[row["id"].strip()] = usda.refuse_pct if usda else 0
    return refuse


def _factor(link: dict[str, str], where: str) -> float:
    text = (link.get("factor") or "").strip()
    if not text:
        return 1.0
    try:
        factor = float(text)
    except ValueError:
        raise CatalogError(f"{where}: factor must be a number, got {text!r}") from None
    if factor <= 0 or not (link.get("factor_basis") or "").strip():
        raise CatalogError(f"{where}: a factor must be positive and name its factor_basis")
    return factor


def _is_proxy(link: dict[str, str], where: str) -> bool:
    flag = (link.get("proxy") or "").strip().lower()
    if flag not in ("", "yes", "no"):
        raise CatalogError(f"{where}: proxy must be yes or empty, got {flag!r}")
    return flag == "yes"


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
        "bls": bls_quotes(prices_dir),
    }
    refuse = _refuse_by_food(foods_folder)
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
        per_100g, description = quote.usd_per_100g_edible, quote.description
        refuse_pct = refuse.get(link["food_id"], 0) if link["source"] == "bls" else 0
        if refuse_pct:
            per_100g /= 1 - refuse_pct / 100
            description += f", edible share {100 - refuse_pct} % (SR28 refuse {refuse_pct} %)"
        conversion = _factor(link, where)
        if conversion != 1.0:
            per_100g *= conversion
            description += f"; x {conversion:g} ({link['factor_basis'].strip()})"
        proxy = _is_proxy(link, where)
        note = link.get("note", "").strip()
        rows.append([
            link["food_id"],
            f"{per_100g * factor:.6f}",
            PRICE_YEAR,
            description + (f"; {note}" if note else ""),
            "/".join(str(y) for y in quote.data_years),
            f"{factor:.4f}",
            "yes" if proxy else "no",
        ])
    with open(foods_folder / "prices.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(PRICE_COLUMNS)
        writer.writerows(sorted(rows))
    return len(rows)


def proxy_share(foods_folder: Path) -> tuple[int, int]:
    """(foods priced from another food's record, foods priced) in foods/prices.csv."""
    rows = [row for _line, row in read_csv(foods_folder / "prices.csv", PRICE_COLUMNS)]
    return sum(row["proxy"] == "yes" for row in rows), len(rows)
