"""Variety (constraints/variety.toml): a dish at most `max_repeats` times, never twice in one
day, never in the same meal on consecutive days (lunch and dinner by default). Model side,
search side and checker side together."""

from __future__ import annotations

from mealplanner.planner.objective import REPEATS
from mealplanner.rules.requirements import VARIETY, RuleSet, VarietyLimits

# --- model side ---------------------------------------------------------------------------------


def add_to_model(pm) -> None:
    """The rules over each dish's choice variables; a rule over meals where at most one can
    serve the dish holds whatever is chosen (each meal takes one dish) and is left out."""
    request, limits = pm.request, pm.rule_set.variety
    guard = pm.require(pm.rule_set.requirement(VARIETY))
    literal = guard.literal
    recipes = sorted({key[2] for key in pm.x})  # a dish with no variable is never served
    slots = request.slots
    repeat_vars = []

    def at_most_one(meals: list[tuple[int, str]], rid: str) -> None:
        serving = [vs for day, slot in meals if (vs := pm.by_dish.get((day, slot, rid)))]
        if len(serving) > 1:
            pm.model.add(sum(sum(vs) for vs in serving) <= 1).only_enforce_if(literal)

    for rid in recipes:
        uses = sum(pm.chosen(m.day, m.slot, rid) for m in slots)
        pm.model.add(uses <= limits.max_repeats).only_enforce_if(literal)
        if pm.penalised:
            extra = pm.model.new_int_var(0, len(slots), f"repeats_{rid}")
            pm.model.add(extra >= uses - 1)
            repeat_vars.append(extra)
        for day in pm.days:
            if limits.once_a_day:
                at_most_one([(day, slot) for slot in request.meals], rid)
            if day + 1 in pm.days:
                for slot in limits.no_consecutive_days:
                    at_most_one([(day, slot), (day + 1, slot)], rid)
    if pm.penalised:
        pm.penalties[REPEATS] = sum(repeat_vars)


# --- search side ---------------------------------------------------------------------------------


def clashing_slots(slots: list[tuple[int, str]], limits: VarietyLimits) -> dict[int, list[int]]:
    """Per slot index, the slots whose dish must differ from its own: the same day's other
    meals, and the same meal on the neighbouring days."""
    by_key = {key: i for i, key in enumerate(slots)}
    found = {}
    for i, (day, meal) in enumerate(slots):
        others = []
        if limits.once_a_day:
            others += [j for j, (d2, _m) in enumerate(slots) if d2 == day and j != i]
        if meal in limits.no_consecutive_days:
            others += [by_key[day + k, meal] for k in (-1, 1) if (day + k, meal) in by_key]
        found[i] = others
    return found


# --- checker side --------------------------------------------------------------------------------


def check(seen_slots: dict[tuple[int, str], str], rule_set: RuleSet) -> list[str]:
    """Every variety rule, from the plan's (day, meal) -> dish."""
    limits = rule_set.variety
    problems = []
    counts: dict[str, int] = {}
    for recipe_id in seen_slots.values():
        counts[recipe_id] = counts.get(recipe_id, 0) + 1
    for recipe_id, count in counts.items():
        if count > limits.max_repeats:
            problems.append(f"{recipe_id} appears {count} times (max {limits.max_repeats})")
    for (day, slot), recipe_id in seen_slots.items():
        if slot in limits.no_consecutive_days and seen_slots.get((day + 1, slot)) == recipe_id:
            problems.append(f"{recipe_id} is {slot} on days {day} and {day + 1}")
        same_day = [s for (d, s), r in seen_slots.items() if d == day and r == recipe_id]
        if limits.once_a_day and len(same_day) > 1 and slot == same_day[0]:
            problems.append(f"{recipe_id} is served twice on day {day}")
    return problems
