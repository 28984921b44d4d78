"""Kitchen measures for recipe lines: '½ medium onion', '1½ tbsp', 'about 1 cup, chopped'.

From the food's USDA household measures (SR28 WEIGHT table), in this order: spoons for small
amounts, whole items for produce, eggs and fish counted one by one (sizes and cloves, as the
shopping list counts them), then cups. Amounts are rounded to quarters (halves for items);
when no measure gives a sensible number only the grams are shown.
"""

from __future__ import annotations

import math
import re

from mealplanner.catalog.records import FoodRecord, Measure

SPOONS = (("tsp", ("tsp", "teaspoon")), ("tbsp", ("tbsp", "tablespoon")))
ITEM_WORDS = ("medium", "large", "small", "clove", "fruit", "whole", "each", "fillet", "stalk",
              "head", "bunch", "ear", "spear")
NOT_ITEMS = ("slice", "wedge", "strip", "ring", "leaf", "leaves", "cup", "tbsp", "tsp",
             "oz", "serving", "nlea", "package", "pat", "stick", "sprig", "lb", "can", "jar",
             "container", "piece", "dash", "pinch")
PARTS = ("clove", "slice", "stalk", "spear", "ear", "head", "bunch", "fillet")
COUNT_AISLES = {"produce", "dairy_eggs", "fish", "meat", "bakery"}
FRACTIONS = {0: "", 1: "¼", 2: "½", 3: "¾"}
MAX_SPOON_G = 45


def _per_unit(measure: Measure) -> float:
    return measure.grams / measure.amount if measure.amount > 0 else 0.0


def _words(measure: Measure) -> list[str]:
    return re.findall(r"[a-z]+", re.sub(r"\([^)]*\)", " ", measure.description.lower()))


def _rounded(count: float, step: int) -> float:
    """count to the nearest 1/step (4: quarters, 2: halves), halves rounding up."""
    return math.floor(count * step + 0.5) / step


def _quantity(count: float, step: int) -> str | None:
    """count rounded to 1/step as '1½'; None when it rounds to 0."""
    value = _rounded(count, step)
    if value <= 0:
        return None
    whole, part = divmod(round(value * 4), 4)
    return (str(whole) if whole else "") + FRACTIONS[part]


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
    head = re.sub(r"\([^)]*\)", " ", food.name).split(",")[0].strip().lower()
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


def _singular(phrase: str) -> str:
    *rest, last = phrase.split(" ")
    if last.endswith("ies"):
        last = last[:-3] + "y"
    elif last.endswith("oes"):
        last = last[:-2]
    elif last.endswith("s") and not last.endswith(("ss", "us")):
        last = last[:-1]
    return " ".join([*rest, last])


def _plural(phrase: str) -> str:
    *rest, last = phrase.split(" ")
    if last.endswith("s"):
        return phrase
    if last.endswith(("ch", "sh", "x")) or last in ("potato", "tomato"):
        last += "es"
    elif last.endswith("y") and last[-2:-1] not in "aeiou":
        last = last[:-1] + "ies"
    else:
        last += "s"
    return " ".join([*rest, last])
