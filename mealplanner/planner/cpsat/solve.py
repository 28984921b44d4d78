"""Build the model for a request, solve it, and hand back the solution.

The model is compiled from the request's rule set (rules/ruleset.py): linear requirements by
compile.py, whole packages, plant foods and variety by their families; the objective's weights
are in planner/objective.py.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from mealplanner.catalog.store import Catalog
from mealplanner.planner.candidates import Candidates
from mealplanner.planner.cpsat.compile import add_linear
from mealplanner.planner.cpsat.model import PlanModel, add_choice_variables
from mealplanner.planner.families import nutrient_targets, packages, plants, variety
from mealplanner.planner.objective import FAVORITE_BONUS, FAVORITES, WEIGHTS
from mealplanner.planner.request import LockedMeal, PlanRequest
from mealplanner.rules.requirements import RuleSet

# The non-linear rule families, in the order their requirements are listed.
FAMILIES = (variety.add_to_model, plants.add_to_model, packages.add_to_model,
            nutrient_targets.add_to_model)
RANDOM_SEED = 0
RELATIVE_GAP_LIMIT = 0.005


@dataclass
class SolveSettings:
    time_limit_seconds: float = 5.0
    workers: int = 2
    # time.perf_counter() by which every solve must have stopped (the request's wall-time
    # budget, for the polish and the explanation); None: each solve's own limits only
    deadline: float | None = None


@dataclass
class SolverFigures:
    status: str  # optimal, feasible, infeasible, unknown
    objective: float | None
    best_bound: float | None
    gap: float | None
    wall_seconds: float
    conflicts: int
    branches: int
    workers: int
    seed: int = RANDOM_SEED
    method: str = "CP-SAT on the weekly model"
    # the least any plan for the request can cost at the checkout, in its currency
    # (planner/floor: a linear relaxation), for the plan's days
    cost_floor: float | None = None


@dataclass
class Solution:
    plan_model: PlanModel
    solver: cp_model.CpSolver
    figures: SolverFigures
    meals: list[tuple[int, str, str, int]] = field(default_factory=list)
    penalties: dict[str, float] = field(default_factory=dict)  # objective.PENALTIES amounts


def build_model(
    request: PlanRequest,
    catalog: Catalog,
    candidates: Candidates,
    rule_set: RuleSet,
    locked: list[LockedMeal] = (),
    forbidden: list[tuple[int, str, str]] = (),
    allowed: dict[tuple[int, str], set[tuple[str, int]]] | None = None,
    penalised: bool = True,
) -> PlanModel:
    """Choice variables, then the linear requirements in the rule set's order, then the rule
    families. Whole packages, plant foods and variety add their penalties even when the rule
    set has no requirement on them (cost and repeats are always minimised); `penalised=False`
    leaves every penalty out (PlanModel.penalised)."""
    pm = PlanModel(cp_model.CpModel(), request, rule_set, candidates, catalog,
                   penalised=penalised)
    add_choice_variables(pm, list(locked), list(forbidden), allowed)
    for requirement in rule_set.linear():
        add_linear(pm, requirement)
    for add_family in FAMILIES:
        add_family(pm)
    return pm


def favorite_choices(pm: PlanModel) -> list:
    return [var for (_d, _s, rid, _q), var in pm.x.items() if rid in pm.candidates.favorites]


def set_objective(pm: PlanModel) -> cp_model.LinearExprT:
    terms = [WEIGHTS[name] * expr for name, expr in pm.penalties.items()]
    objective = sum(terms) - FAVORITE_BONUS * sum(favorite_choices(pm))
    pm.model.minimize(objective)
    return objective


def penalty_amounts(pm: PlanModel, solver: cp_model.CpSolver) -> dict[str, float]:
    """What each penalty amounted to in the solver's plan (objective.objective_terms)."""
    amounts = {name: float(solver.value(expr)) for name, expr in pm.penalties.items()}
    amounts[FAVORITES] = float(sum(solver.value(v) for v in favorite_choices(pm)))
    return amounts


MIN_SOLVE_SECONDS = 0.05  # a solve past the deadline still gets this long to report


def new_solver(settings: SolveSettings, time_limit: float | None = None) -> cp_model.CpSolver:
    """One place for the solver settings, chosen by measurement (bench/planner_bench.py).

    Interleaved search runs the workers in lock-step batches bounded by deterministic time, so
    the same request and database give the same plan on every run. The LP-free searches reach a
    first plan in about a second; neighbourhood search then lowers the cost. Presolve's probing
    costs seconds on this model and finds little. The wall-clock limit (6x) is only a safety net
    for a heavily loaded machine (hitting it is the one way two runs can differ).
    """
    seconds = time_limit or settings.time_limit_seconds
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = max(2, settings.workers)
    params.interleave_search = True
    params.subsolvers.extend(["no_lp", "quick_restart_no_lp"])
    params.linearization_level = 0
    params.cp_model_presolve = False
    params.random_seed = RANDOM_SEED
    params.relative_gap_limit = RELATIVE_GAP_LIMIT
    params.max_deterministic_time = seconds
    params.max_time_in_seconds = seconds * 6
    if settings.deadline is not None:
        # the request's budget binds first: a solve stops there with what it has found
        params.max_time_in_seconds = max(MIN_SOLVE_SECONDS, min(
            params.max_time_in_seconds, settings.deadline - time.perf_counter()))
    return solver


def requirements_broken_by(pm: PlanModel, meals, settings: SolveSettings) -> list[str] | None:
    """Which requirements a complete set of meals breaks ([] = none), on a copy of the model;
    None when the meals do not even fit the model's structure."""
    model = pm.model.clone()
    chosen = set(meals)
    for key, var in pm.x.items():
        model.add(model.get_bool_var_from_proto_index(var.index) == (1 if key in chosen else 0))
    literals = [model.get_bool_var_from_proto_index(r.literal.index) for r in pm.requirements]
    model.clear_objective()
    model.maximize(sum(literals))
    solver = new_solver(settings, 1.0)
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return [r.key for r, lit in zip(pm.requirements, literals, strict=True)
            if not solver.boolean_value(lit)]


def penalties_of(pm: PlanModel, meals) -> dict[str, float]:
    """What each penalty amounts to for exactly these meals (all choices fixed: no search)."""
    model = pm.model.clone()
    chosen = set(meals)
    for key, var in pm.x.items():
        model.add(model.get_bool_var_from_proto_index(var.index) == (1 if key in chosen else 0))
    for guard in pm.requirements:
        model.add(model.get_bool_var_from_proto_index(guard.literal.index) == 1)
    expression = set_objective(pm)
    model.minimize(expression)  # the clone predates set_objective; minimise the same terms
    solver = new_solver(SolveSettings(), 1.0)
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return {}
    return penalty_amounts(pm, solver)


def status_name(solver: cp_model.CpSolver, status) -> str:
    if status == cp_model.OPTIMAL:
        # With a gap limit CP-SAT reports OPTIMAL once the gap is reached; call it optimal only
        # when proven.
        proven = abs(solver.objective_value - solver.best_objective_bound) < 0.5
        return "optimal" if proven else "feasible"
    return {
        cp_model.FEASIBLE: "feasible",
        cp_model.INFEASIBLE: "infeasible",
        cp_model.MODEL_INVALID: "invalid",
    }.get(status, "unknown")


def add_hint(pm: PlanModel, meals: list[tuple[int, str, str, int]]) -> None:
    """Suggest these meals (and nothing else in their slots) as where the search starts."""
    chosen = set(meals)
    slots = {(day, slot) for day, slot, _rid, _q in meals}
    for key, var in pm.x.items():
        if (key[0], key[1]) in slots:
            pm.model.add_hint(var, key in chosen)


def solve_model(
    pm: PlanModel, settings: SolveSettings, enforce_all: bool = True, repair_hint: bool = False
) -> Solution:
    if enforce_all:
        for requirement in pm.requirements:
            pm.model.add(requirement.literal == 1)
    set_objective(pm)
    solver = new_solver(settings)
    # A hint that breaks a requirement (the search's plan over budget) must be repaired, not
    # followed; interleaved search aborts on such a hint otherwise (ortools 9.15 CHECK failure).
    solver.parameters.repair_hint = repair_hint
    status = solver.solve(pm.model)
    name = status_name(solver, status)
    has_solution = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    objective = solver.objective_value if has_solution else None
    bound = solver.best_objective_bound if has_solution else None
    gap = None
    if has_solution:
        gap = round(abs(objective - bound) / max(1.0, abs(objective)), 6)
    figures = SolverFigures(
        status=name, objective=objective, best_bound=bound, gap=gap,
        wall_seconds=round(solver.wall_time, 3), conflicts=solver.num_conflicts,
        branches=solver.num_branches, workers=settings.workers,
    )
    solution = Solution(pm, solver, figures)
    if has_solution:
        solution.meals = sorted(
            key for key, var in pm.x.items() if solver.boolean_value(var)
        )
        solution.penalties = penalty_amounts(pm, solver)
    return solution


# Deterministic seconds CP-SAT spends improving the search's plan. Measured (bench/README.md):
# a longer polish buys less than the same time given to the local search, so it stays short;
# at 0.015 (about 0.026 s of wall time) it confirms the plan against the model and improved
# 1 of 33 bench plans, as it did at 0.03.
POLISH_SECONDS = 0.015
# A complete model (one meal or a few left open) is small enough for CP-SAT to prove the best
# choice; the proof needs more than the short polish (about 0.2 s of wall time for one dinner
# among every dish at seven portions).
COMPLETE_POLISH_SECONDS = 1.0


def polish_solver(settings: SolveSettings, complete: bool = False) -> cp_model.CpSolver:
    """One LP-free worker: on a model this small it gets going sooner than two interleaved."""
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = 1
    params.linearization_level = 0
    params.cp_model_presolve = False
    params.random_seed = RANDOM_SEED
    params.max_deterministic_time = COMPLETE_POLISH_SECONDS if complete else POLISH_SECONDS
    params.max_time_in_seconds = max(1.0, settings.time_limit_seconds)  # safety net only
    return solver


def polish(pm: PlanModel, meals: list[tuple[int, str, str, int]], objective: float,
           settings: SolveSettings, complete: bool = False) -> Solution:
    """CP-SAT over a neighbourhood of the local search's plan (pm is built on it, see
    search/bounds.neighbourhood): every requirement enforced, the plan as the hint, and only plans
    at least as good accepted, so the result is the search's plan or a better one. The plan
    itself always fits: a solve that finds nothing in its time returns it unchanged once the
    model has confirmed it meets every requirement.

    `complete`: pm holds every option the request allows (a swap, or a re-plan with most meals
    kept, is that small), so CP-SAT's bound holds for the request and "optimal" is a proof."""
    for requirement in pm.requirements:
        pm.model.add(requirement.literal == 1)
    expression = set_objective(pm)
    pm.model.add(expression <= round(objective))
    add_hint(pm, meals)
    solver = polish_solver(settings, complete)
    status = solver.solve(pm.model)
    figures = SolverFigures(
        status="feasible", objective=None, best_bound=None, gap=None,
        wall_seconds=round(solver.wall_time, 3), conflicts=solver.num_conflicts,
        branches=solver.num_branches, workers=1,
        method="local search over every dish and portion, then CP-SAT over the best "
               "alternatives for each meal",
    )
    solution = Solution(pm, solver, figures)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        solution.meals = sorted(key for key, var in pm.x.items() if solver.boolean_value(var))
        solution.penalties = penalty_amounts(pm, solver)
        figures.objective = solver.objective_value
        if complete:
            figures.status = status_name(solver, status)
            figures.best_bound = solver.best_objective_bound
            figures.gap = round(abs(figures.objective - figures.best_bound)
                                / max(1.0, abs(figures.objective)), 6)
            figures.method = "CP-SAT over every option left, from the local search's plan"
    elif requirements_broken_by(pm, meals, settings) == []:
        solution.meals = sorted(meals)
        solution.penalties = penalties_of(pm, meals)
        figures.objective = objective
    return solution
