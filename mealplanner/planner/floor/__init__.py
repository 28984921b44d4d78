"""Proven floors: the least a plan for a request can cost at the checkout, and the least its
objective can be, from a linear relaxation of the weekly model solved by GLOP.

Every row of the relaxation holds for every plan the CP-SAT model accepts (the same integer
figures, the same packages and storage windows, the same rules), so the relaxation's minimum
is at most any plan's: a budget below the cost floor has no plan, and a plan's objective
minus the objective floor bounds how far it can be from the best plan (its gap).
"""

from mealplanner.planner.floor.relaxation import (
    Floor,
    cost_floor_cents,
    floor_finished,
    floor_of,
    plan_floor,
    share_problem,
    start_floor,
)
from mealplanner.planner.floor.report import add_floor

__all__ = ["Floor", "add_floor", "cost_floor_cents", "floor_finished", "floor_of", "plan_floor",
           "share_problem", "start_floor"]
