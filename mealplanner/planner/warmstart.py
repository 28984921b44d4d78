"""A first plan built one day at a time, handed to the weekly model as a complete hint.

The weekly model is hard to satisfy from scratch (many daily sums must land in narrow windows
at once), while one day alone is found in a fraction of a second. So the plan is first built
day by day: each day meets every daily rule, cannot repeat a dish more than allowed or serve
yesterday's lunch or dinner again, and uses the packages opened on earlier days for free (so it
shops like a person: reuse before buying). Weekly minimums (fish, legumes, nuts) are spread over
evenly spaced days; a share a day cannot carry moves to the next day. The weekly solve then
starts from this plan and improves it. Single worker, deterministic limits: same request, same
hint.
"""

from __future__ import annotations

import dataclasses
import math

from ortools.sat.python import cp_model

from mealplanner.catalog.store import Catalog
from mealplanner.planner.pattern import group_amount
from mealplanner.planner.purchase import compute_purchases
from mealplanner.planner.request import LockedMeal, PantryItem, PlanRequest
from mealplanner.planner.targets import ResolvedTargets
from mealplanner.planner.units import QUARTERS_PER_PORTION

FIRST_PLAN_SECONDS = 1.0  # deterministic seconds to find any plan for a day (stops at first)
IMPROVE_SECONDS = 0.2  # deterministic seconds to make that day cheaper


def spread_days(total_days: int, servings: float, offset: float) -> list[int]:
    """Evenly spaced days for a weekly minimum: 3 servings over 7 days -> 3 distinct days.

    `offset` (0..1) shifts the days so that different rules do not all fall on one day.
    """
    count = min(total_days, math.ceil(servings - 1e-9))
    if count <= 0:
        return []
    step = total_days / count
    return sorted({min(total_days, math.floor(step * (i + offset)) + 1) for i in range(count)})


def weekly_shares(request: PlanRequest, catalog: Catalog, skipped: set[str]):
    """For each weekly minimum rule: (rule, {day: grams that day should carry})."""
    rules = [r for r in catalog.rules.mediterranean
             if r.kind == "min_per_week" and r.id not in skipped]
    shares = []
    for index, rule in enumerate(rules):
        grams = rule.servings * rule.serving_g * request.days / 7
        days = spread_days(request.days, grams / rule.serving_g, (index + 0.5) / len(rules))
        if days:
            shares.append((rule, {day: grams / len(days) for day in days}))
    return shares


def _solve(model, seconds: float, first_only: bool, clock: WorkClock):
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = 1
    params.random_seed = 0
    params.cp_model_presolve = False
    params.linearization_level = 0
    params.max_deterministic_time = seconds
    params.max_time_in_seconds = seconds * 6  # a safety net; deterministic time decides
    params.stop_after_first_solution = first_only
    status = solver.solve(model)
    clock.add(solver)
    return solver if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None


class WorkClock:
    """Deterministic seconds spent, so the weekly solve gets the rest of the time budget."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def add(self, solver: cp_model.CpSolver) -> None:
        self.seconds += solver.deterministic_time


def _plan_day(pm, today_shares, skip_keys: set[str], clock: WorkClock) -> list | None:
    """Any plan for the day that meets every daily rule and today's weekly shares, then cheaper."""
    from mealplanner.planner.solve import add_hint, set_objective

    for requirement in pm.requirements:
        if requirement.key not in skip_keys:
            pm.model.add(requirement.literal == 1)
    for rule, grams in today_shares:
        amount = pm.day_sum(1, lambda fig, r=rule: group_amount(r.groups, fig))
        pm.model.add(amount >= math.ceil(grams * QUARTERS_PER_PORTION))
    solver = _solve(pm.model, FIRST_PLAN_SECONDS, first_only=True, clock=clock)
    if solver is None:
        return None
    first = [key for key, var in pm.x.items() if solver.boolean_value(var)]
    set_objective(pm)
    add_hint(pm, first)
    better = _solve(pm.model, IMPROVE_SECONDS, first_only=False, clock=clock)
    if better is None:
        return first
    return [key for key, var in pm.x.items() if better.boolean_value(var)]


def greedy_plan(
    request: PlanRequest,
    catalog: Catalog,
    targets: ResolvedTargets,
    pantry_g: dict[str, int],
    skipped: set[str],
    locked: list[LockedMeal] = (),
    forbidden: list[tuple[int, str, str]] = (),
    clock: WorkClock | None = None,
) -> list[tuple[int, str, str, int]]:
    """(day, slot, recipe, quarters) for every meal, or [] when some day cannot be planned."""
    clock = clock or WorkClock()
    from mealplanner.planner.solve import build_model

    shares = weekly_shares(request, catalog, skipped)
    skip_keys = {"budget"} | {f"med:{rule.id}" for rule, _days in shares}
    owed = {rule.id: 0.0 for rule, _days in shares}
    open_grams = dict(pantry_g)
    uses: dict[str, int] = {}
    yesterday: dict[str, str] = {}
    plan: list[tuple[int, str, str, int]] = []
    for day in range(1, request.days + 1):
        day_request = dataclasses.replace(
            request, days=1, budget=None,
            pantry=tuple(PantryItem(f, g) for f, g in sorted(open_grams.items()) if g >= 1),
        )
        day_forbidden = [(1, s, r) for s in request.meals for r, n in uses.items()
                         if n >= request.max_repeats]
        day_forbidden += [(1, s, r) for s, r in yesterday.items()]
        day_forbidden += [(1, s, r) for d, s, r in forbidden if d == day]
        day_locked = [dataclasses.replace(m, day=1) for m in locked if m.day == day]
        today = [(rule, days.get(day, 0.0) + owed[rule.id]) for rule, days in shares]
        today = [(rule, grams) for rule, grams in today if grams > 0]
        meals = None
        for attempt in (today, []):  # without today's weekly shares if they do not fit
            pm = build_model(day_request, catalog, targets=targets, locked=day_locked,
                             forbidden=day_forbidden)
            meals = _plan_day(pm, attempt, skip_keys, clock)
            if meals is not None:
                for rule, grams in today:
                    owed[rule.id] = 0.0 if attempt else grams
                break
        if meals is None:
            return []
        for _d, slot, rid, q in meals:
            plan.append((day, slot, rid, q))
            uses[rid] = uses.get(rid, 0) + 1
        yesterday = {slot: rid for _d, slot, rid, _q in meals if slot in ("lunch", "dinner")}
        bought = compute_purchases(
            [(rid, q) for _d, _s, rid, q in meals], request.people, open_grams, catalog,
            request.use_staples,
        )
        for purchase in bought:
            if not purchase.staple:
                left = open_grams.get(purchase.food_id, 0) + purchase.bought_edible_g
                open_grams[purchase.food_id] = math.floor(left - purchase.needed_g)
    return plan
