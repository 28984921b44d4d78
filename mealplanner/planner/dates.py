"""Plan days on the calendar: the first day a plan starts on, and each day's date and name.

The planner counts days 1..n and never needs dates; the request carries `start_date` and the
plan document names each day's `date` and `weekday` (report.py), so pages, the shopping list
and the calendar export read them from one place. Plans stored before dates have none: their
days are shown as "Day 3".
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from mealplanner.formatting import long_date

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def today() -> date:
    """The server's date (one seam for tests)."""
    return date.today()


def default_start_date(on: date | None = None) -> date:
    """The next Monday on or after tomorrow: a week is planned ahead, never for a day already
    begun (asked on a Monday, the answer is the Monday after)."""
    tomorrow = (on or today()) + timedelta(days=1)
    return tomorrow + timedelta(days=-tomorrow.weekday() % 7)


def a_year_from(on: date, years: int) -> date:
    """The same day `years` later (or earlier); 29 February becomes the 28th."""
    try:
        return on.replace(year=on.year + years)
    except ValueError:
        return on.replace(year=on.year + years, day=28)


def start_date_problem(start: date, on: date | None = None) -> str | None:
    """Why a start date is refused (more than a year before or after today), else None."""
    now = on or today()
    earliest, latest = a_year_from(now, -1), a_year_from(now, 1)
    if earliest <= start <= latest:
        return None
    return (f"must be within a year of today: {earliest.isoformat()} to "
            f"{latest.isoformat()}")


def day_dates(start: date | None, days: int) -> list[dict[str, str | None]]:
    """{date, weekday} of days 1..days from `start` (None: the plan has no dates)."""
    if start is None:
        return [{"date": None, "weekday": None} for _ in range(days)]
    dates = [start + timedelta(days=n) for n in range(days)]
    return [{"date": d.isoformat(), "weekday": WEEKDAYS[d.weekday()]} for d in dates]


def day_of(document: dict[str, Any], day: int) -> dict[str, Any] | None:
    """The plan document's row for `day`, or None."""
    return next((row for row in document.get("days") or [] if row["day"] == day), None)


def date_of(row: dict[str, Any] | None) -> date | None:
    """The date of a day of a plan document (None: a plan stored before dates)."""
    text = (row or {}).get("date")
    return date.fromisoformat(text) if text else None


def day_name(document: dict[str, Any], day: int) -> str:
    """How a page names a day of the plan: "Monday 7 December", or "Day 3" when undated."""
    when = date_of(day_of(document, day))
    return long_date(when) if when else f"Day {day}"


def next_start_date(previous: dict[str, Any]) -> date | None:
    """The day after an earlier plan's last day, when it has dates."""
    days = previous.get("days") or []
    last = date_of(days[-1]) if days else None
    return last + timedelta(days=1) if last else None
