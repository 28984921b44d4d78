"""One-click fixes for a request no plan can meet, from the planner's explanation.

Each conflict the explainer names comes with the best value reachable while every other
requirement holds (explain.py); where the request has a field for that requirement, the fix is
the same request with that field set to the reachable value.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from typing import Any

from mealplanner.planner.units import CENTI_SERVINGS, DECIGRAMS_PER_G
from mealplanner.rules import MEALS
from mealplanner.rules.requirements import (
    BUDGET,
    FERMENTED,
    FIBER,
    MEDITERRANEAN_PREFIX,
    PLANTS,
    PREBIOTIC,
    VARIETY,
)
from mealplanner.rules.ruleset import weekly_budget_amount

# A raised budget leaves 5% above the cheapest plan found, so that the planner finds a plan
# within it in its time limit and not only the explainer's relaxed search.
BUDGET_HEADROOM = 1.05
# requirement key -> (request target, words, model units per unit, unit)
TARGETS = {
    FIBER: ("fiber_g_per_day", "fiber", DECIGRAMS_PER_G, "g a day"),
    PREBIOTIC: ("prebiotic_g_per_day", "prebiotic", DECIGRAMS_PER_G, "g a day"),
    FERMENTED: ("fermented_servings_per_day", "fermented-food", CENTI_SERVINGS, "servings a day"),
}


@dataclass(frozen=True)
class Suggestion:
    text: str  # the button: "Raise the weekly budget to $64"
    request: dict[str, Any]  # the changed request (JSON), posted as is


def _with(request: dict[str, Any], **changes) -> dict[str, Any]:
    changed = copy.deepcopy(request)
    for key, value in changes.items():
        if key in ("fiber_g_per_day", "prebiotic_g_per_day", "fermented_servings_per_day",
                   "plants_per_week"):
            changed["targets"] = {**(changed.get("targets") or {}), key: value}
        else:
            changed[key] = value
    return changed


def _conflict_fix(conflict: dict[str, Any], request: dict[str, Any]) -> Suggestion | None:
    key, value = conflict.get("requirement"), conflict.get("value")
    if value is None:
        return None
    days = request.get("days", 7)
    if key == BUDGET:  # value: the cheapest plan found, in cents, for the plan's days
        weekly = max(1, math.ceil(weekly_budget_amount(value / 100, days) * BUDGET_HEADROOM))
        budget = {**(request.get("budget") or {}), "amount": weekly}
        if weekly <= budget_now(request):  # a plan within budget exists; it was not found in time
            return more_time(request)
        return Suggestion(f"Raise the weekly budget to ${weekly:,}", _with(request, budget=budget))
    if key in TARGETS:
        field, what, scale, unit = TARGETS[key]
        amount = math.floor(value) / scale
        text = f"Lower the {what} target to {amount:g} {unit}" if amount > 0 \
            else f"Drop the {what} target"
        return Suggestion(text, _with(request, **{field: amount}))
    if key == PLANTS:
        return Suggestion(f"Aim for {int(value)} different plant foods",
                          _with(request, plants_per_week=int(value)))
    if key == VARIETY and request.get("max_repeats", 2) < 14:
        repeats = min(14, request.get("max_repeats", 2) + max(1, math.ceil(value / days)))
        return Suggestion(f"Allow a dish up to {repeats} times",
                          _with(request, max_repeats=repeats))
    return None


def budget_now(request: dict[str, Any]) -> float:
    return float((request.get("budget") or {}).get("amount") or 0)


def more_time(request: dict[str, Any]) -> Suggestion:
    seconds = min(30, 2 * float(request.get("time_limit_seconds") or 5))
    return Suggestion(f"Give the planner {seconds:g} seconds",
                      _with(request, time_limit_seconds=seconds))


def suggestions(explanation: dict[str, Any], request: dict[str, Any]) -> list[Suggestion]:
    """The one-click fixes for an explanation, most specific first, without duplicates."""
    found: list[Suggestion] = []
    for conflict in explanation.get("conflicts") or []:
        fix = _conflict_fix(conflict, request)
        if fix:
            found.append(fix)
    conflicts = {c.get("requirement", "") for c in explanation.get("conflicts") or []}
    meals = request.get("meals") or list(MEALS)
    rule_scaled = any(k.startswith(MEDITERRANEAN_PREFIX) or k in (FIBER, PREBIOTIC)
                      for k in conflicts)
    if explanation.get("reason") == "conflict" and rule_scaled and len(meals) < len(MEALS):
        found.append(Suggestion("Plan all four meals of the day",
                                _with(request, meals=list(MEALS))))
    if explanation.get("reason") == "no_dishes":
        found.extend(_broader(request, explanation))
    if explanation.get("reason") == "timeout":
        found.append(more_time(request))
    unique = {}
    for fix in found:
        unique.setdefault(fix.text, fix)
    return list(unique.values())


def _broader(request: dict[str, Any], explanation: dict[str, Any]) -> list[Suggestion]:
    """No dish is left for a meal: offer to lift the filters a person may not need.

    Allergen exclusions are never lifted by a button; the explanation names them.
    """
    found = []
    if request.get("max_prep_minutes") is not None:
        found.append(Suggestion("Allow any preparation time",
                                _with(request, max_prep_minutes=None)))
    if request.get("exclude_foods"):
        found.append(Suggestion(f"Allow {', '.join(request['exclude_foods'])} again",
                                _with(request, exclude_foods=[])))
    broader = {"vegan": "vegetarian", "vegetarian": "pescatarian", "pescatarian": "omnivore"}
    if request.get("diet") in broader:
        diet = broader[request["diet"]]
        found.append(Suggestion(f"Switch to a {diet} diet", _with(request, diet=diet)))
    empty = [row["slot"] for row in explanation.get("empty_slots") or []]
    meals = [m for m in request.get("meals") or list(MEALS) if m not in empty]
    if meals and empty:
        found.append(Suggestion(f"Plan without {' and '.join(empty)}",
                                _with(request, meals=meals)))
    return found
