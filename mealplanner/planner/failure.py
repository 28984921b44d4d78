"""When the search finds no plan: the cheapest cost over a budget, the conflicts and what
each could reach, and the fixes checked by planning them. Every phase ends by the request's
deadline (its time limit of wall time plus a margin); the conflicts leave time for the fixes.

The pipeline hands over an Attempt: the prepared request, its clock, and how to plan a
changed request again (`replan`) or finish a plan CP-SAT found (`finish`), so this module needs
nothing from the pipeline itself.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from mealplanner.planner.cpsat.conflicts import (
    Conflict,
    ConflictReport,
    WeekCore,
    daily_conflicts,
    week_conflicts,
    week_core,
)
from mealplanner.planner.cpsat.explain import (
    Explanation,
    explain_budget,
    explain_conflicts,
    explain_unreachable,
)
from mealplanner.planner.cpsat.measures import limit_of
from mealplanner.planner.cpsat.solve import SolveSettings
from mealplanner.planner.fix_checks import NoPlan, checked_fixes
from mealplanner.planner.fixes import candidate_fixes
from mealplanner.planner.floor.infeasible import relaxed_core
from mealplanner.planner.prepared import PlanOutcome, Prepared
from mealplanner.planner.purchase import compute_purchases
from mealplanner.planner.request import PlanRequest
from mealplanner.planner.search.iterated import search_week
from mealplanner.planner.search.problem import WeekProblem
from mealplanner.rules.requirements import BUDGET, DAY
from mealplanner.rules.ruleset import weekly_budget_amount

# The conflicts end by this long after the request started (a person waits for the answer,
# which should come within about 2 s), by CONFLICT_SHARE of a shorter limit, and at least
# FIX_RESERVE_SECONDS before the deadline; the weekly model, once reached, still gets
# MIN_WEEK_CONFLICT_SECONDS (its build and a first solve).
CONFLICT_SECONDS = 1.4
CONFLICT_SHARE = 0.5
FIX_RESERVE_SECONDS = 1.0
MIN_WEEK_CONFLICT_SECONDS = 0.8
# Fixes are checked until this long after the request started, and for at least
# MIN_FIX_CHECK_SECONDS however long the explanation took (within the deadline): one check is
# a plan's search to its first plan, about 0.1-0.3 s for a fix that works.
FIX_CHECK_SECONDS = 2.0
MIN_FIX_CHECK_SECONDS = 0.5
# When no fix works alone, one fix with what its check still missed is checked until this
# long after FIX_CHECK_SECONDS (a person with no way forward waits that little longer)
CHAIN_SECONDS = 0.8


@dataclass
class Attempt:
    """One request being planned, as the no-plan path needs it."""

    prepared: Prepared
    settings: SolveSettings
    started: float
    deadline: float
    explain: bool
    # a changed request, by a deadline; `first`: its first plan is enough (a check)
    replan: Callable[..., PlanOutcome]
    # meals meeting every requirement, made a plan as the search's own are (None: not one)
    finish: Callable[[list], PlanOutcome | None]
    conflicts_until: float | None = None  # set once the conflicts start (conflicts_by)


def no_plan(missed=(), cost_cents: int | None = None) -> PlanOutcome:
    """A check of a fix that found no plan: no explanation is asked for, only what the best
    plan found still missed (and its checkout, when that is the budget alone)."""
    document = Explanation("conflict", "No plan found.").as_document()
    return PlanOutcome(False, {**document, "missed": list(missed), "cost_cents": cost_cents})


def failed(attempt: Attempt, explanation: Explanation) -> PlanOutcome:
    """The explanation, with the fixes that get a plan (checked within the deadline)."""
    prepared, started, deadline = attempt.prepared, attempt.started, attempt.deadline
    if attempt.explain:
        request = prepared.request

        def plans(changed: PlanRequest, by: float, first: bool) -> dict | NoPlan:
            outcome = attempt.replan(changed, by, first)
            if outcome.ok:
                return outcome.document
            document = outcome.document
            missed = document.get("missed") or [c["requirement"] for c in
                                                document.get("conflicts") or []]
            return NoPlan(tuple(missed), document.get("cost_cents"))

        # fixes are checked while the explanation is young: a person waits for the answer,
        # and a fix known to work (the cheapest plan's budget) needs no check
        until = min(deadline, started + max(FIX_CHECK_SECONDS, time.perf_counter() - started
                                            + MIN_FIX_CHECK_SECONDS))
        fixes = candidate_fixes(request, explanation, prepared.catalog.rules)
        # none works alone: a little longer for the first one with what its check missed
        chain_until = min(deadline, max(until, started + FIX_CHECK_SECONDS + CHAIN_SECONDS))
        explanation.fixes = checked_fixes(request, fixes, until, plans,
                                          prepared.catalog.rules, chain_until)
    explanation.seconds = round(time.perf_counter() - started, 3)
    return PlanOutcome(False, explanation.as_document(), explanation.fixes)


def out_of_reach(attempt: Attempt, unreachable: list) -> PlanOutcome:
    """Rules out of reach whatever the dishes (proven from each meal's extremes, before any
    search). For a daily one, also what a day reaches with the other daily rules held, from
    one day's model as for a daily conflict: 5,000 kcal is out of reach at 4,444 kcal from the
    dishes alone, but the sodium and fibre caps hold a day near 3,000, the figure an energy fix
    can get a plan with."""
    prepared = attempt.prepared
    rule_set = prepared.rule_set
    held = {}
    if attempt.explain and any(rule_set.requirement(u.key).period == DAY for u in unreachable):
        report = daily_conflicts(prepared, _conflicts_until(attempt))
        if report is not None:
            held = {c.requirement: c for c in report.conflicts}
    return failed(attempt, explain_unreachable(prepared.request, rule_set, unreachable, held))


def conflicts_by(attempt: Attempt) -> float:
    """When the conflicts end, fixed when they start: _conflicts_until, and the weekly
    model, once reached, still gets MIN_WEEK_CONFLICT_SECONDS (within the deadline)."""
    if attempt.conflicts_until is None:
        attempt.conflicts_until = min(attempt.deadline, max(
            _conflicts_until(attempt), time.perf_counter() + MIN_WEEK_CONFLICT_SECONDS))
    return attempt.conflicts_until


def _conflicts_until(attempt: Attempt) -> float:
    """The conflicts leave time for the fixes: they end by CONFLICT_SECONDS, or by
    CONFLICT_SHARE of a shorter limit, and at least FIX_RESERVE_SECONDS before the deadline."""
    return min(attempt.deadline - FIX_RESERVE_SECONDS,
               attempt.started + min(CONFLICT_SECONDS,
                                     CONFLICT_SHARE * attempt.settings.time_limit_seconds))


def below_floor(attempt: Attempt, problem: WeekProblem, kicks: int,
                floor: float) -> PlanOutcome:
    """A checkout budget below the proven cost floor: no plan, without the plan search. The
    search for the cheapest plan still runs, for the figure a person can act on (and a budget
    raised to it gets that plan)."""
    if not attempt.explain:
        return no_plan([BUDGET])
    prepared = attempt.prepared
    cheapest = search_week(replace(problem, budget_cents=0), kicks=kicks)
    cents = known = None
    if cheapest is not None and cheapest.broken == [BUDGET]:
        cents = known = cheapest.cost_cents
    explanation = explain_budget(prepared.request, prepared.rule_set, cents, floor_cents=floor,
                                 known_cents=known)
    return failed(attempt, with_least_eaten(explanation, prepared, [cheapest]))


def with_least_eaten(explanation: Explanation, prepared: Prepared, plans) -> Explanation:
    """The explanation of a budget, with the least food eaten a week among `plans` (search
    results) that meet every requirement but the budget."""
    eaten = [eaten_cents(prepared, plan.meals) for plan in plans
             if plan is not None and plan.broken == [BUDGET]]
    if eaten:
        explanation.least_eaten = weekly_budget_amount(min(eaten) / 100,
                                                       prepared.request.days)
    return explanation


def cheapest_cents(attempt: Attempt, found, cheapest) -> tuple[int, int | None]:
    """The cheapest cost to report, and whether a budget raised to it is known to get a plan.

    The budget-free search's cost is: the same request with that budget runs the same search
    again. The budgeted search's plan can be cheaper, but the same request with a budget of its
    cost searches differently: reported only when planning it with that budget gets a plan."""
    prepared, deadline = attempt.prepared, attempt.deadline
    cents = budgeted_cents(prepared, found)
    if cheapest is None or cheapest.broken != [BUDGET]:
        return cents, None
    if cents < cheapest.cost_cents:
        request = prepared.request
        weekly = float(math.ceil(weekly_budget_amount(cents / 100, request.days)))
        changed = replace(request, budget=replace(request.budget, amount=weekly))
        by = min(deadline, time.perf_counter() + (deadline - time.perf_counter()) / 2)
        if attempt.replan(changed, by, True).ok:
            return cents, cents
    return cheapest.cost_cents, cheapest.cost_cents


def budgeted_cents(prepared: Prepared, found) -> int:
    """What the budget limits, for the search's plan: its checkout, or its food eaten."""
    if prepared.request.budget.basis != "eaten":
        return found.cost_cents
    return eaten_cents(prepared, found.meals)


def eaten_cents(prepared: Prepared, meals) -> int:
    """The food eaten in these meals, in cents (rounded up), as the plan's cost reports it."""
    request = prepared.request
    purchases = compute_purchases([(d, rid, q) for d, _s, rid, q in meals],
                                  request.people, prepared.candidates.pantry_g,
                                  prepared.catalog, request.use_staples, request.days)
    return math.ceil(sum(p.eaten_cents for p in purchases))


def weekly_answer(attempt: Attempt, found, checked_daily: bool = False,
                  week: WeekCore | None = None) -> PlanOutcome:
    """What the weekly model answers when the search found no plan: the daily rules one day
    at a time (a proof in well under a second when the conflict is within a day), else the
    weekly conflicts (cpsat/conflicts.py) from the weekly core (`week`, when the search asked
    for it before its extra rounds). The core's solve with every requirement assumed is also
    CP-SAT's search for a plan the local search missed, finished as the search's plans are."""
    prepared = attempt.prepared
    conflicts_until = conflicts_by(attempt)
    daily = None if checked_daily else daily_conflicts(prepared, conflicts_until)
    if daily is not None:
        return failed(attempt, explain_conflicts(prepared.request, daily))
    if week is None:
        if conflicts_until - time.perf_counter() < MIN_WEEK_CONFLICT_SECONDS:
            return failed(attempt, explain_conflicts(prepared.request, _missed(
                prepared, found, conflicts_until, attempt.deadline)))
        week = week_core(prepared, found.meals, conflicts_until)
    report = week_conflicts(prepared, week, found, conflicts_until, attempt.deadline)
    if report.meals:
        outcome = attempt.finish(report.meals)
        if outcome is not None:
            return outcome
        report = _missed(prepared, found)
    return failed(attempt, explain_conflicts(prepared.request, report))


def _missed(prepared: Prepared, found, deadline: float | None = None,
            latest: float | None = None) -> ConflictReport:
    """What the search's plan misses, unproven (no time for the weekly model, or no plan
    made of the meals it found); with a `deadline`, the set the relaxation proves, when it
    proves one (without best values: those need the weekly model), never past `latest`."""
    rule_set = prepared.rule_set
    relaxed = None if deadline is None else relaxed_core(prepared, list(found.broken),
                                                         deadline, latest)
    return ConflictReport([Conflict(k, rule_set.requirement(k).label,
                                    limit_of(rule_set.requirement(k), rule_set))
                           for k in relaxed or found.broken], bool(relaxed), "week")
