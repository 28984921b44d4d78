"""The planner's strategy, and only that: from a typed request to a checked plan document or
an explanation. Each step lives in its own module (search/, cpsat/, report.py, checker.py).

1. Cheap impossibilities, proven before any search: a meal with no dish left, a rule no choice
   of dishes can meet (search/bounds.py).
2. Local search over the whole week finds a plan meeting every rule in a fraction of a second;
   CP-SAT then optimises over the best alternatives for each meal, every requirement enforced
   (cpsat/solve.polish).
3. A plan that misses only the budget: the cheapest plan found is the explanation.
4. Anything else goes to CP-SAT on the full weekly model, started from the search's plan, and
   to the relaxation-based explanation when it finds no plan either.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace
from typing import Any

from mealplanner.catalog.store import Catalog
from mealplanner.planner.candidates import Candidates, build_candidates
from mealplanner.planner.checker import check_plan
from mealplanner.planner.cpsat.explain import (
    explain_budget,
    explain_empty_slots,
    explain_infeasible,
    explain_unreachable,
)
from mealplanner.planner.cpsat.solve import (
    SolveSettings,
    add_hint,
    build_model,
    penalties_of,
    polish,
    requirements_broken_by,
    solve_model,
)
from mealplanner.planner.floor import add_floor, share_problem
from mealplanner.planner.purchase import compute_purchases
from mealplanner.planner.report import plan_document
from mealplanner.planner.request import LockedMeal, PlanRequest
from mealplanner.planner.search.bounds import neighbourhood, unreachable_rules
from mealplanner.planner.search.iterated import search_week
from mealplanner.planner.search.problem import WeekProblem, build_problem
from mealplanner.planner.targets import ResolvedTargets, resolve_targets
from mealplanner.rules.requirements import BUDGET, RuleSet
from mealplanner.rules.ruleset import build_rule_set

# Local-search perturbation rounds per second of the request's time limit. One round costs
# about 10 ms on the reference 2-core machine (bench/README.md), so the search takes about a
# tenth of the limit; the limit stays a cap for the rarer CP-SAT path below.
KICKS_PER_SECOND = 12
# A request with at most this many (meal, dish, portion) choices left open (a swap: one meal
# free) is polished on its whole model, where CP-SAT can prove the plan optimal; a week is
# polished on the search plan's neighbourhood.
COMPLETE_MODEL_OPTIONS = 1000
# The explanation stops by this many time limits of wall time from the request's start, plus
# a margin for building its models and its answer: the relaxations that name what each
# conflicting requirement could reach need seconds each (issue: explanations within the limit).
EXPLAIN_LIMITS = 3
EXPLAIN_MARGIN_SECONDS = 0.5


class PlanCheckError(RuntimeError):
    """The independent checker found a broken rule in a solved plan (a bug, never shown)."""


@dataclass
class PlanOutcome:
    ok: bool
    document: dict[str, Any]


@dataclass
class Prepared:
    """What every step shares: the request's candidates, targets and rule set, built once."""

    request: PlanRequest
    catalog: Catalog
    candidates: Candidates
    targets: ResolvedTargets
    rule_set: RuleSet
    locked: list[LockedMeal] = field(default_factory=list)
    forbidden: list[tuple[int, str, str]] = field(default_factory=list)

    def model(self, allowed=None):
        return build_model(self.request, self.catalog, self.candidates, self.rule_set,
                           self.locked, self.forbidden, allowed)

    def model_args(self) -> dict[str, Any]:
        return dict(catalog=self.catalog, candidates=self.candidates, rule_set=self.rule_set,
                    locked=self.locked, forbidden=self.forbidden)

    def problem(self) -> WeekProblem:
        return build_problem(self.request, self.catalog, self.candidates, self.rule_set,
                             self.locked, self.forbidden)


def prepare(request: PlanRequest, catalog: Catalog, locked=(), forbidden=()) -> Prepared:
    candidates = build_candidates(request, catalog)
    targets = resolve_targets(request, catalog.rules)
    rule_set = build_rule_set(request, catalog.rules, targets, candidates.served_groups(),
                              candidates.most_per_day)
    return Prepared(request, catalog, candidates, targets, rule_set, list(locked),
                    list(forbidden))


def make_plan(
    request: PlanRequest,
    catalog: Catalog,
    settings: SolveSettings | None = None,
    locked: list[LockedMeal] = (),
    forbidden: list[tuple[int, str, str]] = (),
) -> PlanOutcome:
    """Solve the request; a plan that passes the checker, or the explanation why none exists
    (the steps in this module's docstring)."""
    started = time.perf_counter()
    settings = settings or SolveSettings(time_limit_seconds=request.time_limit_seconds)
    prepared = prepare(request, catalog, locked, forbidden)
    problem = prepared.problem()
    share_problem(prepared, problem)
    empty = explain_empty_slots(
        request, prepared.candidates,
        [slot for slot, rows in zip(problem.slots, problem.allowed, strict=True) if not len(rows)],
    )
    if empty:
        return PlanOutcome(False, empty.as_document())
    unreachable = unreachable_rules(problem)
    if unreachable:
        explanation = explain_unreachable(request, prepared.rule_set, unreachable)
        return PlanOutcome(False, explanation.as_document())

    kicks = max(1, round(KICKS_PER_SECOND * settings.time_limit_seconds))
    found = search_week(problem, kicks=kicks)
    if not found.broken:
        complete = problem.free_options() <= COMPLETE_MODEL_OPTIONS
        pm = prepared.model(allowed=None if complete else neighbourhood(problem, found))
        solution = polish(pm, found.meals, found.objective, settings, complete=complete)
        if solution.meals:
            return _done(solution, prepared, started)
    if found.broken == [BUDGET]:
        explanation = explain_budget(request, prepared.rule_set,
                                     _budgeted_cents(prepared, found))
        return PlanOutcome(False, explanation.as_document())
    return _full_model(prepared, settings, found, started)


def _budgeted_cents(prepared: Prepared, found) -> int:
    """What the budget limits, for the search's plan: its checkout, or its food eaten."""
    request = prepared.request
    if request.budget.basis != "eaten":
        return found.cost_cents
    purchases = compute_purchases([(d, rid, q) for d, _s, rid, q in found.meals],
                                  request.people, prepared.candidates.pantry_g,
                                  prepared.catalog, request.use_staples, request.days)
    return math.ceil(sum(p.eaten_cents for p in purchases))


def _full_model(prepared: Prepared, settings: SolveSettings, found, started) -> PlanOutcome:
    """CP-SAT on the whole weekly model from the search's plan, then the explanation: the full
    model within the request's time limit of wall time from its start, the explanation within
    EXPLAIN_LIMITS of it (an explanation with fewer figures rather than a minute's wait)."""
    limit = settings.time_limit_seconds
    pm = prepared.model()
    broken = requirements_broken_by(pm, found.meals, settings)
    add_hint(pm, found.meals)
    solution = solve_model(pm, replace(settings, deadline=started + limit),
                           repair_hint=bool(broken))
    settings = replace(settings, deadline=started + EXPLAIN_LIMITS * limit
                       + EXPLAIN_MARGIN_SECONDS)
    if solution.meals:
        return _done(solution, prepared, started)
    proven = solution.figures.status == "infeasible"
    explanation = explain_infeasible(prepared.request, settings, proven, found.meals, broken,
                                     **prepared.model_args())
    if explanation.found_meals:
        solution.meals = explanation.found_meals
        solution.penalties = penalties_of(pm, solution.meals)
        solution.figures.status = "feasible"
        return _done(solution, prepared, started)
    return PlanOutcome(False, explanation.as_document())


def _done(solution, prepared: Prepared, started: float) -> PlanOutcome:
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
    """Keep the chosen meals and re-solve the rest."""
    wanted = set(keep)
    locked = [m for m in meals_of(document) if (m.day, m.slot) in wanted]
    return make_plan(request, catalog, locked=locked)


def _checked_document(solution, prepared: Prepared) -> dict[str, Any]:
    """The plan document, verified by the independent checker before anyone sees it."""
    document = plan_document(solution, prepared.request, prepared.rule_set, prepared.targets)
    problems = check_plan(document, prepared.request, prepared.catalog, prepared.rule_set)
    if problems:
        raise PlanCheckError("; ".join(problems))
    document["check"] = {"passed": True, "rules_checked": "all hard rules"}
    return document
