"""The shopping list as CSV, Markdown, JSON and a printable HTML page, for the CLI, API and web.

JSON (to_json) is a dict, schema "mealplanner/shopping-list/1":

    schema        "mealplanner/shopping-list/1"
    plan_id       string or null
    days, people  integers
    currency      "USD"; every price below is in it
    price_year    integer or null: the year the prices are brought to
    total         number, 2 decimals: the whole list = the plan's checkout cost
    total_cents   integer, the same in cents
    eaten, carried_over, waste   numbers: the food eaten, the leftovers that keep for the next
                  plan, those that spoil (the plan's cost figures, to the cent)
    aisles        [{id, label}] in walking order, only aisles with lines
    lines         [line], by aisle then name: the whole plan
    trips         [{trip, first_day, last_day, first_date, last_date, total, total_cents,
                  lines: [line]}]: the days the plan buys on (a food is bought for no
                  longer than it keeps), each with what it buys; one trip has the same lines;
                  dates ISO, null for a plan stored before plans had dates
    trips_total, trips_total_cents   the sum over trips (equals total)

    line: food_id, name, aisle (id), aisle_label, needed_g (household grams as eaten; on a
          line with parts, the sum of theirs),
          pantry_g (taken from what is on hand), staple, on_hand (nothing to buy), packages,
          package_g (grams as sold), package (word), label ("2 x 400 g can", "on hand"),
          household ("3 medium onions" or null), price, price_cents, leftover_g (edible grams
          not eaten), fermented, live_cultures, prebiotic (booleans), marks (why a gut-health
          food is there), note (string or null), shop_name (the food as bought: "Chickpeas,
          dried", "Lemons"), buy ("Buy 2 x 400 g can — you need 620 g"), need ("you need
          620 g", "for juice (4) and zest (1)" or null), leftover ("about ½ can left", "310 g
          left of a 2,268 g bag" or null), parts ([{food_id, name, part, packages, needed_g,
          price_cents}]: the foods bought on this line when a food's parts are joined to it,
          foods/parts.csv; else empty).

CSV (to_csv): RFC 4180 (comma, double quotes, CRLF), a header row, one row per line and trip
(`days` as numbers, `dates` as ISO dates: 2026-12-07/2026-12-10),
numbers as plain decimals (grams, price in the stated currency), booleans as yes/no.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from mealplanner.formatting import currency_name, money_cents, number, plain
from mealplanner.shopping.build import Aisle, ShoppingLine, ShoppingList

SCHEMA = "mealplanner/shopping-list/1"
CSV_FIELDS = (
    "trip", "days", "dates", "aisle", "food_id", "name", "packages", "package_g", "package",
    "label", "household", "needed_g", "pantry_g", "leftover_g", "price", "currency", "on_hand",
    "staple", "fermented", "live_cultures", "prebiotic", "note", "buy", "leftover",
)
_env = Environment(
    loader=PackageLoader("mealplanner.shopping", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True)
class Section:
    """One shopping trip as printed: a heading (None for a single trip) and aisle groups."""

    number: int
    title: str | None  # "Trip 1: days 1-4"
    groups: list[tuple[Aisle, list[ShoppingLine]]]
    total_cents: int


def sections(shopping: ShoppingList) -> list[Section]:
    if len(shopping.trips) == 1:
        return [Section(1, None, shopping.by_aisle(shopping.lines), shopping.total_cents)]
    return [Section(t.number, f"Trip {t.number}, {t.shopping_day}: for {t.days_text}",
                    shopping.by_aisle(t.lines), t.total_cents) for t in shopping.trips]


def to_json(shopping: ShoppingList) -> dict[str, Any]:
    labels = {a.id: a.label for a in shopping.aisles}

    def lines(rows) -> list[dict[str, Any]]:
        return [_line_json(line, labels) for line in rows]

    return {
        "schema": SCHEMA,
        "plan_id": shopping.plan_id,
        "days": shopping.days,
        "people": shopping.people,
        "currency": shopping.currency,
        "price_year": shopping.price_year,
        "total": shopping.total,
        "total_cents": shopping.total_cents,
        "eaten": round(shopping.eaten_cents / 100, 2),
        "carried_over": round(shopping.carried_over_cents / 100, 2),
        "waste": round(shopping.waste_cents / 100, 2),
        "aisles": [{"id": a.id, "label": a.label} for a in shopping.aisles],
        "lines": lines(shopping.lines),
        "trips": [
            {"trip": t.number, "first_day": t.first_day, "last_day": t.last_day,
             "first_date": _iso(t.first_date), "last_date": _iso(t.last_date),
             "total": t.total, "total_cents": t.total_cents, "lines": lines(t.lines)}
            for t in shopping.trips
        ],
        "trips_total": round(shopping.trips_total_cents / 100, 2),
        "trips_total_cents": shopping.trips_total_cents,
    }


def _line_json(line: ShoppingLine, labels: dict[str, str]) -> dict[str, Any]:
    return {
        "food_id": line.food_id, "name": line.name, "aisle": line.aisle,
        "aisle_label": labels.get(line.aisle, line.aisle), "needed_g": round(line.needed_g, 2),
        "pantry_g": line.pantry_g, "staple": line.staple, "on_hand": line.on_hand,
        "packages": line.packages, "package_g": line.package_g, "package": line.package,
        "label": line.label, "household": line.household, "price": line.price,
        "price_cents": line.price_cents, "leftover_g": line.leftover_g,
        "fermented": line.fermented, "live_cultures": line.live_cultures,
        "prebiotic": line.prebiotic, "marks": list(line.marks), "note": line.note,
        "shop_name": line.shop_name, "buy": line.buy, "need": line.need,
        "leftover": line.leftover,
        "parts": [{"food_id": p.food_id, "name": p.name, "part": p.part,
                   "packages": p.packages, "needed_g": round(p.needed_g, 2),
                   "price_cents": p.price_cents} for p in line.parts],
    }


def to_csv(shopping: ShoppingList) -> str:
    """The CSV text; encode it as UTF-8 (the API sends it as text/csv; charset=utf-8)."""
    out = io.StringIO()
    writer = csv.writer(out)  # excel dialect: RFC 4180 quoting and CRLF line ends
    writer.writerow(CSV_FIELDS)
    labels = {a.id: a.label for a in shopping.aisles}
    for trip in shopping.trips:  # a single trip has exactly the plan's lines
        for line in trip.lines:
            writer.writerow([
                trip.number, _days(trip.first_day, trip.last_day),
                "/".join(dict.fromkeys(_iso(d) for d in (trip.first_date, trip.last_date) if d)),
                labels.get(line.aisle, line.aisle), line.food_id, line.name, line.packages,
                line.package_g, line.package, line.label, line.household or "",
                plain(line.needed_g), line.pantry_g, plain(line.leftover_g),
                plain(line.price_cents / 100, fixed=True), shopping.currency, _yes(line.on_hand),
                _yes(line.staple), _yes(line.fermented), _yes(line.live_cultures),
                _yes(line.prebiotic), line.note or "", line.buy, line.leftover or "",
            ])
    return out.getvalue()


def to_markdown(shopping: ShoppingList) -> str:
    """A checklist that pastes into a notes app: one `- [ ]` per food, under aisle headings."""
    out = ["# Shopping list", "", _md(_summary(shopping)), ""]
    for section in sections(shopping):
        level = "##"
        if section.title:
            out += [f"## {_md(section.title)}", ""]
            level = "###"
        for aisle, lines in section.groups:
            out += [f"{level} {_md(aisle.label)}", ""]
            out += [_md_line(line, shopping.currency) for line in lines]
            out.append("")
        if section.title:
            out += [f"Trip {section.number} total: "
                    f"{money_cents(section.total_cents, shopping.currency)}", ""]
    total = money_cents(shopping.total_cents, shopping.currency)
    out.append(f"**Total: {total}** (the plan's cost)")
    if len(shopping.trips) > 1:
        out += ["", _md(_trips_note(shopping))]
    return "\n".join(out) + "\n"


def _md_line(line: ShoppingLine, currency: str) -> str:
    box = "[x]" if line.on_hand else "[ ]"
    parts = [f"- {box} **{_md(line.shop_name)}**: {_md(line.buy)}",
             money_cents(line.price_cents, currency)]
    if line.note and line.note != line.label:
        parts.append(_md(line.note))
    if line.leftover:
        parts.append(_md(line.leftover))
    parts += [_md(mark) for mark in line.marks]
    return "; ".join(parts)


def to_html(shopping: ShoppingList) -> str:
    """A complete printable page: print stylesheet, checkboxes, no scripts or outside files."""
    return _env.get_template("shopping/list.html").render(
        shopping=shopping,
        sections=sections(shopping),
        summary=_summary(shopping),
        trips_note=_trips_note(shopping) if len(shopping.trips) > 1 else None,
        money=lambda cents: money_cents(cents, shopping.currency),
        number=lambda value: number(value, 0),
    )


def _summary(shopping: ShoppingList) -> str:
    people = f"{shopping.people} {'person' if shopping.people == 1 else 'people'}"
    days = f"{shopping.days} {'day' if shopping.days == 1 else 'days'}"
    year = f" ({shopping.price_year} average prices)" if shopping.price_year else ""
    plan = f"Plan {shopping.plan_id}: " if shopping.plan_id else ""
    return f"{plan}{days}, {people}; prices in {currency_name(shopping.currency)}{year}."


def _trips_note(shopping: ShoppingList) -> str:
    days = ", ".join(t.shopping_day for t in shopping.trips)
    total = money_cents(shopping.trips_total_cents, shopping.currency)
    return (f"Bought in {len(shopping.trips)} trips ({days}): each food is bought for no longer "
            f"than it keeps; the trips add up to {total}.")


def _days(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}-{last}"


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _md(text: str) -> str:
    """Escape the characters Markdown would read as formatting."""
    return "".join(f"\\{c}" if c in "\\`*_[]<>#|" else c for c in text)
