"""Say why no plan exists, in words and numbers a person can act on.

First what is proven without search: a slot with no dish left after the filters, a rule no
choice of dishes can meet (each meal at its extreme, search/bounds.py). A plan from the
local search that misses only the budget gives the cheapest cost found. Otherwise a relaxation:
every requirement's literal is left free and the requirements the best plan found must drop are
the ones in conflict: what the search's plan breaks, or without one, the fewest requirements a
relaxed solve must drop. For each, the model is solved once more without it, to report the best
value reachable while every other requirement holds.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from mealplanner.planner.candidates import Candidates
from mealplanner.planner.cpsat.solve import (
    SolveSettings,
    add_hint,
    build_model,
    new_solver,
    requirements_broken_by,
)
from mealplanner.planner.request import PlanRequest
from mealplanner.planner.search.bounds import Unreachable
from mealplanner.rules.requirements import BUDGET, RuleSet

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
    parts = [f"a {request.diet.replace('_', ' ')} diet"] if request.diet != "omnivore" else []
    if request.exclude_allergens:
        parts.append(f"{', '.join(request.exclude_allergens)} excluded")
    if request.exclude_foods:
        parts.append(f"{', '.join(request.exclude_foods)} avoided")
    if request.max_prep_minutes is not None:
        parts.append(f"at most {request.max_prep_minutes} minutes per meal")
    return " with " + "; ".join(parts) if parts else ""


def explain_empty_slots(
    request: PlanRequest, candidates: Candidates, empty_slots: list[tuple[int, str]]
) -> Explanation | None:
    """No dish is left for some (day, slot): say which filters removed its dishes."""
    empty: dict[str, list[int]] = {}
    for day, slot in empty_slots:
        empty.setdefault(slot, []).append(day)
    if not empty:
        return None
    rows, sentences = [], []
    for slot, days in empty.items():
        removed = candidates.removed.get(slot, {})
        eligible = len(candidates.by_slot.get(slot, []))
        rows.append({"slot": slot, "days": days, "removed": removed, "eligible": eligible})
        why = "; ".join(f"{n} {reason}" for reason, n in sorted(removed.items()))
        if eligible:
            sentences.append(f"no {slot} dish is left for days {days} (locked or swapped out)")
        else:
            sentences.append(f"no {slot} dish is left{filters_phrase(request)} ({why})")
    return Explanation(
        reason="no_dishes",
        message="; ".join(sentences).capitalize() + ".",
        empty_slots=rows,
        suggestions=["Allow more allergens or foods, choose a broader diet, allow more time, "
                     "or leave that meal out of the plan."],
    )


def _conflict_message(verb: str, request: PlanRequest, conflicts: list[dict[str, Any]]) -> str:
    labels = [c["label"] for c in conflicts]
    reachable = "; ".join(
        f"without '{c['label']}', {c['best_reachable']}" for c in conflicts if c["best_reachable"]
    )
    return (
        f"{verb} {' together with '.join(labels)} and the other requirements"
        f"{filters_phrase(request)}" + (f": {reachable}." if reachable else ".")
    )


def explain_unreachable(
    request: PlanRequest, rule_set: RuleSet, unreachable: list[Unreachable]
) -> Explanation:
    """Rules out of reach whatever the dishes (each meal at its extreme): proven, before any
    search."""
    conflicts = []
    for rule in unreachable:
        label = rule_set.requirement(rule.key).label
        conflicts.append({
            "requirement": rule.key, "label": label, "best_reachable": rule.describe(),
            "value": rule.reachable, "suggestion": f"Relax '{label}': {rule.describe()}.",
        })
    reasons = "; ".join(f"'{c['label']}': {c['best_reachable']}" for c in conflicts)
    return Explanation(
        reason="conflict",
        message=f"No plan can meet {' or '.join(c['label'] for c in conflicts)}"
                f"{filters_phrase(request)}, whatever the dishes and portions: {reasons}.",
        conflicts=conflicts,
        suggestions=[c["suggestion"] for c in conflicts],
    )


def explain_budget(request: PlanRequest, rule_set: RuleSet, cheapest_cents: int) -> Explanation:
    """The search met every requirement but the budget: the cheapest such plan it found is
    the number to act on."""
    budget = rule_set.requirement(BUDGET)
    describe = budget.reach_phrase(cheapest_cents / 100)
    conflicts = [{
        "requirement": BUDGET, "label": budget.label, "best_reachable": describe,
        "value": cheapest_cents, "suggestion": f"Relax '{budget.label}': {describe}.",
    }]
    return Explanation(
        reason="conflict",
        message=_conflict_message("No plan was found that meets", request, conflicts),
        conflicts=conflicts,
        suggestions=[conflicts[0]["suggestion"]],
    )


def explain_infeasible(
    request: PlanRequest, settings: SolveSettings, proven: bool, hint=(), broken=None,
    **model_args,
) -> Explanation:
    """Find the fewest requirements to give up for a plan to exist, and what each could reach.

    `hint` is the local search's plan (search/) and `broken` the requirements it misses:
    the search meets what it can, so what it breaks is what conflicts.
    """
    pm = build_model(request, **model_args)
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
        if settings.deadline is not None and time.perf_counter() >= settings.deadline:
            # out of time: name the requirement without what it could reach
            requirement = model_args["rule_set"].requirement(key)
            conflicts.append({"requirement": key, "label": requirement.label,
                              "best_reachable": None, "value": None, "suggestion": None})
            continue
        row, meals = _best_without(request, settings, key, dropped, model_args, hint)
        if meals and requirements_broken_by(pm, meals, settings) == []:
            # Searching without this requirement found a plan that meets it after all.
            return Explanation(reason="found", message="A plan meeting every requirement was "
                               "found by the relaxed search.", found_meals=meals)
        conflicts.append(row)
    verb = "No plan can meet" if proven else "No plan was found that meets"
    return Explanation(
        reason="conflict",
        message=_conflict_message(verb, request, conflicts),
        conflicts=conflicts,
        suggestions=[c["suggestion"] for c in conflicts if c.get("suggestion")],
    )


def _best_without(request, settings, key, dropped, model_args, hint):
    """The best value of one dropped requirement while every other requirement holds (the
    other conflicting ones too, when that leaves a plan: 'with energy in range, the most fiber
    reachable is ...'), and the meals of the plan that reaches it."""
    attempts = [set(dropped)]
    if len(dropped) > 1:
        attempts.insert(0, {key})
    for relaxed in attempts:
        # the search's plan meets everything but `dropped`: a hint only when all are relaxed
        row, meals = _solve_without(request, settings, key, relaxed, model_args,
                                    hint if relaxed == set(dropped) else ())
        if row["value"] is not None:
            break
    others = sorted(relaxed - {key})
    if row["value"] is not None and others:
        # reached with the other conflicting requirements given up too: say so, as the value
        # may well meet this requirement's own limit
        labels = ", ".join(f"'{model_label(model_args, k)}'" for k in others)
        row["best_reachable"] += f" (with {labels} given up too)"
        row["suggestion"] = (f"Relax '{row['label']}' together with {labels}: "
                             f"{row['best_reachable']}.")
        row["relaxed_with"] = others
    return row, meals


def model_label(model_args, key: str) -> str:
    return model_args["rule_set"].requirement(key).label


def _solve_without(request, settings, key, relaxed, model_args, hint):
    pm = build_model(request, **model_args)
    if hint:
        add_hint(pm, hint)
    requirement = pm.requirement(key)
    row = {"requirement": key, "label": requirement.label, "best_reachable": None,
           "value": None, "suggestion": None}
    for other in pm.requirements:
        if other.key not in relaxed:
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
