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
   conflict), else CP-SAT on the full weekly model from the search's plan, then the weekly
   conflicts (cpsat/conflicts.py).
Every phase ends by the request's time limit of wall time plus MARGIN_SECONDS; the fixes an
explanation offers are checked by planning them within the same time (fixes.py).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace
from typing import Any

from mealplanner.catalog.store import Catalog
from mealplanner.planner.candidates import Candidates, build_candidates
from mealplanner.planner.checker import check_plan
from mealplanner.planner.cpsat.conflicts import (
    Conflict,
    ConflictReport,
    daily_conflicts,
    week_conflicts,
)
from mealplanner.planner.cpsat.explain import (
    Explanation,
    explain_budget,
    explain_conflicts,
    explain_empty_slots,
    explain_repeats,
    explain_unreachable,
)
from mealplanner.planner.cpsat.measures import limit_of
from mealplanner.planner.cpsat.solve import (
    SolveSettings,
    add_hint,
    build_model,
    penalties_of,
    polish,
    solve_model,
)
from mealplanner.planner.fixes import candidate_fixes, checked_fixes
from mealplanner.planner.floor import add_floor, cost_floor_cents, share_problem
from mealplanner.planner.purchase import compute_purchases
from mealplanner.planner.report import plan_document
from mealplanner.planner.request import LockedMeal, PlanRequest
from mealplanner.planner.search.bounds import (
    neighbourhood,
    short_with_repeats,
    unreachable_rules,
)
from mealplanner.planner.search.iterated import search_week
from mealplanner.planner.search.problem import WeekProblem, build_problem
from mealplanner.planner.targets import ResolvedTargets, resolve_targets
from mealplanner.rules.requirements import BUDGET, DAY, RuleSet
from mealplanner.rules.ruleset import build_rule_set, weekly_budget_amount

# Local-search perturbation rounds per second of the request's time limit. One round costs
# about 10 ms on the reference 2-core machine (bench/README.md), so the search takes about a
# tenth of the limit; the limit stays a cap for the rarer CP-SAT path below.
KICKS_PER_SECOND = 12
# A request with at most this many (meal, dish, portion) choices left open (a swap: one meal
# free) is polished on its whole model, where CP-SAT can prove the plan optimal; a week is
# polished on the search plan's neighbourhood.
COMPLETE_MODEL_OPTIONS = 1000
# Every phase of a request ends by its time limit of wall time from its start plus this
# margin (building the answer): the full model, the explanation and the checking of its fixes
# share the limit, the full model at most FULL_MODEL_SHARE of it (the explanation's proofs
# take well under a second; the full model rarely finds a plan the search missed).
MARGIN_SECONDS = 0.5
FULL_MODEL_SHARE = 0.3
MIN_FULL_MODEL_SECONDS = 0.2  # less than this left of its share: the full model is skipped
MIN_WEEK_CONFLICT_SECONDS = 0.8  # the weekly model's build and a first solve
# Fixes are checked until this long after the request started, and for at least
# MIN_FIX_CHECK_SECONDS however long the explanation took (within the deadline): one check is
# a plan's search, about 0.3-1 s.
FIX_CHECK_SECONDS = 2.0
MIN_FIX_CHECK_SECONDS = 0.8


class PlanCheckError(RuntimeError):
    """The independent checker found a broken rule in a solved plan (a bug, never shown)."""


@dataclass
class PlanOutcome:
    ok: bool
    document: dict[str, Any]
    # when not ok: the checked fixes (the service layer turns them into request bodies)
    fixes: list = field(default_factory=list)


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
    explain: bool = True,
    deadline: float | None = None,
) -> PlanOutcome:
    """Solve the request; a plan that passes the checker, or the explanation why none exists
    (the steps in this module's docstring), with the fixes that were checked to get a plan.

    `explain=False` answers a failure at once (no full model, no explanation): the check of a
    suggested fix. `deadline` (time.perf_counter()) overrides the request's own."""
    started = time.perf_counter()
    settings = settings or SolveSettings(time_limit_seconds=request.time_limit_seconds)
    if deadline is None:
        deadline = started + settings.time_limit_seconds + MARGIN_SECONDS
    prepared = prepare(request, catalog, locked, forbidden)
    problem = prepared.problem()
    share_problem(prepared, problem)
    empty = explain_empty_slots(
        request, prepared.candidates,
        [slot for slot, rows in zip(problem.slots, problem.allowed, strict=True) if not len(rows)],
    )
    if empty:
        return _failed(prepared, empty, started, deadline, explain)
    unreachable = unreachable_rules(problem)
    if unreachable:
        return _failed(prepared, explain_unreachable(request, prepared.rule_set, unreachable),
                       started, deadline, explain)
    short = short_with_repeats(problem)
    if short:
        return _failed(prepared, explain_repeats(request, prepared.rule_set, short),
                       started, deadline, explain)

    kicks = max(1, round(KICKS_PER_SECOND * settings.time_limit_seconds))
    by = None if explain else deadline
    checkout_budget = problem.budget_cents is not None
    if checkout_budget:
        floor = cost_floor_cents(prepared)  # computed for the plan's report anyway
        if floor is not None and floor > problem.budget_cents:
            return _below_floor(prepared, problem, kicks, floor, started, deadline, explain)
    daily_keys = {r.key for r in prepared.rule_set.linear(DAY)}
    proven_daily = []

    def before_extra(missed: list[str]) -> bool:
        """A daily rule still missed: look for a proof that no day can meet it before the
        extra search rounds (a second at most; the rounds cannot help a proven conflict)."""
        if daily_keys & set(missed):
            proven_daily.append(daily_conflicts(prepared, deadline))
            return proven_daily[-1] is not None
        return False

    found = search_week(problem, kicks=kicks, deadline=by,
                        extra_for_budget=not checkout_budget, before_extra=before_extra)
    if found is None:
        return PlanOutcome(False, Explanation("timeout", "Out of time.").as_document())
    if proven_daily and proven_daily[-1] is not None:
        if not explain:
            return PlanOutcome(False, Explanation("conflict", "No plan found.").as_document())
        return _failed(prepared, explain_conflicts(request, proven_daily[-1]), started,
                       deadline, explain)
    cheapest = None
    if found.broken == [BUDGET] and checkout_budget:
        # Over a checkout budget: the extra rounds go to a search for the cheapest plan,
        # whatever the budget, so the cheapest cost reported is the same for any budget and a
        # budget raised to it gets that plan.
        cheapest = search_week(replace(problem, budget_cents=0), kicks=kicks, deadline=by)
        if cheapest is None:
            return PlanOutcome(False, Explanation("timeout", "Out of time.").as_document())
        if cheapest is not None and cheapest.broken == [BUDGET] and \
                cheapest.cost_cents <= problem.budget_cents:
            found = replace(cheapest, broken=[])
    if not found.broken:
        complete = problem.free_options() <= COMPLETE_MODEL_OPTIONS
        pm = prepared.model(allowed=None if complete else neighbourhood(problem, found))
        solution = polish(pm, found.meals, found.objective, settings, complete=complete)
        if solution.meals:
            return _done(solution, prepared, started)
    if not explain:
        return PlanOutcome(False, Explanation("conflict", "No plan found.").as_document())
    if found.broken == [BUDGET]:
        cents, known = _cheapest_cents(prepared, found, cheapest, deadline)
        explanation = explain_budget(request, prepared.rule_set, cents,
                                     floor_cents=cost_floor_cents(prepared)
                                     if checkout_budget else None, known_cents=known)
        return _failed(prepared, explanation, started, deadline, explain)
    return _full_model(prepared, settings, found, started, deadline, bool(proven_daily))


def _failed(prepared: Prepared, explanation: Explanation, started: float, deadline: float,
            explain: bool) -> PlanOutcome:
    """The explanation, with the fixes that get a plan (checked within the deadline)."""
    if explain:
        request = prepared.request

        def plans(changed: PlanRequest, by: float) -> dict | None:
            outcome = make_plan(changed, prepared.catalog, locked=prepared.locked,
                                forbidden=prepared.forbidden, explain=False, deadline=by)
            return outcome.document if outcome.ok else None

        # fixes are checked while the explanation is young: a person waits for the answer,
        # and a fix known to work (the cheapest plan's budget) needs no check
        until = min(deadline, started + max(FIX_CHECK_SECONDS, time.perf_counter() - started
                                            + MIN_FIX_CHECK_SECONDS))
        explanation.fixes = checked_fixes(request, candidate_fixes(request, explanation),
                                          until, plans)
    explanation.seconds = round(time.perf_counter() - started, 3)
    return PlanOutcome(False, explanation.as_document(), explanation.fixes)


def _below_floor(prepared: Prepared, problem: WeekProblem, kicks: int, floor: float,
                 started: float, deadline: float, explain: bool) -> PlanOutcome:
    """A checkout budget below the proven cost floor: no plan, without the plan search. The
    search for the cheapest plan still runs, for the figure a person can act on (and a budget
    raised to it gets that plan)."""
    if not explain:
        return PlanOutcome(False, Explanation("conflict", "No plan found.").as_document())
    cheapest = search_week(replace(problem, budget_cents=0), kicks=kicks)
    cents = known = None
    if cheapest is not None and cheapest.broken == [BUDGET]:
        cents = known = cheapest.cost_cents
    explanation = explain_budget(prepared.request, prepared.rule_set, cents, floor_cents=floor,
                                 known_cents=known)
    return _failed(prepared, explanation, started, deadline, explain)


def _cheapest_cents(prepared: Prepared, found, cheapest, deadline: float):
    """The cheapest cost to report, and whether a budget raised to it is known to get a plan.

    The budget-free search's cost is: the same request with that budget runs the same search
    again. The budgeted search's plan can be cheaper, but the same request with a budget of its
    cost searches differently: reported only when planning it with that budget gets a plan."""
    cents = _budgeted_cents(prepared, found)
    if cheapest is None or cheapest.broken != [BUDGET]:
        return cents, None
    if cents < cheapest.cost_cents:
        request = prepared.request
        weekly = float(math.ceil(weekly_budget_amount(cents / 100, request.days)))
        changed = replace(request, budget=replace(request.budget, amount=weekly))
        by = min(deadline, time.perf_counter() + (deadline - time.perf_counter()) / 2)
        if make_plan(changed, prepared.catalog, locked=prepared.locked,
                     forbidden=prepared.forbidden, explain=False, deadline=by).ok:
            return cents, cents
    return cheapest.cost_cents, cheapest.cost_cents


def _budgeted_cents(prepared: Prepared, found) -> int:
    """What the budget limits, for the search's plan: its checkout, or its food eaten."""
    request = prepared.request
    if request.budget.basis != "eaten":
        return found.cost_cents
    purchases = compute_purchases([(d, rid, q) for d, _s, rid, q in found.meals],
                                  request.people, prepared.candidates.pantry_g,
                                  prepared.catalog, request.use_staples, request.days)
    return math.ceil(sum(p.eaten_cents for p in purchases))


def _full_model(prepared: Prepared, settings: SolveSettings, found, started: float,
                deadline: float, checked_daily: bool = False) -> PlanOutcome:
    """The daily rules one day at a time (a proof in well under a second when the conflict is
    within a day), else CP-SAT on the whole weekly model from the search's plan (for at most
    FULL_MODEL_SHARE of the limit), then the weekly conflicts (cpsat/conflicts.py)."""
    daily = None if checked_daily else daily_conflicts(prepared, deadline)
    if daily is not None:
        return _failed(prepared, explain_conflicts(prepared.request, daily), started, deadline,
                       True)
    full_model_until = started + FULL_MODEL_SHARE * settings.time_limit_seconds
    pm = None
    if time.perf_counter() < full_model_until - MIN_FULL_MODEL_SECONDS:
        # Built once: the full solve works on a copy (it fixes every requirement), the
        # conflicts on the model itself. No hint from the search's plan: interleaved workers
        # given a hint that breaks a requirement can abort the process (ortools 9.15: "Check
        # failed: heuristics.fixed_search != nullptr"), repaired or not.
        pm = prepared.model()
        solution = solve_model(replace(pm, model=pm.model.clone()),
                               replace(settings, deadline=full_model_until))
        if solution.meals:
            return _done(solution, prepared, started)
    if deadline - time.perf_counter() < MIN_WEEK_CONFLICT_SECONDS:
        # no time for the weekly model: what the search's plan misses, unproven
        report = ConflictReport([Conflict(k, prepared.rule_set.requirement(k).label,
                                          limit_of(prepared.rule_set.requirement(k),
                                                   prepared.rule_set))
                                 for k in found.broken], False, "week")
        return _failed(prepared, explain_conflicts(prepared.request, report), started,
                       deadline, True)
    pm = pm or prepared.model()
    report = week_conflicts(prepared, pm, found, deadline)
    if report.meals:
        pm.model.clear_hints()
        add_hint(pm, report.meals)
        solution = solve_model(pm, replace(settings, deadline=deadline), enforce_all=True)
        if not solution.meals:  # the plan the conflict search found, as it is
            solution.meals = report.meals
            solution.penalties = penalties_of(pm, solution.meals)
            solution.figures.status = "feasible"
        return _done(solution, prepared, started)
    explanation = explain_conflicts(prepared.request, report)
    return _failed(prepared, explanation, started, deadline, True)


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
