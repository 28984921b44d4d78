"""Reading a plan document's meals: whether it has one, and what it is called."""

from __future__ import annotations


def meal_problem(document: dict, day: int, slot: str) -> tuple[str, str] | None:
    """(field, message) when the plan has no such meal, else None."""
    days = {d["day"]: [m["slot"] for m in d["meals"]] for d in document["days"]}
    if day not in days:
        return "day", f"the plan has days 1-{len(days)}; there is no day {day}"
    if slot not in days[day]:
        return "slot", f"day {day} has no {slot}; its meals are: {', '.join(days[day])}"
    return None


def meal_name(document: dict, day: int, slot: str) -> str | None:
    """The name of the plan's meal at (day, slot), or None."""
    for row in document["days"]:
        for meal in row["meals"]:
            if row["day"] == day and meal["slot"] == slot:
                return meal["name"]
    return None
