"""Variety: a dish at most `max_repeats` times, never the same lunch or dinner on consecutive
days, never the same dish twice in one day."""

from __future__ import annotations

from mealplanner.planner.model import PlanModel, Relaxation

REPEAT_PENALTY = "repeated dishes"


def add_variety(pm: PlanModel) -> None:
    request = pm.request
    literal = pm.require(
        "variety",
        f"each dish at most {request.max_repeats} times, no identical lunch or dinner on "
        "consecutive days",
    )
    recipes = sorted({key[2] for key in pm.x})  # a dish with no variable is never served
    slots = request.slots
    repeat_vars = []
    for rid in recipes:
        uses = sum(pm.chosen(m.day, m.slot, rid) for m in slots)
        pm.model.add(uses <= request.max_repeats).only_enforce_if(literal)
        extra = pm.model.new_int_var(0, len(slots), f"repeats_{rid}")
        pm.model.add(extra >= uses - 1)
        repeat_vars.append(extra)
        for day in pm.days:
            same_day = sum(pm.chosen(day, slot, rid) for slot in request.meals)
            pm.model.add(same_day <= 1).only_enforce_if(literal)
            if day + 1 in pm.days:
                for slot in ("lunch", "dinner"):
                    if slot in request.meals:
                        pm.model.add(
                            pm.chosen(day, slot, rid) + pm.chosen(day + 1, slot, rid) <= 1
                        ).only_enforce_if(literal)
    pm.penalties.append((REPEAT_PENALTY, sum(repeat_vars), 1))
    pm.requirement("variety").relaxation = lambda: Relaxation(
        sum(repeat_vars), False, lambda v: f"{v:.0f} repeated meals would be needed"
    )
