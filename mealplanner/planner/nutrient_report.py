"""The plan's nutrients a dietitian checks, as a table: each day's amount against the target,
what is short, what a supplement covers and what the dishes cannot reach (with what would
help). Amounts come from the days' totals (ingredient grams); a total that includes a food
USDA has no value for is a lower bound and says so."""

from __future__ import annotations

from typing import Any

from mealplanner.rules.day_exceptions import excepted_limit
from mealplanner.rules.nutrient_rules import nutrient_key


def nutrients_document(days: list[dict], targets, skipped: list[dict],
                       rule_set=None) -> list[dict[str, Any]]:
    """One row per nutrient target of the request (targets.nutrients); a daily target is met
    on a day the person loosened it (the rule set's exceptions) at that day's own minimum."""
    reasons = {entry["rule"]: entry for entry in skipped}
    rows = []
    for target in targets.nutrients:
        rule = target.rule
        key = nutrient_key(rule.quantity)
        per_day = [round(day["totals"].get(rule.quantity, 0.0), 3) for day in days]
        average = round(sum(per_day) / len(per_day), 3) if per_day else 0.0
        unknown = any(rule.quantity in day.get("totals_lower_bound", ()) for day in days)
        if rule.period == "day":
            least = [_day_minimum(rule_set, key, day["day"], target.value) for day in days]
            met = all(value >= low - 1e-6 for value, low in zip(per_day, least, strict=True))
        else:
            met = average >= target.value - 1e-6
        if target.covered_by:
            status = "covered"
        elif key in reasons:
            status = "out_of_reach"
        else:
            status = "met" if met else "short"
        row = {
            "requirement": key, "nutrient": rule.quantity, "label": rule.label,
            "unit": rule.unit, "period": rule.period, "target": target.value,
            "per_day": per_day, "average": average, "status": status,
            "lower_bound": unknown, "source": target.source,
        }
        if target.covered_by:
            row["covered_by"] = target.covered_by
        if key in reasons:
            row["reason"] = reasons[key]["reason"]
            row["help"] = reasons[key].get("help", "")
        elif status == "short":
            row["help"] = rule.help
        rows.append(row)
    return rows


def _day_minimum(rule_set, key: str, day: int, target: float) -> float:
    """The day's own minimum where the person loosened the target on that day."""
    if rule_set is None or not rule_set.has(key):
        return target
    return (excepted_limit(rule_set.requirement(key), day) or {}).get("min", target)
