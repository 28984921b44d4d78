"""What a shopper reads on a line: what to buy, how much of it the plan needs, what is left.

Amounts are said in the form the food is bought: a bag of chickpeas bought dry and cooked at
home is "Chickpeas, dried: 1 x 454 g bag, you need 180 g dry (about 430 g cooked)"; what is
left is counted in the package ("about ½ can left") or, for a bag, in its grams ("310 g left
of a 2,268 g bag"). The package word states the dry weight of a bag cooked from dry
(foods/README.md: `bag (454 g dry)`), so nothing here is a list of foods.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mealplanner.catalog.measures import counted_noun, item_noun
from mealplanner.catalog.records import FoodRecord
from mealplanner.formatting import fraction, grams, number

DRY_PACKAGE = re.compile(r"^(?P<word>\w+) \((?P<dry_g>\d+) g dry\)$")
SOLD_BY_WEIGHT = ("bag",)  # what is left of these is said in grams, not in a share of one
DASH = " \u2014 "


@dataclass(frozen=True)
class Bought:
    """A food as it is bought: its shop name, package words and grams as sold per package."""

    name: str  # "Chickpeas, dried"
    package: str  # "bag"
    package_g: int  # 454: as sold (dry, for a bag cooked from dry)
    as_sold_per_eaten: float  # grams as sold per gram as eaten (dry per cooked)
    dry: bool  # bought dry, eaten cooked

    @property
    def sold_singly(self) -> bool:
        return self.package == "each"


def bought(food: FoodRecord) -> Bought:
    match = DRY_PACKAGE.match(food.package)
    if match:
        dry_g = int(match["dry_g"])
        return Bought(_dried(food.name), match["word"], dry_g, dry_g / food.package_g, True)
    edible = food.package_edible_g or food.package_g
    return Bought(food.name, food.package, food.package_g, food.package_g / edible, False)


def _dried(name: str) -> str:
    """ "Chickpeas, cooked" -> "Chickpeas, dried"."""
    head = re.sub(r",?\s*cooked$", "", name.strip())
    return f"{head}, dried"


def packages_text(food: FoodRecord, packages: int) -> str:
    """ "2 x 400 g can", "5 lemons", "1 x 454 g bag", "1 x can (425 g)"."""
    form = bought(food)
    if form.sold_singly:
        return f"{packages} {item_noun(food, packages)}"
    if "(" in form.package:
        return f"{packages} x {form.package}"
    return f"{packages} x {number(form.package_g, 0)} g {form.package}"


def need_text(food: FoodRecord, eaten_g: float) -> str:
    """ "you need 620 g"; bought dry: "you need 180 g dry (about 430 g cooked)"."""
    form = bought(food)
    if form.dry:
        dry_g = eaten_g * form.as_sold_per_eaten
        return f"you need {grams(dry_g)} dry (about {grams(eaten_g)} cooked)"
    cooked = " cooked" if food.cooked_g_per_g_as_sold is not None else ""
    return f"you need {grams(eaten_g)}{cooked}"


def leftover_text(food: FoodRecord, leftover_g: float) -> str | None:
    """What is left after the plan, in the package it was bought in; None when nothing is."""
    if leftover_g <= 0:
        return None
    form = bought(food)
    as_sold = leftover_g * form.as_sold_per_eaten
    if form.dry or form.package in SOLD_BY_WEIGHT:
        dry = " dry" if form.dry else ""
        return (f"{grams(as_sold)}{dry} left of a {number(form.package_g, 0)} g "
                f"{form.package}")
    share = as_sold / form.package_g
    shown = fraction(share)
    if shown == "0":
        return f"less than ¼ {_unit(food, form, 1)} left"
    return f"about {shown} {_unit(food, form, share)} left"


def _unit(food: FoodRecord, form: Bought, count: float) -> str:
    if form.sold_singly:
        return item_noun(food, count)
    word = re.sub(r"\s*\(.*\)$", "", form.package)
    return counted_noun(word, count)


def buy_text(packages: str, need: str | None) -> str:
    """ "Buy 2 x 400 g can — you need 620 g"."""
    return f"Buy {packages}" + (f"{DASH}{need}" if need else "")


def package_label(packages: int, food: FoodRecord) -> str:
    """"2 x 400 g can"; a package word that states its own size is used as is: "1 x can (425 g)".

    Legumes and grains cooked from dry are weighed cooked, so their package_g is not what the
    bag says and the word says it: "1 x bag (454 g dry)". Produce weighed cooked and bought raw
    says what one package gives cooked: "1 x 1000 g head (about 893 g cooked)".
    """
    if "(" in food.package:
        return f"{packages} x {food.package}"
    label = f"{packages} x {food.package_g} g {food.package}"
    if food.cooked_g_per_g_as_sold is not None and food.package_edible_g != food.package_g:
        label += f" (about {food.package_edible_g} g cooked)"
    return label
