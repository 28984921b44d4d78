"""A linear programme built from numpy arrays and solved by GLOP, OR-Tools' simplex solver.

Rows and columns are added in batches (one call per family of rows, not per coefficient), so
building a relaxation of a week's thousands of choices stays a matter of milliseconds; the
model goes to GLOP as one protocol buffer. Two objectives share the rows: the checkout cost
and the planner's objective (the floor of each is one solve).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from ortools.linear_solver import linear_solver_pb2
from ortools.linear_solver.python.model_builder_helper import ModelSolverHelper

INF = math.inf
# GLOP works to tolerances near 1e-7 relative; the value it reports is lowered by this share
# (and one millionth of a unit) before any floor is rounded up, so that float noise never
# lifts a floor above a plan that meets it exactly.
SAFETY = 1e-6
# Dual simplex on the programme as built (not on its dual), unscaled: measured fastest on the
# week's relaxation, about 35% under GLOP's defaults, and 42% less again without scaling (the
# same floors to the unit on 14 bench profiles; the figures are whole numbers of similar size).
GLOP_PARAMETERS = "solve_dual_problem: NEVER_DO use_dual_simplex: true use_scaling: false"


@dataclass(frozen=True)
class Solved:
    status: str  # optimal, infeasible, unknown
    value: float | None  # the minimum, lowered by SAFETY; None unless optimal


@dataclass
class SparseLP:
    """Columns with two objective vectors (cost, objective) and rows as coordinate lists."""

    lower: list[np.ndarray] = field(default_factory=list)
    upper: list[np.ndarray] = field(default_factory=list)
    row_lower: list[np.ndarray] = field(default_factory=list)
    row_upper: list[np.ndarray] = field(default_factory=list)
    entries: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=list)
    columns: int = 0
    rows: int = 0
    cost: dict[str, list] = field(default_factory=lambda: {"cost": [], "objective": []})
    offset: float = 0.0  # a constant of the planner's objective

    def add_columns(self, count: int, lower=0.0, upper=INF) -> np.ndarray:
        self.lower.append(np.broadcast_to(np.asarray(lower, dtype=np.float64), (count,)))
        self.upper.append(np.broadcast_to(np.asarray(upper, dtype=np.float64), (count,)))
        first = self.columns
        self.columns += count
        return np.arange(first, first + count, dtype=np.int64)

    def add_rows(self, count: int, lower=-INF, upper=INF) -> np.ndarray:
        self.row_lower.append(np.broadcast_to(np.asarray(lower, dtype=np.float64), (count,)))
        self.row_upper.append(np.broadcast_to(np.asarray(upper, dtype=np.float64), (count,)))
        first = self.rows
        self.rows += count
        return np.arange(first, first + count, dtype=np.int64)

    def add_terms(self, rows, columns, coefficients) -> None:
        rows, columns = np.asarray(rows, dtype=np.int64), np.asarray(columns, dtype=np.int64)
        coefficients = np.broadcast_to(np.asarray(coefficients, dtype=np.float64), rows.shape)
        self.entries.append((rows.ravel(), columns.ravel(), coefficients.ravel()))

    def add_objective(self, name: str, columns, coefficients) -> None:
        columns = np.asarray(columns, dtype=np.int64)
        coefficients = np.broadcast_to(np.asarray(coefficients, dtype=np.float64),
                                       columns.shape)
        self.cost[name].append((columns.ravel(), coefficients.ravel()))

    def objective_vector(self, name: str) -> np.ndarray:
        vector = np.zeros(self.columns)
        for columns, coefficients in self.cost[name]:
            np.add.at(vector, columns, coefficients)
        return vector

    def mark(self) -> tuple[int, int]:
        """The rows and columns so far: proto(mark) is the programme as it stood."""
        return self.rows, self.columns

    def proto(self, mark: tuple[int, int] | None = None) -> linear_solver_pb2.MPModelProto:
        """The model (or its first rows and columns) without an objective (solve() sets
        one); coefficients within a billionth of 0 (float dust of the portion lines) are 0."""
        rows_kept, columns_kept = mark or (self.rows, self.columns)
        model = linear_solver_pb2.MPModelProto()
        for lo, up in zip(np.concatenate(self.lower)[:columns_kept].tolist(),
                          np.concatenate(self.upper)[:columns_kept].tolist(), strict=True):
            model.variable.add(lower_bound=lo, upper_bound=up)
        rows = np.concatenate([r for r, _c, _v in self.entries])
        columns = np.concatenate([c for _r, c, _v in self.entries])
        values = np.concatenate([v for _r, _c, v in self.entries])
        keep = (np.abs(values) > 1e-9) & (rows < rows_kept)
        rows, columns, values = rows[keep], columns[keep], values[keep]
        assert (columns < columns_kept).all(), "a kept row reads a later column"
        order = np.argsort(rows, kind="stable")
        rows, columns, values = rows[order], columns[order].tolist(), values[order].tolist()
        starts = np.searchsorted(rows, np.arange(rows_kept + 1)).tolist()
        lows = np.concatenate(self.row_lower).tolist()
        ups = np.concatenate(self.row_upper).tolist()
        for row in range(rows_kept):
            a, b = starts[row], starts[row + 1]
            model.constraint.add(lower_bound=lows[row], upper_bound=ups[row],
                                 var_index=columns[a:b], coefficient=values[a:b])
        return model


def solve(model: linear_solver_pb2.MPModelProto, objective: np.ndarray, offset: float,
          seconds: float) -> Solved:
    """Minimise objective . columns + offset over the model's rows with GLOP."""
    for variable, coefficient in zip(model.variable, objective[:len(model.variable)].tolist(),
                                     strict=True):
        variable.objective_coefficient = coefficient
    model.objective_offset = offset
    request = linear_solver_pb2.MPModelRequest(
        model=model, enable_internal_solver_output=False,
        solver_type=linear_solver_pb2.MPModelRequest.GLOP_LINEAR_PROGRAMMING,
        solver_time_limit_seconds=seconds, solver_specific_parameters=GLOP_PARAMETERS)
    # model_builder_helper lets go of the interpreter while GLOP works (pywraplp does not), so
    # a floor solved on a thread of its own runs beside the local search
    response = linear_solver_pb2.MPSolutionResponse.FromString(
        ModelSolverHelper("glop").solve_serialized_request(request.SerializeToString()))
    status = response.status
    if status == linear_solver_pb2.MPSOLVER_OPTIMAL:
        value = response.objective_value
        return Solved("optimal", value - SAFETY * (1.0 + abs(value)))
    if status == linear_solver_pb2.MPSOLVER_INFEASIBLE:
        return Solved("infeasible", None)
    return Solved("unknown", None)
