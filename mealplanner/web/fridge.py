"""The fridge sheet: the whole plan on one printed page, days by meals, each dish with its
portion and time, for the kitchen wall rather than the screen."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask import render_template

from mealplanner.planner.dates import day_name
from mealplanner.rules import MEALS
from mealplanner.web.blueprint import bp
from mealplanner.web.plans import stored_plan

# "Adas (Moroccan lentils in spiced tomato sauce) with bread": the words in brackets explain
# the dish's own name; on the sheet they go in small type under it.
GLOSS = re.compile(r"\s*\(([^()]*)\)")


@dataclass(frozen=True)
class SheetMeal:
    dish: str  # "Adas with bread"
    gloss: str | None  # "Moroccan lentils in spiced tomato sauce"
    portion: float  # each person's, 0.5 to 2
    minutes: int  # preparation plus cooking


@dataclass(frozen=True)
class SheetDay:
    day: int
    name: str  # "Monday 7 December" ("Day 3" for a plan stored before dates)
    meals: dict[str, SheetMeal]  # by slot


def split_name(name: str) -> tuple[str, str | None]:
    """A dish's name and the explanation in its brackets, if any."""
    glosses = GLOSS.findall(name)
    dish = GLOSS.sub("", name).strip()
    return (dish, "; ".join(glosses)) if glosses and dish else (name, None)


def sheet_meal(meal: dict[str, Any]) -> SheetMeal:
    dish, gloss = split_name(meal["name"])
    return SheetMeal(dish, gloss, meal["portion"],
                     meal.get("prep_minutes", 0) + meal.get("cook_minutes", 0))


def sheet(document: dict[str, Any]) -> tuple[list[str], list[SheetDay]]:
    """The slots planned, in meal order, and each day's meals by slot."""
    planned = {meal["slot"] for day in document["days"] for meal in day["meals"]}
    days = [SheetDay(day["day"], day_name(document, day["day"]),
                     {meal["slot"]: sheet_meal(meal) for meal in day["meals"]})
            for day in document["days"]]
    return [slot for slot in MEALS if slot in planned], days


@bp.get("/plans/<plan_id>/fridge")
def fridge(plan_id: str):
    """The week at a glance, to print on one page (A4 or Letter) and pin up."""
    _request, document = stored_plan(plan_id)
    slots, days = sheet(document)
    return render_template("web/fridge.html", plan=document, slots=slots, days=days)
