"""The CP-SAT model of one plan request: choice variables, then every requirement of the rule
set compiled (compile.py for linear rules, the families for the rest), then the objective.

Every requirement is guarded by a literal named after it (`require:fiber`), so the same model
can be solved normally (all literals fixed true) or asked which requirements conflict (literals
passed as assumptions); see cores.py and conflicts.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from mealplanner.catalog.store import Catalog
from mealplanner.planner.candidates import Candidates
from mealplanner.planner.request import LockedMeal, PlanRequest
from mealplanner.planner.units import quarters
from mealplanner.rules.requirements import Requirement, RuleSet


@dataclass
class Guard:
    """A requirement in the model and its literal."""

    requirement: Requirement
    literal: cp_model.IntVar

    @property
    def key(self) -> str:
        return self.requirement.key

    @property
    def label(self) -> str:
        return self.requirement.label


@dataclass
class PlanModel:
    model: cp_model.CpModel
    request: PlanRequest
    rule_set: RuleSet
    candidates: Candidates
    catalog: Catalog
    x: dict[tuple[int, str, str, int], cp_model.IntVar] = field(default_factory=dict)
    requirements: list[Guard] = field(default_factory=list)
    penalties: dict[str, cp_model.LinearExprT] = field(default_factory=dict)
    cost_cents: cp_model.LinearExprT = 0
    packages: dict[str, cp_model.IntVar] = field(default_factory=dict)
    plant_used: dict[str, cp_model.IntVar] = field(default_factory=dict)
    # indexes over x, filled with it: the variables of one (day, slot, dish) and of one day
    by_dish: dict[tuple[int, str, str], list[cp_model.IntVar]] = field(default_factory=dict)
    by_day: dict[int, list[tuple[tuple, cp_model.IntVar]]] = field(default_factory=dict)
    # the (dish, portion) choices in x, each once; and each figure's values over them, once
    options: dict[tuple[str, int], None] = field(default_factory=dict)
    option_values: dict[Callable, dict[tuple[str, int], int]] = field(default_factory=dict)
    day_choices: dict[int | None, tuple[list, list]] = field(default_factory=dict)
    # False: a model that only asks which requirements hold together (the conflicts and their
    # best values), without the terms the objective alone needs: half the build time for a
    # week of every dish
    penalised: bool = True

    @property
    def days(self) -> range:
        return range(1, self.request.days + 1)

    def chosen(self, day: int, slot: str, recipe_id: str) -> cp_model.LinearExprT:
        return sum(self.by_dish.get((day, slot, recipe_id), []))

    def day_sums(self, value: Callable) -> list[cp_model.LinearExprT]:
        """Per day, the sum over its meals of value(figures) times the choice variable."""
        values = self._option_values(value)
        sums = []
        for day in self.days:
            chosen, options = self._day_choices(day)
            sums.append(cp_model.LinearExpr.weighted_sum(chosen, [values[o] for o in options])
                        if chosen else 0)
        return sums

    def plan_sum(self, value: Callable) -> cp_model.LinearExprT:
        if not self.x:
            return 0
        values = self._option_values(value)
        chosen, options = self._day_choices(None)
        return cp_model.LinearExpr.weighted_sum(chosen, [values[o] for o in options])

    def _day_choices(self, day: int | None) -> tuple[list, list[tuple[str, int]]]:
        """A day's choice variables and their (dish, portion) (None: the whole plan's), listed
        once: the choice variables are all made before any sum is read."""
        found = self.day_choices.get(day)
        if found is None:
            items = list(self.x.items()) if day is None else self.by_day.get(day, [])
            found = self.day_choices[day] = ([var for _key, var in items],
                                             [key[2:] for key, _var in items])
        return found

    def _option_values(self, value: Callable) -> dict[tuple[str, int], int]:
        """value(figures) per (dish, portion) in the model: one call each, not per variable,
        and once per model for a figure read again (a bound's column, by equal bounds)."""
        values = self.option_values.get(value)
        if values is None:
            figures = self.candidates.figures
            values = self.option_values[value] = {key: value(figures[key])
                                                  for key in self.options}
        return values

    def require(self, requirement: Requirement) -> Guard:
        literal = self.model.new_bool_var(f"require:{requirement.key}")
        guard = Guard(requirement, literal)
        self.requirements.append(guard)
        return guard

    def requirement(self, key: str) -> Guard:
        return next(r for r in self.requirements if r.key == key)


def add_choice_variables(
    pm: PlanModel, locked: list[LockedMeal], forbidden: list[tuple],
    allowed: dict[tuple[int, str], set[tuple[str, int]]] | None = None,
) -> None:
    """One Boolean per (day, slot, eligible dish, portion); exactly one per slot.

    `allowed` narrows each slot to some (dish, portion) pairs: the neighbourhood of a plan
    that solve.py improves (every rule still applies in full)."""
    locks = {(m.day, m.slot): m for m in locked}
    banned = set(forbidden)
    for meal in pm.request.slots:
        lock = locks.get((meal.day, meal.slot))
        near = allowed.get((meal.day, meal.slot), set()) if allowed is not None else None
        slot_vars = []
        for rid in pm.candidates.by_slot[meal.slot]:
            if (meal.day, meal.slot, rid) in banned:
                continue
            if lock and lock.recipe_id != rid:
                continue
            for q in pm.candidates.portions(rid):
                if lock and quarters(lock.portion) != q:
                    continue
                if near is not None and (rid, q) not in near:
                    continue
                key = (meal.day, meal.slot, rid, q)
                var = pm.model.new_bool_var(f"x_d{meal.day}_{meal.slot}_{rid}_q{q}")
                pm.x[key] = var
                pm.by_dish.setdefault(key[:3], []).append(var)
                pm.by_day.setdefault(meal.day, []).append((key, var))
                pm.options[rid, q] = None
                slot_vars.append(var)
        pm.model.add_exactly_one(slot_vars)
