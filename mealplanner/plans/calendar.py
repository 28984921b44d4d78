"""A plan as an iCalendar (RFC 5545) calendar: one event per meal, at the household's meal times.

Built from the stored plan document alone (its days' dates, dishes, portions and minutes), so
the calendar always shows the plan as it is now. Each event's UID is the plan id, the day and
the slot: a calendar app that subscribes sees a swapped meal change in place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from mealplanner.formatting import long_date
from mealplanner.planner.dates import date_of

PRODID = "-//mealplanner//meal plan calendar//EN"
DEFAULT_TIMES = {"breakfast": time(7, 30), "lunch": time(12, 30), "snack": time(16, 0),
                 "dinner": time(19, 0)}
SHORTEST_MEAL_MINUTES = 15  # a dish with no cooking still takes a while to eat
NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
           "eleven", "twelve")
PORTION_WORDS = {0.5: "half a portion", 0.75: "three quarters of a portion", 1.0: "one portion",
                 1.25: "one and a quarter portions", 1.5: "one and a half portions",
                 1.75: "one and three quarter portions", 2.0: "two portions"}


class UndatedPlan(ValueError):
    """The plan was stored before plans had dates: its meals have no day on the calendar."""


@dataclass(frozen=True)
class MealTimes:
    """When each meal starts; how long it lasts (None: the recipe's preparation plus cooking
    time); `tz` None writes floating local times (the same clock time wherever one is)."""

    starts: dict[str, time] = field(default_factory=lambda: dict(DEFAULT_TIMES))
    minutes: int | None = None
    tz: ZoneInfo | None = None


def portion_words(portion: float) -> str:
    """1.5 -> "one and a half portions"; a portion the planner never gives, in figures."""
    return PORTION_WORDS.get(portion, f"{portion:g} portions")


def household_words(people: int) -> str:
    """2 -> "a household of two"; 1 -> "one person"."""
    if people == 1:
        return "one person"
    return f"a household of {NUMBERS[people] if people < len(NUMBERS) else people}"


def meal_description(meal: dict[str, Any], people: int, recipe_url: str | None) -> str:
    """The portion per person and the household in words, the minutes, the recipe's URL."""
    lines = [f"{portion_words(meal['portion']).capitalize()} per person, for "
             f"{household_words(people)}.",
             f"{meal['prep_minutes']} min preparation, {meal['cook_minutes']} min cooking."]
    if recipe_url:
        lines.append(f"Recipe: {recipe_url}")
    return "\n".join(lines)


def plan_calendar(document: dict[str, Any], times: MealTimes,
                  recipe_url: Callable[[str], str | None], stamp: datetime | None = None) -> bytes:
    """The VCALENDAR of a stored plan: one VEVENT per meal; UndatedPlan for a plan without
    dates. `recipe_url(recipe_id)` is the recipe page's address (None: no page)."""
    days = document["days"]
    if not days or date_of(days[0]) is None:
        raise UndatedPlan(document.get("id"))
    stamp = stamp or datetime.now(UTC)
    people = (document.get("request") or {}).get("people") or 1
    calendar = Calendar.new(prodid=PRODID, uid=f"{document['id']}@mealplanner",
                            name=f"Meal plan from {long_date(date_of(days[0]))}")
    for day in days:
        for meal in day["meals"]:
            calendar.add_component(meal_event(document["id"], day, meal, people, times,
                                              recipe_url(meal["recipe_id"]), stamp))
    if times.tz is not None:
        calendar.add_missing_timezones()
    return calendar.to_ical()


def meal_event(plan_id: str, day: dict[str, Any], meal: dict[str, Any], people: int,
               times: MealTimes, url: str | None, stamp: datetime) -> Event:
    """One meal: the dish as SUMMARY, at its slot's time on its day."""
    start = datetime.combine(date_of(day), times.starts.get(meal["slot"],
                                                            DEFAULT_TIMES[meal["slot"]]))
    if times.tz is not None:
        start = start.replace(tzinfo=times.tz)
    minutes = times.minutes or max(SHORTEST_MEAL_MINUTES,
                                   meal["prep_minutes"] + meal["cook_minutes"])
    event = Event.new(uid=f"{plan_id}-day{day['day']}-{meal['slot']}@mealplanner",
                      summary=meal["name"], start=start, end=start + timedelta(minutes=minutes),
                      stamp=stamp, description=meal_description(meal, people, url),
                      categories=[meal["slot"].capitalize()], url=url)
    return event
