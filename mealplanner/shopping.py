"""The shopping list: what to buy for a stored plan, in whole store packages, grouped by aisle.

Grams, packages and prices come from planner.purchase.compute_purchases, the arithmetic the
planner's budget rule and the plan's cost use, so the list's total always equals the plan's
cost. Exports (CSV, Markdown, JSON, printable HTML) live in shopping_export.py; the CLI, the
API and the web pages all start from build_shopping_list.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from mealplanner.catalog.records import FoodRecord
from mealplanner.catalog.store import Catalog
from mealplanner.planner.candidates import resolve_one_food
from mealplanner.planner.purchase import Purchase, compute_purchases
from mealplanner.planner.request import PlanRequest
from mealplanner.planner.units import quarters

STAPLE_NOTE = "staple, assumed on hand"


class ShoppingListError(ValueError):
    """The stored plan cannot be turned into a list (a recipe left the database, bad trips)."""


@dataclass(frozen=True)
class Aisle:
    id: str
    label: str


@dataclass(frozen=True)
class ShoppingLine:
    """One food: household grams over the plan (or trip) and the whole packages that cover them."""

    food_id: str
    name: str
    aisle: str
    needed_g: float  # household grams as eaten
    pantry_g: int  # grams taken from what is on hand
    staple: bool  # assumed on hand, never bought
    on_hand: bool  # nothing to buy: staple, or the pantry covers it all
    packages: int
    package_g: int  # as sold (gross)
    package: str  # the word a shopper reads: can, bag, bunch...
    label: str  # "2 x 400 g can", "on hand", "staple, assumed on hand"
    household: str | None  # "3 medium onions", "about 1 1/2 cups"
    price_cents: int
    leftover_g: float  # edible grams bought (or taken from the pantry) and not eaten
    fermented: bool
    live_cultures: bool
    prebiotic: bool
    marks: tuple[str, ...]  # why a gut-health food is on the list
    note: str | None  # "staple, assumed on hand", "use 150 g on hand"

    @property
    def price(self) -> float:
        return round(self.price_cents / 100, 2)


@dataclass(frozen=True)
class ShoppingTrip:
    """One shopping trip: the lines for days first_day..last_day."""

    number: int
    first_day: int
    last_day: int
    lines: tuple[ShoppingLine, ...]
    total_cents: int

    @property
    def total(self) -> float:
        return round(self.total_cents / 100, 2)


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
    trips: tuple[ShoppingTrip, ...]  # one trip unless asked for more

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
    request: PlanRequest, document: dict[str, Any], catalog: Catalog, trips: int = 1
) -> ShoppingList:
    """The list for a plan document and the request that made it.

    `lines` cover the whole plan in one trip: the same compute_purchases call as the plan's
    cost, so `total` equals document["cost"]["total"]; the plan's cost is always the
    single-trip list, never the sum over trips.

    With trips > 1 the days are split into that many contiguous groups (7 days in 2 trips:
    days 1-4 and 5-7). Each trip buys only what its own meals need after using the pantry plus
    whatever earlier trips' packages left over: fish and greens for days 5-7 are bought on the
    second trip, a bag of lentils once. The sum over trips can exceed the single-trip total
    (never fall short of it): carried leftovers are rounded down to whole grams, and when that
    leaves a later trip just short, it buys one more package. Leftovers are carried whatever
    their shelf life: the catalog does not say how long a food keeps.
    """
    days = [day["day"] for day in document["days"]]
    if not 1 <= trips <= max(len(days), 1):
        raise ShoppingListError(f"trips must be between 1 and the plan's {len(days)} days")
    meals_by_day = {day["day"]: _meals_of_day(day, catalog) for day in document["days"]}
    pantry = _pantry(request, catalog)

    def purchases(day_numbers, on_hand):
        meals = [meal for day in day_numbers for meal in meals_by_day[day]]
        return compute_purchases(meals, request.people, on_hand, catalog, request.use_staples)

    whole = purchases(days, pantry)
    lines = _lines(whole, catalog)
    trip_rows = []
    carried = dict(pantry)
    for number, group in enumerate(_split(days, trips), start=1):
        bought = purchases(group, carried)
        carried = _carry_forward(carried, bought)
        trip_lines = _lines(bought, catalog)
        trip_rows.append(ShoppingTrip(number, group[0], group[-1], trip_lines,
                                      sum(line.price_cents for line in trip_lines)))
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


def _pantry(request: PlanRequest, catalog: Catalog) -> dict[str, int]:
    """The request's pantry by food id, resolved as the planner resolves it."""
    pantry: dict[str, int] = {}
    for index, item in enumerate(request.pantry):
        food_id = resolve_one_food(item.food, catalog, f"pantry.{index}.food")
        pantry[food_id] = pantry.get(food_id, 0) + item.grams
    return pantry


def _split(days: list[int], trips: int) -> list[list[int]]:
    """Contiguous groups, the first ones one day longer when the days do not divide evenly."""
    size, extra = divmod(len(days), trips)
    groups, start = [], 0
    for k in range(trips):
        end = start + size + (1 if k < extra else 0)
        groups.append(days[start:end])
        start = end
    return groups


def _carry_forward(on_hand: dict[str, int], bought: list[Purchase]) -> dict[str, int]:
    """What is on hand after a trip's meals: the pantry plus packages, minus what was eaten.

    Whole grams, rounded down, so a later trip never counts on food that is not there.
    """
    left = dict(on_hand)
    for p in bought:
        if p.staple:
            continue
        remaining = on_hand.get(p.food_id, 0) + p.bought_edible_g - p.needed_g
        left[p.food_id] = max(0, math.floor(remaining + 1e-9))
    return left


def _aisles(lines: tuple[ShoppingLine, ...], catalog: Catalog) -> tuple[Aisle, ...]:
    rules = catalog.rules
    used = {line.aisle for line in lines}
    ordered = [a for a in rules.aisles if a in used] + sorted(used - set(rules.aisles))
    return tuple(Aisle(a, rules.aisle_labels.get(a, a.replace("_", " ").capitalize()))
                 for a in ordered)


def _lines(purchases: list[Purchase], catalog: Catalog) -> tuple[ShoppingLine, ...]:
    order = {aisle: i for i, aisle in enumerate(catalog.rules.aisles)}
    lines = [_line(p, catalog.foods[p.food_id]) for p in purchases]
    return tuple(sorted(lines, key=lambda line: (
        order.get(line.aisle, len(order)), line.aisle, line.name.casefold(), line.food_id)))


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
    )


def package_label(packages: int, food: FoodRecord) -> str:
    """"2 x 400 g can"; a package word that states its own size is used as is: "1 x can (425 g)".

    (Cooked foods are weighed cooked, so their package_g is not what the bag says.)
    """
    if "(" in food.package:
        return f"{packages} x {food.package}"
    return f"{packages} x {food.package_g} g {food.package}"


def _marks(food: FoodRecord) -> tuple[str, ...]:
    marks = []
    if food.fermented:
        marks.append("fermented, live cultures" if food.live_cultures else "fermented")
    if food.prebiotic_mg_per_100g > 0:
        marks.append(f"prebiotic {food.prebiotic_mg_per_100g / 1000:g} g/100 g")
    return tuple(marks)


# Household measures ----------------------------------------------------------------------
#
# From the USDA measures of a food, pick one a shopper counts and say how many are needed:
# 1. a measure naming the food itself ("1 leek", "Potato medium", "1 cherry" of cherry
#    tomatoes); "1 lemon yields" of lemon juice counts lemons;
# 2. a size or whole-item word ("medium", "large", "fruit", "each");
# 3. a part a shopper picks up ("clove", "bunch", "head", "stalk", "ear", "block", "fillet");
# 4. a "piece" of the food;
# then, among equals, medium before unsized, large, small and extra large. Items are rounded
# up to whole ones (ignoring the last tenth); foods sold singly (package "each") count the
# packages bought, so the measure agrees with the label ("2 x 200 g each": "2 medium pears").
# Only foods of the fresh aisles are counted (not canned tomatoes), and not when one weighs
# under 10 g (cherries, olives). Without such a measure, a bunch, head or each package is
# counted as sold ("1 bunch parsley", "1 butternut squash"), else cups to the nearest quarter
# up to 4 cups ("about 1 1/2 cups"), else None.
# Slices, wedges, spoons, ounces and servings are never used.

SIZES = {"extra": 4, "jumbo": 4, "medium": 0, "large": 2, "small": 3}  # looked up in this order
SELF_UNITS = {"fruit", "each", "whole"}
PART_UNITS = {"clove", "bunch", "head", "stalk", "spear", "ear", "block", "fillet"}
COUNTED_PACKAGES = {"bunch", "head"}
NEVER = {"slice", "wedge", "strip", "ring", "leaf", "leaves", "ball", "cup", "tbsp", "tsp",
         "tablespoon", "oz", "serving", "nlea", "package", "packet", "dash", "pat", "stick",
         "sprig", "unit", "lb", "grams", "fl", "miniature", "can", "container", "box", "bag",
         "jar", "bottle", "carton", "tub", "pack", "tray"}
COUNT_AISLES = {"produce", "bakery", "dairy_eggs", "fish", "meat"}  # sold as whole things
MIN_ITEM_G = 10
MAX_CUPS = 4


@dataclass(frozen=True)
class _Unit:
    rank: tuple[int, int, int]
    grams: float  # one unit
    size: str | None
    part: str | None  # "clove" for "4 cloves garlic"; None for "3 medium onions"
    noun: str  # what is counted when part is None


def household_measure(food: FoodRecord, grams: float, packages: int) -> str | None:
    """The grams still to get as a household measure a shopper reads, or None (see above)."""
    head = _name_head(food.name)
    units = [u for m in food.measures if (u := _count_unit(m, head)) is not None
             and food.aisle in COUNT_AISLES]
    sold_singly = food.package == "each" and packages > 0  # then count what is bought
    if units:
        unit = min(units, key=lambda u: u.rank)
        count = packages if sold_singly else max(1, math.ceil(round(grams / unit.grams, 1)))
        size = {None: "", "extra": "extra large "}.get(unit.size, f"{unit.size} ")
        if unit.part:
            return f"{count} {size}{_number(unit.part, count)} {head}"
        return f"{count} {size}{_number(unit.noun, count)}"
    if sold_singly:
        return f"{packages} {_number(head, packages)}"
    if food.package in COUNTED_PACKAGES and packages:
        return f"{packages} {_number(food.package, packages)} {head}"
    return _cups(food, grams)


def _count_unit(measure, head: str) -> _Unit | None:
    words = re.findall(r"[a-z]+", re.sub(r"\([^)]*\)", " ", measure.description.lower()))
    if not words or measure.amount <= 0 or measure.grams <= 0:
        return None
    if ({*words} | {_singular(w) for w in words}) & NEVER:
        return None
    first = _singular(words[0])
    size = next((s for s in SIZES if s in words), None)
    size_rank = SIZES[size] if size else 1
    grams = measure.grams / measure.amount
    head_words = [_singular(w) for w in re.findall(r"[a-z]+", head)]
    if first in head_words:
        kind, part = 0, None
        noun = first if "yields" in words else head  # "1 lemon yields" (of lemon juice)
    elif first in SIZES or first in SELF_UNITS:
        kind, part, noun = 1, None, head
    elif first in PART_UNITS:
        kind, part, noun = 2, first, head
    elif first == "piece":
        kind, part, noun = 3, None, head
    else:
        return None
    if part is None and grams < MIN_ITEM_G:
        return None
    return _Unit((kind, size_rank, measure.seq), grams, size, part, noun)


def _cups(food: FoodRecord, grams: float) -> str | None:
    cups = [m for m in food.measures if m.description.lower().startswith("cup") and m.grams > 0]
    if not cups:
        return None
    plain = [m for m in cups if m.description.strip().lower() == "cup"]
    measure = (plain or sorted(cups, key=lambda m: len(m.description)))[0]
    quarter_cups = round(grams / (measure.grams / measure.amount) * 4)
    if not 1 <= quarter_cups <= MAX_CUPS * 4:
        return None
    whole, part = divmod(quarter_cups, 4)
    fraction = {0: "", 1: "1/4", 2: "1/2", 3: "3/4"}[part]
    amount = " ".join(x for x in (str(whole) if whole else "", fraction) if x)
    qualifier = re.sub(r"\([^)]*\)", "", measure.description[3:]).strip(" ,")
    text = f"about {amount} {'cup' if quarter_cups <= 4 else 'cups'}"
    return f"{text}, {qualifier}" if qualifier else text


def _name_head(name: str) -> str:
    """"Salmon fillet, Atlantic (farmed), raw" -> "salmon fillet"."""
    return " ".join(re.sub(r"\([^)]*\)", " ", name).split(",")[0].lower().split())


def _number(phrase: str, count: int) -> str:
    """The phrase with its last word singular for one, plural otherwise (simple English)."""
    *rest, last = phrase.split(" ")
    word = _singular(last) if count == 1 else _plural(last)
    return " ".join([*rest, word])


def _singular(word: str) -> str:
    if word.endswith(("ss", "us")) or len(word) < 4:
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("oes", "ches", "shes", "xes")):
        return word[:-2]
    return word[:-1] if word.endswith("s") else word


def _plural(word: str) -> str:
    if word.endswith("s"):
        return word
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("ch", "sh", "x", "z")) or word in ("potato", "tomato"):
        return word + "es"
    return word + "s"
