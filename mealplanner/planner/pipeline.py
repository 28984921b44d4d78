"""The planner's strategy, and only that: from a typed request to a checked plan document or
an explanation. Each step lives in its own module (search/, cpsat/, report.py, checker.py).

1. Cheap impossibilities, proven before any search: a meal with no dish left, a rule no choice
   of dishes can meet, a daily minimum the variety limit puts out of reach (search/bounds.py).
2. Local search over the whole week finds a plan meeting every rule in a fraction of a second;
   CP-SAT then optimises over the best alternatives for each meal, every requirement enforced
   (cpsat/solve.polish).
3. A plan that misses only a checkout budget: a second search for the cheapest plan, whatever
   the budget; its cost is the explanation (and a budget raised to it gets that plan).
4. Anything else: the daily rules one day at a time (a proof within a second when they
   conflict), else the weekly conflicts (cpsat/conflicts.py), whose first solve with every
   requirement assumed is also CP-SAT's search for a plan the local search missed.
Every phase ends by the request's time limit of wall time plus MARGIN_SECONDS; the fixes an
explanation offers are checked by planning them within the same time (fixes.py).
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

from mealplanner.catalog.store import Catalog
from mealplanner.planner.checker import check_plan
from mealplanner.planner.cpsat.conflicts import WeekCore, daily_conflicts, week_core
from mealplanner.planner.cpsat.explain import (
    Explanation,
    explain_budget,
    explain_conflicts,
    explain_empty_slots,
    explain_repeats,
)
from mealplanner.planner.cpsat.solve import SolveSettings, polish
from mealplanner.planner.failure import (
    Attempt,
    below_floor,
    cheapest_cents,
    conflicts_by,
    failed,
    no_plan,
    out_of_reach,
    weekly_answer,
    with_least_eaten,
)
from mealplanner.planner.floor import (
    add_floor,
    cost_floor_cents,
    floor_finished,
    share_problem,
    start_floor,
)
from mealplanner.planner.prepared import PlanOutcome, Prepared, prepare
from mealplanner.planner.report import plan_document
from mealplanner.planner.request import LockedMeal, PlanRequest
from mealplanner.planner.search.bounds import (
    neighbourhood,
    short_with_repeats,
    unreachable_rules,
)
from mealplanner.planner.search.iterated import GaveUp, improve_from, search_week
from mealplanner.rules.requirements import BUDGET, DAY

__all__ = ["PlanCheckError", "PlanOutcome", "Prepared", "make_plan", "meals_of", "prepare",
           "regenerate", "swap_meal"]

# Local-search perturbation rounds per second of the request's time limit. One round costs
# about 10 ms on the reference 2-core machine (bench/README.md), so the search takes about a
# tenth of the limit; the limit stays a cap for the rarer CP-SAT path below.
KICKS_PER_SECOND = 12
# A request with at most this many (meal, dish, portion) choices left open (a swap: one meal
# free) is polished on its whole model, where CP-SAT can prove the plan optimal; a week is
# polished on the search plan's neighbourhood.
COMPLETE_MODEL_OPTIONS = 1000
# Every phase of a request ends by its time limit of wall time from its start plus this margin
# (building the answer); failure.py shares the time between conflicts and fixes.
MARGIN_SECONDS = 0.5
# Explaining, the daily core's first solve (do every day's rules hold on one day?) gets this
# share of the time left to the conflicts' end, at least LEAST_DAILY_SECONDS; a day whose rules
# cannot hold is mostly proven in a tenth of a second, and the weekly core gets the rest
DAILY_CORE_SHARE = 0.5
LEAST_DAILY_SECONDS = 0.2


class PlanCheckError(RuntimeError):
    """The independent checker found a broken rule in a solved plan (a bug, never shown)."""


def make_plan(
    request: PlanRequest,
    catalog: Catalog,
    settings: SolveSettings | None = None,
    locked: list[LockedMeal] = (),
    forbidden: list[tuple[int, str, str]] = (),
    explain: bool = True,
    deadline: float | None = None,
    first_plan: bool = False,
) -> PlanOutcome:
    """Solve the request; a plan that passes the checker, or the explanation why none exists
    (the steps in this module's docstring), with the fixes that were checked to get a plan.

    `explain=False` answers a failure at once (no weekly model, no explanation): the check of a
    suggested fix. `deadline` (time.perf_counter()) overrides the request's own.
    `first_plan`: the search ends at its first plan meeting every rule (a check that the
    request has a plan at all, search_week's first_plan)."""
    started = time.perf_counter()
    settings = settings or SolveSettings(time_limit_seconds=request.time_limit_seconds)
    if deadline is None:
        deadline = started + settings.time_limit_seconds + MARGIN_SECONDS
    prepared = prepare(request, catalog, locked, forbidden)
    with floor_finished(prepared):  # no floor solve outlives the request
        return _planned(prepared, settings, started, deadline, explain, first_plan)


def _planned(prepared: Prepared, settings: SolveSettings, started: float, deadline: float,
             explain: bool, first_plan: bool) -> PlanOutcome:
    """make_plan's steps on the prepared request."""
    request, catalog = prepared.request, prepared.catalog
    locked, forbidden = prepared.locked, prepared.forbidden
    problem = prepared.problem()
    share_problem(prepared, problem)

    def replan(changed: PlanRequest, by: float, first: bool = False) -> PlanOutcome:
        return make_plan(changed, catalog, locked=locked, forbidden=forbidden, explain=False,
                         deadline=by, first_plan=first)

    def finish(meals) -> PlanOutcome | None:
        found = improve_from(problem, meals)
        return None if found.broken else _polished(prepared, problem, found, settings,
                                                   started, explain)

    attempt = Attempt(prepared, settings, started, deadline, explain, replan, finish)
    empty = explain_empty_slots(
        request, prepared.candidates,
        [slot for slot, rows in zip(problem.slots, problem.allowed, strict=True) if not len(rows)],
    )
    if empty:
        return failed(attempt, empty)
    unreachable = unreachable_rules(problem)
    if unreachable:
        return out_of_reach(attempt, unreachable)
    short = short_with_repeats(problem)
    if short:
        return failed(attempt, explain_repeats(request, prepared.rule_set, short))
    if explain:  # a plan's floor and gap, worked out beside the search
        start_floor(prepared, problem)

    kicks = max(1, round(KICKS_PER_SECOND * settings.time_limit_seconds))
    by = None if explain else deadline
    checkout_budget = problem.budget_cents is not None
    if checkout_budget:
        floor = cost_floor_cents(prepared)  # computed for the plan's report anyway
        if floor is not None and floor > problem.budget_cents:
            return below_floor(attempt, problem, kicks, floor)
    daily_keys = {r.key for r in prepared.rule_set.linear(DAY)}
    proven_daily = []

    weekly: list[WeekCore] = []

    def before_extra(missed: list[str], meals) -> bool:
        """A daily rule still missed: look for a proof that no day can meet it before the
        extra search rounds (a second at most; the rounds cannot help a proven conflict).
        Explaining, a rule other than the budget still missed: the weekly core, from the best
        plan so far; a proven conflict or a plan it finds ends the search (on the bench it
        found the one plan the rounds found), else the rounds go on (a fix's check found its
        plan with them: the request then planned in full must too)."""
        if daily_keys & set(missed):
            first = None
            if explain:  # the first solve's share of the conflicts' time, the rest the week's
                now = time.perf_counter()
                first = max(LEAST_DAILY_SECONDS,
                            DAILY_CORE_SHARE * (conflicts_by(attempt) - now))
            proven_daily.append(daily_conflicts(prepared, deadline, measure=explain,
                                                first_seconds=first))
            if proven_daily[-1] is not None:
                return True
        if explain and missed != [BUDGET]:
            weekly.append(week_core(prepared, meals, conflicts_by(attempt)))
            return weekly[-1].core.status != "unknown"
        return False

    gave_up = GaveUp()
    found = search_week(problem, kicks=kicks, deadline=by,
                        extra_for_budget=not checkout_budget, before_extra=before_extra,
                        first_plan=first_plan, gave_up=gave_up)
    if found is None:  # out of time (a check's: with what its best plan missed)
        timeout = Explanation("timeout", "Out of time.").as_document()
        return PlanOutcome(False, timeout if explain else {**timeout,
                                                           "missed": gave_up.broken or []})
    if proven_daily and proven_daily[-1] is not None:
        if not explain:
            return no_plan([c.requirement for c in proven_daily[-1].conflicts])
        return failed(attempt, explain_conflicts(request, proven_daily[-1]))
    cheapest = None
    if found.broken == [BUDGET] and checkout_budget:
        # Over a checkout budget: the extra rounds go to a search for the cheapest plan,
        # whatever the budget, so the cheapest cost reported is the same for any budget and a
        # budget raised to it gets that plan.
        cheapest = search_week(replace(problem, budget_cents=0), kicks=kicks, deadline=by)
        if cheapest is None:  # out of time; a check still says what the best plan costs
            return no_plan(found.broken, found.cost_cents) if not explain else PlanOutcome(
                False, Explanation("timeout", "Out of time.").as_document())
        if cheapest is not None and cheapest.broken == [BUDGET] and \
                cheapest.cost_cents <= problem.budget_cents:
            found = replace(cheapest, broken=[])
    if not found.broken:
        outcome = _polished(prepared, problem, found, settings, started, explain)
        if outcome is not None:
            return outcome
    if not explain:  # a check: what its best plan missed, and what that plan costs
        return no_plan(found.broken, (cheapest or found).cost_cents
                       if found.broken == [BUDGET] else None)
    if found.broken == [BUDGET]:
        cents, known = cheapest_cents(attempt, found, cheapest)
        explanation = explain_budget(request, prepared.rule_set, cents,
                                     floor_cents=cost_floor_cents(prepared)
                                     if checkout_budget else None, known_cents=known)
        return failed(attempt, with_least_eaten(explanation, prepared, [found, cheapest]))
    return weekly_answer(attempt, found, bool(proven_daily), weekly[-1] if weekly else None)


def _polished(prepared: Prepared, problem, found, settings: SolveSettings, started: float,
              explain: bool) -> PlanOutcome | None:
    """The search's plan, meeting every rule, polished by CP-SAT on its neighbourhood (on the
    whole model for a swap), checked and reported; None if the model does not confirm it."""
    complete = problem.free_options() <= COMPLETE_MODEL_OPTIONS
    pm = prepared.model(allowed=None if complete else neighbourhood(problem, found))
    solution = polish(pm, found.meals, found.objective, settings, complete=complete)
    return _done(solution, prepared, started, explain) if solution.meals else None


def _done(solution, prepared: Prepared, started: float, floor: bool = True) -> PlanOutcome:
    """The checked plan document; `floor`: with its proven floor and gap (a fix's check
    needs only to know that a plan exists)."""
    if floor:
        add_floor(solution, prepared)
    solution.figures.wall_seconds = round(time.perf_counter() - started, 3)
    return PlanOutcome(True, _checked_document(solution, prepared))


def meals_of(document: dict[str, Any]) -> list[LockedMeal]:
    return [
        LockedMeal(day["day"], meal["slot"], meal["recipe_id"], meal["portion"])
        for day in document["days"] for meal in day["meals"]
    ]


def swap_meal(
    request: PlanRequest, document: dict[str, Any], day: int, slot: str, catalog: Catalog
) -> PlanOutcome:
    """Replace one meal by the best alternative; every other meal stays as it is."""
    current = [m for m in meals_of(document) if (m.day, m.slot) == (day, slot)]
    if not current:
        raise ValueError(f"the plan has no {slot} on day {day}")
    locked = [m for m in meals_of(document) if (m.day, m.slot) != (day, slot)]
    outcome = make_plan(request, catalog, locked=locked,
                        forbidden=[(day, slot, current[0].recipe_id)])
    if not outcome.ok and outcome.document.get("reason") == "conflict":
        # say it in the terms of the swap: the other meals stay, so this is about one meal
        outcome.document["message"] = (
            f"No other {slot} on day {day} keeps every requirement with the rest of the plan "
            f"as it is. " + outcome.document["message"])
    return outcome


def regenerate(
    request: PlanRequest, document: dict[str, Any], keep: list[tuple[int, str]],
    catalog: Catalog,
) -> PlanOutcome:
    """Keep the chosen meals and plan the rest again, with other dishes than they have now
    where the rules allow it (asking again should change what was not kept); when no plan
    changes them all, the best plan that keeps the chosen meals."""
    wanted = set(keep)
    meals = meals_of(document)
    locked = [m for m in meals if (m.day, m.slot) in wanted]
    changed = [(m.day, m.slot, m.recipe_id) for m in meals if (m.day, m.slot) not in wanted]
    if changed:
        outcome = make_plan(request, catalog, locked=locked, forbidden=changed, explain=False)
        if outcome.ok:
            return outcome
    return make_plan(request, catalog, locked=locked)


def _checked_document(solution, prepared: Prepared) -> dict[str, Any]:
    """The plan document, verified by the independent checker before anyone sees it."""
    document = plan_document(solution, prepared.request, prepared.rule_set, prepared.targets)
    problems = check_plan(document, prepared.request, prepared.catalog, prepared.rule_set)
    if problems:
        raise PlanCheckError("; ".join(problems))
    document["check"] = {"passed": True, "rules_checked": "all hard rules"}
    return document
