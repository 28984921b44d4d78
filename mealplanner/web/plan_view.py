"""What the plan page shows, computed from the stored plan document (planner/report.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mealplanner.catalog.store import Catalog
from mealplanner.formatting import count, date_span, number, percent, short_date
from mealplanner.planner.blockers import plain
from mealplanner.planner.dates import date_of, day_name
from mealplanner.rules import MEALS
from mealplanner.rules.day_exceptions import limit_words
from mealplanner.rules.requirements import ENERGY, FERMENTED, FIBER, PREBIOTIC
from mealplanner.web.charts import Chart, DayLabel, bar_chart
from mealplanner.web.limits import limit_rows
from mealplanner.web.reasons import badges


@dataclass(frozen=True)
class ChecklistRow:
    label: str
    value: str  # "1 of at least 0.9"
    unit: str  # "servings in 2 days"
    status: str  # met, missed, skipped
    source: str
    note: str | None = None


def charts(document: dict[str, Any]) -> list[Chart]:
    """Energy, fiber, prebiotic grams and fermented servings per day against the targets."""
    t = document["targets"]
    days = document["days"]

    def values(name):
        return [(d["day"], d["totals"].get(name, 0.0)) for d in days]

    labels = {d["day"]: day_label(document, d) for d in days}
    excepted = document.get("day_exceptions") or []

    def day_limits(requirement: str, low: float | None, high: float | None = None):
        """The days the person loosened the chart's rule on, with that day's (low, high)."""
        return {e["day"]: (e["limit"].get("min", low), e["limit"].get("max", high))
                for e in excepted if e["requirement"] == requirement}

    energy, fiber = t["energy_kcal"], t["fiber_g"]
    prebiotic, fermented = t["prebiotic_g"], t["fermented_servings"]
    return [
        bar_chart("energy", "Energy", "kcal", values("energy_kcal"), energy["min"],
                  energy["max"], digits=0,
                  target_text=f"{number(energy['min'], 0)}-{number(energy['max'], 0)} kcal",
                  labels=labels, day_limits=day_limits(ENERGY, energy["min"], energy["max"])),
        bar_chart("fiber", "Fiber", "g", values("fiber_g"), fiber["min"],
                  target_text=f"at least {number(fiber['min'])} g"
                              + (f", at most {number(fiber['max'])} g" if fiber.get("max")
                                 else ""), labels=labels,
                  day_limits=day_limits(FIBER, fiber["min"])),
        bar_chart("prebiotic", "Prebiotic fiber", "g", values("prebiotic_g"), prebiotic["min"],
                  target_text=f"at least {number(prebiotic['min'])} g", labels=labels,
                  day_limits=day_limits(PREBIOTIC, prebiotic["min"])),
        bar_chart("fermented", "Fermented servings", "servings", values("fermented_servings"),
                  fermented["min"], digits=2, unit_one="serving",
                  target_text=f"at least "
                              f"{count(fermented['min'], 'live-culture serving', digits=2)}",
                  labels=labels, day_limits=day_limits(FERMENTED, fermented["min"])),
    ]


def day_label(document: dict[str, Any], day: dict[str, Any]) -> DayLabel:
    """A chart's names for one day of the plan: by its date, or its number when undated."""
    when = date_of(day)
    if when is None:
        return DayLabel.numbered(day["day"])
    return DayLabel(short_date(when), str(when.day), day_name(document, day["day"]))


def checklist(document: dict[str, Any], days: int) -> list[ChecklistRow]:
    """The Mediterranean rules as 'fish 3.0 of at least 3 servings a week' lines."""
    period = "a week" if days == 7 else f"in {days} day{'s' if days != 1 else ''}"
    rows = []
    for row in document.get("mediterranean", []):
        status = "skipped" if row.get("skipped") else ("met" if row.get("met") else "missed")
        note = row.get("reason") if row.get("skipped") else None
        if row.get("skipped"):  # no amount to show: the rule does not apply
            rows.append(ChecklistRow(row["label"], "", "", status, row["source"], note))
            continue
        if row["kind"] == "min_share":
            value = f"{percent(row['share'])} of added fat (at least {percent(row['required'])})"
            rows.append(ChecklistRow(row["label"], value, "", status, row["source"], note))
            continue
        bound = "at least" if row["kind"].startswith("min") else "at most"
        if row.get("per") == "day":
            which = "lowest" if bound == "at least" else "highest"
            value = (f"{number(row['servings'])} on the {which} day, {bound} "
                     f"{number(row['required'], 2)}")
            unit = "servings a day"
        else:
            value = f"{number(row['servings'])}, {bound} {number(row['required'], 2)}"
            unit = f"servings {period}"
        excepted = [f"{day_name(document, e['day'])}: "  # days the person loosened
                    f"{limit_words(side, e[side])}, your exception"
                    for e in row.get("exceptions") or [] for side in ("min", "max") if side in e]
        if excepted:
            note = "; ".join(excepted)
        rows.append(ChecklistRow(row["label"], value, unit, status, row["source"], note))
    return rows


def grid(document: dict[str, Any], catalog: Catalog) -> tuple[list[str], list[dict]]:
    """The slots planned (in meal order) and per day {day, heading ("Monday 7 December"),
    meals: {slot: meal}, totals}."""
    planned = {m["slot"] for d in document["days"] for m in d["meals"]}
    slots = [slot for slot in MEALS if slot in planned]
    rows = []
    for day in document["days"]:
        meals = {}
        for meal in day["meals"]:
            meals[meal["slot"]] = {**meal, "badges": badges(catalog, meal["recipe_id"],
                                                            meal["portion"]),
                                   "known": meal["recipe_id"] in catalog.recipes}
        rows.append({"day": day["day"], "heading": day_name(document, day["day"]),
                     "meals": meals, "totals": day["totals"],
                     "lower_bound": day.get("totals_lower_bound", [])})
    return slots, rows


def solver_text(solver: dict[str, Any]) -> str:
    status = solver.get("status", "unknown")
    seconds = solver.get("wall_seconds")
    timing = f" in {number(seconds)} s" if isinstance(seconds, int | float) else ""
    if status == "optimal":
        if str(solver.get("method", "")).startswith("CP-SAT over every option left"):
            return f"Optimal: the best choice for the meals left open, proven{timing}."
        return f"Optimal: the cheapest plan meeting every rule, proven{timing}."
    if status == "feasible":
        gap = solver.get("gap")
        # the gap is to a proven floor (an LP bound), not to the best plan: say it that way
        gap_text = (f" No plan can score more than {percent(gap)} better (a proven bound)."
                    if gap is not None and gap < 1 else "")
        return f"Meets every rule; the best found{timing}.{gap_text}"
    return f"Planner status: {status}{timing}."


def solver_heading(solver: dict[str, Any]) -> str:
    """The planner's outcome in a person's words: what the plan is, not the solver's term."""
    return {"optimal": "Best plan, proven", "feasible": "Meets every target"}.get(
        solver.get("status", ""), "Plan made")


def plan_context(request, document: dict[str, Any], catalog: Catalog) -> dict[str, Any]:
    slots, rows = grid(document, catalog)
    cost = document.get("cost") or {}
    budget = cost.get("budget")
    return {
        "plan": document,
        "request": request,
        "slots": slots,
        "rows": rows,
        "charts": charts(document),
        "checklist": checklist(document, len(document["days"])),
        "cost": cost,
        "budget_share": (cost.get("eaten" if cost.get("budget_basis") == "eaten" else "total",
                                  0) / budget) if budget else None,
        "plants": document.get("plants") or {},
        "solver_text": solver_text(document.get("solver") or {}),
        "solver_heading": solver_heading(document.get("solver") or {}),
        "notes": document.get("notes") or [],
        "limits": limit_rows(request, document, catalog),
        "exceptions": [{**e, "heading": day_name(document, e["day"]), "rule": plain(e["rule"])}
                       for e in document.get("day_exceptions") or []],
        "dates": plan_dates(document),
    }


def plan_dates(document: dict[str, Any]) -> str | None:
    """"Monday 7 - Sunday 13 December", or None for a plan stored before dates."""
    days = document["days"]
    first, last = (date_of(days[0]), date_of(days[-1])) if days else (None, None)
    return date_span(first, last) if first and last else None
