"""Build the model for a request, solve it, and hand back the solution or the explanation.

Objective (weights set here, in objective units): lowest cost first, then closeness to the
energy target, plant variety, fewer repeats and favourites:
  100 per cent of cost
   10 per kcal/day away from the energy target (10 kcal ~ 1 cent)
 5000 per plant food short of the soft plant target (~ 50 cents each)
 2000 per repeated dish (~ 20 cents each)
-20000 per favourite dish in the plan (worth ~ 2 dollars each: people cook what they like)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from mealplanner.catalog.store import Catalog
from mealplanner.planner.budget import COST_PENALTY, add_budget
from mealplanner.planner.candidates import Candidates, build_candidates
from mealplanner.planner.model import PlanModel, add_choice_variables
from mealplanner.planner.nutrition import (
    ENERGY_PENALTY,
    add_energy,
    add_fermented,
    add_fiber,
    add_prebiotic,
    add_saturated_fat,
    add_sodium,
)
from mealplanner.planner.pattern import add_mediterranean
from mealplanner.planner.plants import PLANTS_PENALTY, add_plants
from mealplanner.planner.request import LockedMeal, PlanRequest
from mealplanner.planner.targets import ResolvedTargets, resolve_targets
from mealplanner.planner.variety import REPEAT_PENALTY, add_variety

WEIGHTS = {COST_PENALTY: 100, ENERGY_PENALTY: 10, PLANTS_PENALTY: 5000, REPEAT_PENALTY: 2000}
FAVORITE_BONUS = 20_000
RANDOM_SEED = 0
RELATIVE_GAP_LIMIT = 0.005

RULE_FAMILIES = (
    add_energy,
    add_fiber,
    add_prebiotic,
    add_fermented,
    add_sodium,
    add_saturated_fat,
    add_mediterranean,
    add_variety,
    add_plants,
    add_budget,
)


@dataclass
class SolveSettings:
    time_limit_seconds: float = 5.0
    workers: int = 2


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


@dataclass
class Solution:
    plan_model: PlanModel
    solver: cp_model.CpSolver
    figures: SolverFigures
    meals: list[tuple[int, str, str, int]] = field(default_factory=list)


def build_model(
    request: PlanRequest,
    catalog: Catalog,
    candidates: Candidates | None = None,
    targets: ResolvedTargets | None = None,
    locked: list[LockedMeal] = (),
    forbidden: list[tuple[int, str, str]] = (),
    allowed: dict[tuple[int, str], set[tuple[str, int]]] | None = None,
) -> PlanModel:
    candidates = candidates or build_candidates(request, catalog)
    targets = targets or resolve_targets(request, catalog.rules)
    pm = PlanModel(cp_model.CpModel(), request, targets, candidates, catalog)
    add_choice_variables(pm, list(locked), list(forbidden), allowed)
    for add_rule_family in RULE_FAMILIES:
        add_rule_family(pm)
    return pm


def set_objective(pm: PlanModel) -> cp_model.LinearExprT:
    terms = [WEIGHTS[name] * expr for name, expr, _unit in pm.penalties]
    favorites = [
        var for (d, s, rid, q), var in pm.x.items() if rid in pm.candidates.favorites
    ]
    objective = sum(terms) - FAVORITE_BONUS * sum(favorites)
    pm.model.minimize(objective)
    return objective


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
    return solution


# Deterministic seconds CP-SAT spends improving the search's plan. Measured (bench/README.md):
# a longer polish buys less than the same time given to the local search, so it stays short.
POLISH_SECONDS = 0.03


def polish_solver(settings: SolveSettings) -> cp_model.CpSolver:
    """One LP-free worker: on a model this small it gets going sooner than two interleaved."""
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = 1
    params.linearization_level = 0
    params.cp_model_presolve = False
    params.random_seed = RANDOM_SEED
    params.max_deterministic_time = POLISH_SECONDS
    params.max_time_in_seconds = max(1.0, settings.time_limit_seconds)  # safety net only
    return solver


def polish(pm: PlanModel, meals: list[tuple[int, str, str, int]], objective: float,
           settings: SolveSettings, complete: bool = False) -> Solution:
    """CP-SAT over a neighbourhood of the local search's plan (pm is built on it, see
    search.neighbourhood): every requirement enforced, the plan as the hint, and only plans
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
    solver = polish_solver(settings)
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
        figures.objective = solver.objective_value
        if complete:
            figures.status = status_name(solver, status)
            figures.best_bound = solver.best_objective_bound
            figures.gap = round(abs(figures.objective - figures.best_bound)
                                / max(1.0, abs(figures.objective)), 6)
            figures.method = "CP-SAT over every option left, from the local search's plan"
    elif requirements_broken_by(pm, meals, settings) == []:
        solution.meals = sorted(meals)
        figures.objective = objective
    return solution
