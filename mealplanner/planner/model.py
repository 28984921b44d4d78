"""The CP-SAT model of one plan request: variables, one function per rule family, objective.

Every user-facing requirement is guarded by a literal named after it (`require:fiber`), so the
same model can be solved normally (all literals fixed true) or asked which requirements conflict
(literals passed as assumptions); see `explain.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from mealplanner.catalog.store import Catalog
from mealplanner.planner.candidates import Candidates
from mealplanner.planner.request import LockedMeal, MealSlot, PlanRequest
from mealplanner.planner.targets import ResolvedTargets
from mealplanner.planner.units import quarters


@dataclass(frozen=True)
class Relaxation:
    """What a requirement measures, so explain.py can report the best value reachable."""

    expression: cp_model.LinearExprT
    maximize: bool
    describe: Callable[[float], str]


@dataclass
class Requirement:
    key: str
    label: str
    literal: cp_model.IntVar
    relaxation: Callable[[], Relaxation] | None = None


@dataclass
class PlanModel:
    model: cp_model.CpModel
    request: PlanRequest
    targets: ResolvedTargets
    candidates: Candidates
    catalog: Catalog
    x: dict[tuple[int, str, str, int], cp_model.IntVar] = field(default_factory=dict)
    requirements: list[Requirement] = field(default_factory=list)
    penalties: list[tuple[str, cp_model.LinearExprT, int]] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    cost_cents: cp_model.LinearExprT = 0
    packages: dict[str, cp_model.IntVar] = field(default_factory=dict)
    plant_used: dict[str, cp_model.IntVar] = field(default_factory=dict)

    @property
    def days(self) -> range:
        return range(1, self.request.days + 1)

    def slot_vars(self, day: int, slot: str):
        return [(key, var) for key, var in self.x.items() if key[0] == day and key[1] == slot]

    def chosen(self, day: int, slot: str, recipe_id: str) -> cp_model.LinearExprT:
        return sum(
            self.x[day, slot, recipe_id, q]
            for q in self.candidates.portion_quarters
            if (day, slot, recipe_id, q) in self.x
        )

    def day_sum(self, day: int, value: Callable) -> cp_model.LinearExprT:
        """Sum over the day's meals of value(figures) times the choice variable."""
        return cp_model.LinearExpr.weighted_sum(
            *zip(*[
                (var, value(self.candidates.figures[key[2], key[3]]))
                for key, var in self.x.items()
                if key[0] == day
            ], strict=True)
        ) if any(key[0] == day for key in self.x) else 0

    def plan_sum(self, value: Callable) -> cp_model.LinearExprT:
        figures = self.candidates.figures
        items = [(var, value(figures[key[2], key[3]])) for key, var in self.x.items()]
        return cp_model.LinearExpr.weighted_sum(*zip(*items, strict=True)) if items else 0

    def require(self, key: str, label: str, relaxation=None) -> cp_model.IntVar:
        literal = self.model.new_bool_var(f"require:{key}")
        self.requirements.append(Requirement(key, label, literal, relaxation))
        return literal

    def requirement(self, key: str) -> Requirement:
        return next(r for r in self.requirements if r.key == key)


def add_choice_variables(pm: PlanModel, locked: list[LockedMeal], forbidden: list[tuple]) -> None:
    """One Boolean per (day, slot, eligible dish, portion); exactly one per slot."""
    locks = {(m.day, m.slot): m for m in locked}
    banned = set(forbidden)
    for meal in pm.request.slots:
        lock = locks.get((meal.day, meal.slot))
        for rid in pm.candidates.by_slot[meal.slot]:
            if (meal.day, meal.slot, rid) in banned:
                continue
            if lock and lock.recipe_id != rid:
                continue
            for q in pm.candidates.portion_quarters:
                if lock and quarters(lock.portion) != q:
                    continue
                pm.x[meal.day, meal.slot, rid, q] = pm.model.new_bool_var(
                    f"x_d{meal.day}_{meal.slot}_{rid}_q{q}"
                )
        pm.model.add_exactly_one(var for _key, var in pm.slot_vars(meal.day, meal.slot))


def slots_without_dishes(pm: PlanModel) -> list[MealSlot]:
    return [m for m in pm.request.slots if not pm.slot_vars(m.day, m.slot)]
