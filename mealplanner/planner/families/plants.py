"""Distinct plant foods over the plan (American Gut: 30 a week). The default target is soft
(maximised up to the target and reported); a number the request sets is a hard requirement.
Model side, search side and checker side together."""

from __future__ import annotations

import numpy as np
from ortools.sat.python import cp_model

from mealplanner.planner.objective import PLANTS_SHORT
from mealplanner.rules.requirements import PLANTS, RuleSet

# --- model side ---------------------------------------------------------------------------------


def add_to_model(pm) -> None:
    rule_set: RuleSet = pm.rule_set
    if not pm.penalised and not rule_set.has(PLANTS):
        return  # the soft target is only a penalty
    plant_groups = pm.catalog.rules.plant_groups
    plant_foods = {rid_q: [f for f in pm.candidates.figures[rid_q].food_qg
                           if plant_groups & set(pm.catalog.foods[f].groups)]
                   for rid_q in pm.options}  # worked out once per (dish, portion)
    users: dict[str, list] = {}
    for (_day, _slot, rid, q), var in pm.x.items():
        for food_id in plant_foods[rid, q]:
            users.setdefault(food_id, []).append(var)
    for food_id, chosen_vars in sorted(users.items()):
        used = pm.model.new_bool_var(f"plant_{food_id}")
        pm.model.add(used <= cp_model.LinearExpr.sum(chosen_vars))
        pm.plant_used[food_id] = used
    count = sum(pm.plant_used.values())
    target = rule_set.plants_target
    if rule_set.has(PLANTS):
        guard = pm.require(rule_set.requirement(PLANTS))
        pm.model.add(count >= target).only_enforce_if(guard.literal)
    else:
        shortfall = pm.model.new_int_var(0, target, "plants_shortfall")
        pm.model.add(shortfall >= target - count)
        pm.penalties[PLANTS_SHORT] = shortfall


# --- search side ---------------------------------------------------------------------------------


def plant_count(need_qg: np.ndarray, plant: np.ndarray) -> np.ndarray:
    """Distinct plant foods bought or used, over the last axis (one row per option)."""
    return ((need_qg > 0) & plant).sum(axis=-1)


def most_reachable(allowed_food_rows: list[np.ndarray], plant: np.ndarray) -> int:
    """At most the plant foods the allowed dishes contain, and at most the most-varied dish of
    each meal added up (`allowed_food_rows`: per meal, its options' food grams)."""
    usable = np.zeros(len(plant), dtype=bool)
    most = 0
    for food in allowed_food_rows:
        plants = (food > 0) & plant
        usable |= plants.any(axis=0)
        most += int(plants.sum(axis=1).max(initial=0))
    return min(int(usable.sum()), most)


# --- checker side --------------------------------------------------------------------------------


def plant_foods(food_ids, catalog) -> set[str]:
    plant_groups = catalog.rules.plant_groups
    return {f for f in food_ids if plant_groups & set(catalog.foods[f].groups)}


def check(food_ids, catalog, rule_set: RuleSet) -> list[str]:
    if not rule_set.has(PLANTS):
        return []
    count = len(plant_foods(food_ids, catalog))
    if count < rule_set.plants_target:
        return [f"{count} plant foods, fewer than {rule_set.plants_target}"]
    return []
