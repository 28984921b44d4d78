"""The floors in a plan's solver figures: the best bound on the objective (the relaxation's
floor, or CP-SAT's own bound where it holds for the whole request and is higher), the gap
to it, and the cost floor in the plan's currency."""

from __future__ import annotations

from mealplanner.planner.floor.relaxation import floor_of
from mealplanner.planner.objective import objective_terms
from mealplanner.planner.units import CENTS_PER_USD


def add_floor(solution, prepared) -> None:
    """Fill solution.figures' best_bound, gap and cost_floor. CP-SAT's best_bound is there
    only when it holds for every option of the request (the complete or full model); a
    neighbourhood's bound is not a floor and is never set."""
    figures = solution.figures
    floor = floor_of(prepared)
    if figures.objective is None:  # a plan found by the explanation's search
        figures.objective = float(sum(row["objective"]
                                      for row in objective_terms(solution.penalties)))
    bounds = [b for b in (floor.objective, figures.best_bound) if b is not None]
    figures.best_bound = max(bounds) if bounds else None
    if figures.best_bound is not None:
        figures.gap = round((figures.objective - figures.best_bound)
                            / max(1.0, abs(figures.objective)), 6)
    if floor.cost_cents is not None:
        figures.cost_floor = round(floor.cost_cents / CENTS_PER_USD, 2)
