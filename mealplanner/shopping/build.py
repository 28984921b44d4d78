"""The shopping list: what to buy for a stored plan, in whole store packages, grouped by aisle.

Grams, packages and prices come from planner.purchase.compute_purchases, the arithmetic the
planner's budget rule and the plan's cost use, so the list's total always equals the plan's
cost. Exports (CSV, Markdown, JSON, printable HTML) live in shopping/export.py; the CLI, the
API and the web pages all start from build_shopping_list (through plans.service for a stored
plan). Household measures ("3 medium onions") come from catalog/measures.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from mealplanner.catalog.measures import household_measure
from mealplanner.catalog.records import FoodRecord
from mealplanner.catalog.store import Catalog
from mealplanner.formatting import count, date_span, label, long_date
from mealplanner.formatting import number as decimal
from mealplanner.planner.candidates import resolve_pantry
from mealplanner.planner.dates import date_of
from mealplanner.planner.purchase import Purchase, compute_purchases
from mealplanner.planner.request import PlanRequest
from mealplanner.planner.units import quarters
from mealplanner.shopping.lines import ShoppingLine
from mealplanner.shopping.parts import merge_parts
from mealplanner.shopping.wording import (
    bought,
    buy_text,
    leftover_text,
    need_text,
    package_label,
    packages_text,
)

STAPLE_NOTE = "staple, assumed on hand"


class ShoppingListError(ValueError):
    """The stored plan cannot be turned into a list (a recipe left the database, bad trips)."""


class TripsOutOfRange(ShoppingListError):
    """A number of trips other than the plan's own: the asker's mistake."""

    def __init__(self, days: list[int], trips: int) -> None:
        when = ", ".join(f"day {d}" for d in days)
        super().__init__(f"this plan is bought in {count(len(days), 'trip')} ({when}): how long "
                         f"its foods keep sets them; leave trips out or use {len(days)}, "
                         f"not {trips}")


@dataclass(frozen=True)
class Aisle:
    id: str
    label: str


@dataclass(frozen=True)
class ShoppingTrip:
    """One shopping trip: the lines for days first_day..last_day."""

    number: int
    first_day: int
    last_day: int
    lines: tuple[ShoppingLine, ...]
    total_cents: int
    first_date: date | None = None  # None: a plan stored before plans had dates
    last_date: date | None = None

    @property
    def total(self) -> float:
        return round(self.total_cents / 100, 2)

    @property
    def shopping_day(self) -> str:
        """The day of the trip: "Monday 7 December", or "day 1" for a plan without dates."""
        return long_date(self.first_date) if self.first_date else f"day {self.first_day}"

    @property
    def days_text(self) -> str:
        """The days it buys for: "Monday 7 - Thursday 10 December", or "days 1-4"."""
        if self.first_date and self.last_date:
            return date_span(self.first_date, self.last_date)
        if self.first_day == self.last_day:
            return f"day {self.first_day}"
        return f"days {self.first_day}-{self.last_day}"


@dataclass(frozen=True)
class ShoppingList:
    """The plan's list bought in one trip (`lines`, `total`) and, split by day, `trips`."""

    plan_id: str | None
    days: int
    people: int
    currency: str
    price_year: int | None
    aisles: tuple[Aisle, ...]  # walking order of constraints/aisles.toml
    lines: tuple[ShoppingLine, ...]  # by aisle, then name
    total_cents: int
    trips: tuple[ShoppingTrip, ...]  # the days the plan buys on
    # what becomes of the money, as the plan's cost reports it (planner/purchase.py)
    eaten_cents: float = 0.0
    carried_over_cents: float = 0.0
    waste_cents: float = 0.0

    @property
    def total(self) -> float:
        return round(self.total_cents / 100, 2)

    @property
    def trips_total_cents(self) -> int:
        return sum(trip.total_cents for trip in self.trips)

    def by_aisle(self, lines: tuple[ShoppingLine, ...]) -> list[tuple[Aisle, list[ShoppingLine]]]:
        """Lines grouped under their aisle, in walking order (lines are already sorted)."""
        return [(a, [line for line in lines if line.aisle == a.id]) for a in self.aisles
                if any(line.aisle == a.id for line in lines)]


def build_shopping_list(
    request: PlanRequest, document: dict[str, Any], catalog: Catalog, trips: int | None = None
) -> ShoppingList:
    """The list for a plan document and the request that made it.

    `lines` cover the whole plan: the same compute_purchases call as the plan's cost, so
    `total` equals document["cost"]["checkout"]. `trips` are the days the plan buys on: a food
    is bought for as many days as it keeps (planner/purchase.py), so fish for day 5 is bought
    on a trip close to day 5 and a bag of lentils once; each trip lists what it buys, and the
    trips add up to the whole list. `trips`, when given, must be the plan's own number.
    """
    days = [day["day"] for day in document["days"]]
    dated = {day["day"]: date_of(day) for day in document["days"]}
    meals = [(day["day"], rid, q) for day in document["days"]
             for rid, q in _meals_of_day(day, catalog)]
    whole = compute_purchases(meals, request.people, resolve_pantry(request, catalog), catalog,
                              request.use_staples, len(days))
    lines = _lines(whole, catalog)
    trip_days = sorted({day for p in whole for day, _n in p.buys}) or days[:1]
    if trips is not None and trips != len(trip_days):
        raise TripsOutOfRange(trip_days, trips)
    trip_rows = []
    for number, day in enumerate(trip_days, start=1):
        last = trip_days[number] - 1 if number < len(trip_days) else days[-1]
        bought = [part for p in whole if (part := p.bought_on(day))]
        trip_lines = _lines(bought, catalog)
        trip_rows.append(ShoppingTrip(number, day, last, trip_lines,
                                      sum(line.price_cents for line in trip_lines),
                                      dated.get(day), dated.get(last)))
    budget = request.budget
    cost = document.get("cost") or {}
    return ShoppingList(
        plan_id=document.get("id"),
        days=len(days),
        people=request.people,
        currency=cost.get("currency") or (budget.currency if budget else "USD"),
        price_year=max((catalog.foods[p.food_id].price_year for p in whole), default=None),
        aisles=_aisles(lines, catalog),
        lines=lines,
        total_cents=sum(line.price_cents for line in lines),
        trips=tuple(trip_rows),
        eaten_cents=sum(p.eaten_cents for p in whole),
        carried_over_cents=sum(p.carried_cents for p in whole),
        waste_cents=sum(p.waste_cents for p in whole),
    )


def _meals_of_day(day: dict[str, Any], catalog: Catalog) -> list[tuple[str, int]]:
    meals = []
    for meal in day["meals"]:
        if meal["recipe_id"] not in catalog.recipes:
            raise ShoppingListError(
                f"day {day['day']}: recipe {meal['recipe_id']!r} is no longer in the database"
            )
        meals.append((meal["recipe_id"], quarters(meal["portion"])))
    return meals


def _aisles(lines: tuple[ShoppingLine, ...], catalog: Catalog) -> tuple[Aisle, ...]:
    rules = catalog.rules
    used = {line.aisle for line in lines}
    ordered = [a for a in rules.aisles if a in used] + sorted(used - set(rules.aisles))
    return tuple(Aisle(a, rules.aisle_labels.get(a, label(a)))
                 for a in ordered)


def _lines(purchases: list[Purchase], catalog: Catalog) -> tuple[ShoppingLine, ...]:
    order = {aisle: i for i, aisle in enumerate(catalog.rules.aisles)}
    lines = merge_parts([_line(p, catalog.foods[p.food_id]) for p in purchases], catalog)
    return tuple(sorted(lines, key=lambda line: (
        order.get(line.aisle, len(order)), line.aisle, line.shop_name.casefold(),
        line.food_id)))


def _line(p: Purchase, food: FoodRecord) -> ShoppingLine:
    on_hand = p.packages == 0
    if p.staple:
        label, note = STAPLE_NOTE, STAPLE_NOTE
    elif on_hand:
        label, note = "on hand", f"use {p.pantry_g} g on hand"
    else:
        label = package_label(p.packages, food)
        note = f"use {p.pantry_g} g on hand" if p.pantry_g else None
    to_get = 0.0 if p.staple else max(0.0, p.needed_g - p.pantry_g)
    if p.staple:
        need, buy = None, STAPLE_NOTE.capitalize()
    elif on_hand:
        need = need_text(food, p.needed_g)
        buy = buy_text("nothing", need).replace("Buy nothing", "On hand")
    else:
        need = need_text(food, to_get)
        buy = buy_text(packages_text(food, p.packages), need)
    return ShoppingLine(
        food_id=food.id,
        name=food.name,
        aisle=food.aisle,
        needed_g=p.needed_g,
        pantry_g=p.pantry_g,
        staple=p.staple,
        on_hand=on_hand,
        packages=p.packages,
        package_g=food.package_g,
        package=food.package,
        label=label,
        household=household_measure(food, to_get, p.packages) if to_get > 0 else None,
        price_cents=p.cost_cents,
        leftover_g=p.leftover_g,
        fermented=food.fermented,
        live_cultures=food.live_cultures,
        prebiotic=food.prebiotic_mg_per_100g > 0,
        marks=_marks(food),
        note=note,
        shop_name=bought(food).name,
        buy=buy,
        need=need,
        leftover=None if on_hand else leftover_text(food, p.leftover_g),
    )


def _marks(food: FoodRecord) -> tuple[str, ...]:
    marks = []
    if food.fermented:
        marks.append("fermented, live cultures" if food.live_cultures else "fermented")
    if food.prebiotic_mg_per_100g > 0:
        marks.append(f"prebiotic {decimal(food.prebiotic_mg_per_100g / 1000, 2)} g/100 g")
    return tuple(marks)
