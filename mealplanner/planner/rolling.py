"""Rolling weeks: a plan that continues an earlier one starts the day after it ends, with
what the earlier plan leaves over and still keeps as its pantry (free to use, used first).

What keeps is the earlier plan's own reckoning (purchase.py): its `leftovers` marked
`carried_over`, and of its own pantry what it did not use, when that food keeps past the
plan. Grams are per household, so a different household size or plan length works.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

from mealplanner.catalog.store import Catalog
from mealplanner.planner.dates import next_start_date
from mealplanner.planner.purchase import keeps_after_plan, keeps_days
from mealplanner.planner.request import PantryItem, PlanRequest


def carried_pantry(previous: dict[str, Any], catalog: Catalog) -> dict[str, int]:
    """Grams by food id that the earlier plan leaves and that still keep (whole grams, rounded
    down, so the next plan never counts on food that is not there)."""
    carried: dict[str, float] = {}
    for row in previous.get("leftovers") or []:
        if row.get("fate") == "carried_over" and row["food_id"] in catalog.foods:
            carried[row["food_id"]] = carried.get(row["food_id"], 0.0) + row["grams"]
    used = {p["food_id"]: p["pantry_g"] for p in previous.get("purchases") or []}
    days = len(previous["days"])
    for food_id, grams in (previous.get("pantry") or {}).items():
        left = grams - used.get(food_id, 0)
        food = catalog.foods.get(food_id)
        if food is None:
            continue
        if left > 0 and keeps_after_plan(keeps_days(food), 1, days) is not None:
            carried[food_id] = carried.get(food_id, 0.0) + left
    return {food_id: math.floor(grams + 1e-9) for food_id, grams in sorted(carried.items())
            if grams >= 1}


def continue_request(request: PlanRequest, previous: dict[str, Any],
                     catalog: Catalog) -> PlanRequest:
    """The next plan's request: `request`'s household and settings, its own pantry plus what
    the previous plan (its document) leaves that keeps, starting the day after it ends (its
    last date + 1 unless `request` names a start date)."""
    carried = carried_pantry(previous, catalog)
    pantry = tuple(PantryItem(food_id, grams) for food_id, grams in carried.items())
    start = previous.get("start_day", 1) + len(previous["days"])
    usual = request.usual_fiber_g_per_day
    ramp = (previous.get("targets", {}).get("fiber_g") or {}).get("ramp")
    if usual is not None and ramp:
        # a step further up the fibre ramp: this week starts from what the last one planned
        share = previous["targets"].get("meal_share") or 1.0
        usual = max(usual, ramp["week_g_per_day"] / share)
    return replace(request, pantry=pantry + tuple(request.pantry), start_day=start,
                   continue_from=None, usual_fiber_g_per_day=usual,
                   start_date=request.start_date or next_start_date(previous))
