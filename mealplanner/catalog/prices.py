"""Derive a price per 100 g edible for every ingredient from USDA ERS and BLS data.

`foods refresh --prices DIR` reads foods/price_links.csv (which ERS or BLS record prices each
food, times which cited conversion factor, and whether the record is of another food: a proxy),
converts each record to USD per 100 g edible and brings it to `PRICE_YEAR` dollars with the
BLS CPI-U "Food at home" series (CUUR0000SAF11), writing foods/prices.csv.

A record priced per pound (pint, dozen) as bought, ERS Fruit and Vegetable Prices or a BLS
average price, is turned into USD per 100 g edible by the grams as eaten one gram of the food's
own package as sold gives (`as_sold_shares`), so that the package costs the record's price times
its weight as bought: a 1000 g cauliflower head costs 2.2046 lb at ERS's price per pound.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from mealplanner.catalog.files import (
    INGREDIENT_COLUMNS,
    PRICE_COLUMNS,
    CatalogError,
    read_cooking_yields,
    read_csv,
    read_pack_yields,
    read_usda_foods,
)
from mealplanner.catalog.price_sources import (  # noqa: F401 (read from here too)
    BLS_AVERAGE_PRICES,
    BLS_UNIT_GRAMS,
    CPI_SERIES,
    ERS_DATA_YEAR,
    GRAMS_PER_PINT,
    GRAMS_PER_POUND,
    PP_NAP_CYCLE,
    PP_NAP_CYCLES,
    PP_NAP_DATA_YEARS,
    PRICE_YEAR,
    PriceQuote,
    bls_quotes,
    cpi_annual_averages,
    ers_produce_quotes,
    pp_nap_quotes,
)
from mealplanner.paths import foods_dir

# A package word that states the package's weight as bought: `bag (454 g dry)`, `can (425 g)`;
# its package_g is then the grams as eaten the package gives (cooked, drained).
STATED_GRAMS = re.compile(r"\((\d+(?:\.\d+)?) g\b")
# The record side of a conversion's factor_basis: `... / SR28 11485 13.59 g`.
BASIS_RECORD_SR28 = re.compile(r"/ SR28 (\d{5}) ")


@dataclass(frozen=True)
class AsSold:
    """Grams as eaten one gram of a food's package as sold gives, and where the figure is from."""

    share: float
    basis: str


def as_sold_shares(foods_folder: Path) -> dict[str, AsSold]:
    """Grams as eaten that one gram of each ingredient's package as sold gives: the figure that
    turns a price per pound as bought into a price per edible gram with the package still
    costing its pounds at that price.

    It is the package's edible grams (`FoodRecord.package_edible_g` before rounding) over its
    weight as bought: the cooked yield of produce weighed cooked and bought raw
    (cooking_yields.csv), else what its refuse as sold leaves (pack_yields.csv, or SR28's
    refuse); a package word stating the weight as bought (`bag (454 g dry)`, `can (425 g)`)
    makes package_g the grams as eaten of that many grams as bought (cooked from dry, drained).
    SR28 entries the folder's usda/nutrients.csv lacks come from the packaged one.
    """
    nutrients = read_usda_foods(foods_dir() / "usda" / "nutrients.csv")
    own = foods_folder / "usda" / "nutrients.csv"
    if own.exists():
        nutrients.update(read_usda_foods(own))
    pack_yields = read_pack_yields(foods_folder / "pack_yields.csv")
    cooking_yields = read_cooking_yields(foods_folder / "cooking_yields.csv")
    shares = {}
    for path in sorted((foods_folder / "ingredients").glob("*.csv")):
        for line, row in read_csv(path, INGREDIENT_COLUMNS):
            food_id, package = row["id"].strip(), row["package"].strip()
            where = f"ingredients/{path.name}:{line}"
            usda = nutrients.get(row["ndb_no"].strip())
            sr28_refuse = usda.refuse_pct if usda else 0
            try:
                package_g = float(row["package_g"])
            except ValueError:
                raise CatalogError(f"{where}: package_g must be a whole number, "
                                   f"got {row['package_g']!r}") from None
            if food_id in cooking_yields:
                per_g = cooking_yields[food_id][1]
                basis = f"{per_g:g} g cooked per g as sold (cooking_yields.csv)"
            else:
                refuse = pack_yields[food_id][1] if food_id in pack_yields else sr28_refuse
                per_g = (100 - refuse) / 100
                if refuse != sr28_refuse:
                    basis = (f"the edible share as sold {per_g:g} (refuse as sold {refuse} %, "
                             f"SR28 {sr28_refuse} %)")
                elif refuse:
                    basis = f"the edible share as sold {per_g:g} (SR28 refuse {refuse} %)"
                else:
                    basis = "the edible share as sold 1 (no refuse)"
            stated = STATED_GRAMS.search(package)
            if stated and float(stated.group(1)) > 0:
                bought_g = float(stated.group(1))
                edible = f"{package_g:g} g" + (f" x {per_g:g}" if per_g != 1 else "")
                share = package_g * per_g / bought_g
                basis = (f"{round(share, 4):g} g as eaten per g as sold "
                         f"({edible} from a {package})")
            else:
                share = per_g
            shares[food_id] = AsSold(share, basis)
    return shares


def _record_share(link: dict[str, str], where: str, links: list[tuple[int, dict[str, str]]],
                  shares: dict[str, AsSold], ndb_by_food: dict[str, str]) -> AsSold:
    """The share as sold of the food a converted as-bought record is of: the food of the folder
    with the SR28 entry on the record side of the factor_basis (the raw twin priced from the
    same record, where there is one). Frozen onions from fresh onions: the fresh onion's pound
    less its SR28 refuse, times the solids factor."""
    match = BASIS_RECORD_SR28.search(link.get("factor_basis") or "")
    if not match:
        raise CatalogError(f"{where}: a conversion of a price per pound as bought must name "
                           "the SR28 entry of the record's food on the record side of its "
                           "factor_basis (`... / SR28 11282 10.89 g`)")
    ndb_no = match.group(1)
    twins = [row["food_id"] for _line, row in links
             if ndb_by_food.get(row["food_id"]) == ndb_no
             and (row["source"], row["key"]) == (link["source"], link["key"])
             and not (row.get("factor") or "").strip()]
    twins += sorted(food_id for food_id, ndb in ndb_by_food.items() if ndb == ndb_no)
    if not twins:
        raise CatalogError(f"{where}: no ingredient has SR28 {ndb_no}, the record side of the "
                           "factor_basis, to give the edible share of the record's pound")
    twin = twins[0]
    return AsSold(shares[twin].share, f"{shares[twin].basis} of {twin}")


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


# price_links.csv sources: the record set each reads, and whether ERS's own yield (not the
# food's share as sold) turns its pound into edible grams.
ERS_SOURCES = {
    "ers_fruit": ("fruit", False),
    "ers_vegetable": ("vegetable", False),
    # the name of ers_vegetable for foods weighed as bought (dry lentils), from before every ERS
    # price was divided by the food's own share as sold: now the same conversion
    "ers_vegetable_as_bought": ("vegetable", False),
    # ERS's yield kept: the package is another form than the record's pound (an ear of corn in
    # its husk, ERS's pound a husked ear); the link's note must say why
    "ers_fruit_yield": ("fruit", True),
    "ers_vegetable_yield": ("vegetable", True),
}


def refresh_prices(foods_folder: Path, prices_dir: Path) -> int:
    """Rewrite foods/prices.csv from foods/price_links.csv; returns the number of foods priced."""
    cpi = cpi_annual_averages(prices_dir / "bls-data.csv")
    if PRICE_YEAR not in cpi:
        raise CatalogError(f"BLS data has no complete {PRICE_YEAR} for {CPI_SERIES}")
    ers = {kind: ers_produce_quotes(prices_dir, kind) for kind in ("fruit", "vegetable")}
    sources = {"pp_nap": pp_nap_quotes(prices_dir), "bls": bls_quotes(prices_dir)}
    sources.update({source: ers[kind] for source, (kind, _) in ERS_SOURCES.items()})
    shares = as_sold_shares(foods_folder)
    ndb_by_food = {row["id"].strip(): row["ndb_no"].strip()
                   for path in sorted((foods_folder / "ingredients").glob("*.csv"))
                   for _line, row in read_csv(path, INGREDIENT_COLUMNS)}
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
        per_100g, description = quote.usd_per_100g, quote.description
        conversion = _factor(link, where)
        note = link.get("note", "").strip()
        if ERS_SOURCES.get(link["source"], ("", False))[1]:
            if not note:
                raise CatalogError(f"{where}: {link['source']} keeps ERS's yield; its note "
                                   "must say why the package is another form than ERS's pound")
            per_100g /= quote.ers_yield
            description += f" as bought over ERS's yield {quote.ers_yield:g}"
        elif quote.as_bought:
            if link["food_id"] not in shares:
                raise CatalogError(f"{where}: food_id {link['food_id']!r} is not an ingredient")
            as_sold = (_record_share(link, where, links, shares, ndb_by_food)
                       if conversion != 1.0 else shares[link["food_id"]])
            per_100g /= as_sold.share
            description += f" as bought over {as_sold.basis}"
        if conversion != 1.0:
            per_100g *= conversion
            description += f"; x {conversion:g} ({link['factor_basis'].strip()})"
        proxy = _is_proxy(link, where)
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
