"""Say why no plan exists, in words and numbers a person can act on.

First the cheap checks (a slot with no dish left after the filters). Then a relaxation: every
requirement's literal is left free and the requirements the best plan found must drop are the
ones in conflict: what the day-by-day plan (warmstart.py) breaks, as it meets every daily rule;
without one, the solver drops as few requirements as it can while still finding a plan.
For each, the model is solved once more without it, to report the best value reachable while
every other requirement holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from mealplanner.planner.model import PlanModel
from mealplanner.planner.request import PlanRequest
from mealplanner.planner.solve import (
    SolveSettings,
    add_hint,
    build_model,
    new_solver,
    requirements_broken_by,
)

DIAGNOSE_SECONDS = 4.0
RELAX_SECONDS = 3.0


@dataclass
class Explanation:
    reason: str  # no_dishes, conflict, timeout
    message: str
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    empty_slots: list[dict[str, Any]] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    # Set when the relaxed search found a plan that drops nothing: the caller returns it.
    found_meals: list[tuple[int, str, str, int]] = field(default_factory=list)

    def as_document(self) -> dict[str, Any]:
        return {
            "status": "infeasible" if self.reason != "timeout" else "timeout",
            "reason": self.reason,
            "message": self.message,
            "conflicts": self.conflicts,
            "empty_slots": self.empty_slots,
            "suggestions": self.suggestions,
        }


def filters_phrase(request: PlanRequest) -> str:
    parts = [f"a {request.diet} diet"] if request.diet != "omnivore" else []
    if request.exclude_allergens:
        parts.append(f"{', '.join(request.exclude_allergens)} excluded")
    if request.exclude_foods:
        parts.append(f"{', '.join(request.exclude_foods)} avoided")
    if request.max_prep_minutes is not None:
        parts.append(f"at most {request.max_prep_minutes} minutes per meal")
    return " with " + "; ".join(parts) if parts else ""


def explain_empty_slots(pm: PlanModel) -> Explanation | None:
    """No variable could be made for some slot: say which filters removed its dishes."""
    empty = {}
    for meal in pm.request.slots:
        if not pm.slot_vars(meal.day, meal.slot):
            empty.setdefault(meal.slot, []).append(meal.day)
    if not empty:
        return None
    rows, sentences = [], []
    for slot, days in empty.items():
        removed = pm.candidates.removed.get(slot, {})
        eligible = len(pm.candidates.by_slot.get(slot, []))
        rows.append({"slot": slot, "days": days, "removed": removed, "eligible": eligible})
        why = "; ".join(f"{n} {reason}" for reason, n in sorted(removed.items()))
        if eligible:
            sentences.append(f"no {slot} dish is left for days {days} (locked or swapped out)")
        else:
            sentences.append(f"no {slot} dish is left{filters_phrase(pm.request)} ({why})")
    return Explanation(
        reason="no_dishes",
        message="; ".join(sentences).capitalize() + ".",
        empty_slots=rows,
        suggestions=["Allow more allergens or foods, choose a broader diet, allow more time, "
                     "or leave that meal out of the plan."],
    )


def explain_infeasible(
    request: PlanRequest, settings: SolveSettings, proven: bool, hint=(), broken=None,
    **model_args,
) -> Explanation:
    """Find the fewest requirements to give up for a plan to exist, and what each could reach.

    `hint` is the day-by-day plan (warmstart.py) when there is one and `broken` the
    requirements it misses: it meets every daily rule, so what it breaks is what conflicts.
    """
    pm = build_model(request, **model_args)
    empty = explain_empty_slots(pm)
    if empty:
        return empty
    if broken:
        dropped = list(broken)
    else:
        # Every requirement may be dropped; drop as few as possible (ties: later-listed ones).
        count = len(pm.requirements)
        pm.model.minimize(sum(
            (count + index) * (1 - r.literal) for index, r in enumerate(pm.requirements)
        ))
        solver = new_solver(settings, DIAGNOSE_SECONDS)
        if solver.solve(pm.model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return Explanation(
                reason="timeout",
                message="No plan was found in the time allowed, even with requirements "
                        "relaxed; try again with a longer time limit.",
            )
        dropped = [r.key for r in pm.requirements if not solver.boolean_value(r.literal)]
    if not dropped:
        # The relaxed search found a plan that meets everything after all: hand it back.
        return Explanation(
            reason="found",
            message="A plan meeting every requirement was found by the relaxed search.",
            found_meals=sorted(k for k, var in pm.x.items() if solver.boolean_value(var)),
        )
    conflicts = []
    for key in dropped:
        row, meals = _best_without(request, settings, key, dropped, model_args, hint)
        if meals and requirements_broken_by(pm, meals, settings) == []:
            # Searching without this requirement found a plan that meets it after all.
            return Explanation(reason="found", message="A plan meeting every requirement was "
                               "found by the relaxed search.", found_meals=meals)
        conflicts.append(row)
    labels = [c["label"] for c in conflicts]
    reachable = "; ".join(
        f"without '{c['label']}', {c['best_reachable']}" for c in conflicts if c["best_reachable"]
    )
    verb = "No plan can meet" if proven else "No plan was found that meets"
    message = (
        f"{verb} {' together with '.join(labels)} and the other requirements"
        f"{filters_phrase(request)}" + (f": {reachable}." if reachable else ".")
    )
    return Explanation(
        reason="conflict",
        message=message,
        conflicts=conflicts,
        suggestions=[c["suggestion"] for c in conflicts if c.get("suggestion")],
    )


def _best_without(request, settings, key, dropped, model_args, hint):
    """The best value of one dropped requirement while every kept requirement holds, and the
    meals of the plan that reaches it."""
    pm = build_model(request, **model_args)
    if hint:
        add_hint(pm, hint)
    requirement = pm.requirement(key)
    row = {"requirement": key, "label": requirement.label, "best_reachable": None,
           "value": None, "suggestion": None}
    for other in pm.requirements:
        if other.key not in dropped:
            pm.model.add(other.literal == 1)
    if requirement.relaxation is None:
        return row, []
    relaxation = requirement.relaxation()
    if relaxation.maximize:
        pm.model.maximize(relaxation.expression)
    else:
        pm.model.minimize(relaxation.expression)
    solver = new_solver(settings, RELAX_SECONDS)
    if solver.solve(pm.model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return row, []
    value = solver.value(relaxation.expression)
    row["value"] = value
    row["best_reachable"] = relaxation.describe(value)
    row["suggestion"] = f"Relax '{requirement.label}': {relaxation.describe(value)}."
    return row, sorted(key for key, var in pm.x.items() if solver.boolean_value(var))
