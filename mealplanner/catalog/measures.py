"""Household measures of food amounts, from the food's USDA measures (SR28 WEIGHT table).

Two readers, one set of word rules:
- `kitchen_measure` for a cook (recipe lines): spoons for small amounts, whole items for
  produce, eggs and fish counted one by one, then cups; rounded to quarters (halves for items):
  "½ medium onion", "1½ tbsp", "about 1 cup, chopped".
- `household_measure` for a shopper (shopping-list lines): whole things rounded up, or what
  is sold as a bunch or head, else cups: "3 medium onions", "4 cloves garlic",
  "about 1½ cups".
Both count whole things only for the foods of COUNT_AISLES; without a sensible measure they
give None and only grams are shown.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from mealplanner.catalog.records import FoodRecord, Measure

COUNT_AISLES = {"produce", "bakery", "dairy_eggs", "fish", "meat"}  # sold as whole things


def _per_unit(measure: Measure) -> float:
    return measure.grams / measure.amount if measure.amount > 0 else 0.0


def _words(measure: Measure) -> list[str]:
    """The measure's words, lower case, without its parenthesised notes."""
    return re.findall(r"[a-z]+", re.sub(r"\([^)]*\)", " ", measure.description.lower()))


# For a cook ---------------------------------------------------------------------------------

SPOONS = (("tsp", ("tsp", "teaspoon")), ("tbsp", ("tbsp", "tablespoon")))
ITEM_WORDS = ("medium", "large", "small", "clove", "fruit", "whole", "each", "fillet", "stalk",
              "head", "bunch", "ear", "spear")
NOT_ITEMS = ("slice", "wedge", "strip", "ring", "leaf", "leaves", "cup", "tbsp", "tsp",
             "oz", "serving", "nlea", "package", "pat", "stick", "sprig", "lb", "can", "jar",
             "container", "piece", "dash", "pinch")
PARTS = ("clove", "slice", "stalk", "spear", "ear", "head", "bunch", "fillet")
KITCHEN_FRACTIONS = {0: "", 1: "¼", 2: "½", 3: "¾"}
MAX_SPOON_G = 45


def _rounded(count: float, step: int) -> float:
    """count to the nearest 1/step (4: quarters, 2: halves), halves rounding up."""
    return math.floor(count * step + 0.5) / step


def _quantity(count: float, step: int) -> str | None:
    """count rounded to 1/step as '1½'; None when it rounds to 0."""
    value = _rounded(count, step)
    if value <= 0:
        return None
    whole, part = divmod(round(value * 4), 4)
    return (str(whole) if whole else "") + KITCHEN_FRACTIONS[part]


def _spoon(food: FoodRecord, grams: float) -> str | None:
    per = {}
    for name, words in SPOONS:
        measure = next((m for m in food.measures if _words(m)[:1] and _words(m)[0] in words
                        and _per_unit(m) > 0), None)
        if measure is not None:
            per[name] = _per_unit(measure)
    if "tsp" not in per and "tbsp" in per:
        per["tsp"] = per["tbsp"] / 3
    for name in ("tbsp", "tsp"):
        if name not in per:
            continue
        count = grams / per[name]
        if name == "tbsp" and count < 1 and "tsp" in per:
            continue  # under a tablespoon: teaspoons
        text = _quantity(count, 4 if count < 1 else 2)
        if text:
            return f"{text} {name}"
    return None


def _item(food: FoodRecord, grams: float) -> str | None:
    head = _name_head(food.name)
    head_words = {_singular(w) for w in head.split()}
    allowed = ITEM_WORDS + (("slice",) if food.aisle == "bakery" else ())
    candidates = []
    for measure in food.measures:
        words = _words(measure)
        if not words or _per_unit(measure) <= 0:
            continue
        first = _singular(words[0])
        if set(words) & set(NOT_ITEMS) - set(allowed):
            continue
        if first in head_words:
            rank = 0  # "1 cherry", "1 lemon yields", "Potato medium"
        elif first in allowed:
            rank = 1 if "medium" in words or first in ("clove", "fruit", "slice") else 2
        else:
            continue
        candidates.append((rank, measure.seq, measure, words))
    if not candidates:
        return None
    _rank, _seq, measure, words = min(candidates, key=lambda c: c[:2])
    count = grams / _per_unit(measure)
    if not 0.2 <= count <= 12:
        return None
    step = 4 if count < 1 else (2 if count < 3 else 1)
    text = _quantity(count, step)
    one = _rounded(count, step) <= 1
    if "yields" in words:  # "1 lemon yields" of lemon juice: count lemons
        return f"juice of {text} {words[0] if one else _plural(words[0])}"
    size = next((w for w in ("medium", "large", "small") if w in words), "")
    if words[0] in PARTS and words[0] not in head_words:  # "2 cloves garlic", "3 stalks celery"
        part = words[0] if one else _plural(words[0])
        return f"{text} {size + ' ' if size else ''}{part} {head}"
    noun = _singular(head) if one else _plural(head)
    return f"{text} {size + ' ' if size else ''}{noun}"


def _cup(food: FoodRecord, grams: float) -> str | None:
    cups = [m for m in food.measures if _words(m)[:1] == ["cup"] and _per_unit(m) > 0]
    if not cups:
        return None
    measure = min(cups, key=lambda m: (len(m.description), m.seq))
    count = grams / _per_unit(measure)
    if not 0.2 <= count <= 8:
        return None
    text = _quantity(count, 4)
    plural = _rounded(count, 4) > 1
    qualifier = re.sub(r"\([^)]*\)", "", measure.description[3:]).strip(" ,")
    unit = "cups" if plural else "cup"
    return f"about {text} {unit}" + (f", {qualifier}" if qualifier else "")


def kitchen_measure(food: FoodRecord, grams: float) -> str | None:
    """The amount as a cook measures it, or None when only grams make sense."""
    if grams <= 0:
        return None
    if food.aisle in COUNT_AISLES and (item := _item(food, grams)):
        return item
    if grams <= MAX_SPOON_G and (spoon := _spoon(food, grams)):
        return spoon
    return _cup(food, grams)


# For a shopper ------------------------------------------------------------------------------
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
# up to 4 cups ("about 1½ cups"), else None.
# Slices, wedges, spoons, ounces and servings are never used.

SIZES = {"extra": 4, "jumbo": 4, "medium": 0, "large": 2, "small": 3}  # looked up in this order
SELF_UNITS = {"fruit", "each", "whole"}
PART_UNITS = {"clove", "bunch", "head", "stalk", "spear", "ear", "block", "fillet"}
COUNTED_PACKAGES = {"bunch", "head"}
NEVER = {"slice", "wedge", "strip", "ring", "leaf", "leaves", "ball", "cup", "tbsp", "tsp",
         "tablespoon", "oz", "serving", "nlea", "package", "packet", "dash", "pat", "stick",
         "sprig", "unit", "lb", "grams", "fl", "miniature", "can", "container", "box", "bag",
         "jar", "bottle", "carton", "tub", "pack", "tray"}
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
    words = _words(measure)
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
    amount = (str(whole) if whole else "") + KITCHEN_FRACTIONS[part]
    qualifier = re.sub(r"\([^)]*\)", "", measure.description[3:]).strip(" ,")
    text = f"about {amount} {'cup' if quarter_cups <= 4 else 'cups'}"
    return f"{text}, {qualifier}" if qualifier else text


# Words ----------------------------------------------------------------------------------------

def item_noun(food: FoodRecord, count: float) -> str:
    """What one of a food sold singly is called, for `count` of them: lemon, 1½ lemons."""
    return counted_noun(_name_head(food.name), count)


def counted_noun(phrase: str, count: float) -> str:
    """The phrase singular for one (or less), plural otherwise: can, 2 cans, 1½ bunches."""
    return _number(phrase, 1 if count <= 1 else 2)


def _name_head(name: str) -> str:
    """"Salmon fillet, Atlantic (farmed), raw" -> "salmon fillet"."""
    return " ".join(re.sub(r"\([^)]*\)", " ", name).split(",")[0].lower().split())


def _number(phrase: str, count: int) -> str:
    """The phrase with its last word singular for one, plural otherwise (simple English)."""
    *rest, last = phrase.split(" ")
    word = _singular(last) if count == 1 else _plural(last)
    return " ".join([*rest, word])


def _singular(word: str) -> str:
    """One word in the singular; the last word of a phrase ("medium tomatoes")."""
    if " " in word:
        *rest, last = word.split(" ")
        return " ".join([*rest, _singular(last)])
    if word.endswith(("ss", "us")) or len(word) < 4:
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("oes", "ches", "shes", "xes")):
        return word[:-2]
    return word[:-1] if word.endswith("s") else word


def _plural(word: str) -> str:
    """One word in the plural; the last word of a phrase."""
    if " " in word:
        *rest, last = word.split(" ")
        return " ".join([*rest, _plural(last)])
    if word.endswith("s"):
        return word
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("ch", "sh", "x", "z")) or word in ("potato", "tomato"):
        return word + "es"
    return word + "s"
