"""Distinct plant foods over the plan (American Gut: 30 a week). The default is soft (maximised
up to the target and reported); a number the request sets is a hard requirement."""

from __future__ import annotations

from mealplanner.planner.model import PlanModel, Relaxation

PLANTS_PENALTY = "plant foods short of the target"


def add_plants(pm: PlanModel) -> None:
    plant_groups = pm.catalog.rules.plant_groups
    users: dict[str, list] = {}
    for (_day, _slot, rid, q), var in pm.x.items():
        for food_id in pm.candidates.figures[rid, q].food_qg:
            if plant_groups & set(pm.catalog.foods[food_id].groups):
                users.setdefault(food_id, []).append(var)
    for food_id, chosen_vars in sorted(users.items()):
        used = pm.model.new_bool_var(f"plant_{food_id}")
        pm.model.add(used <= sum(chosen_vars))
        pm.plant_used[food_id] = used
    count = sum(pm.plant_used.values())
    target = round(pm.targets.plants.value)
    if pm.targets.plants_hard:
        literal = pm.require("plants", f"at least {target} different plant foods")
        pm.model.add(count >= target).only_enforce_if(literal)
        pm.requirement("plants").relaxation = lambda: Relaxation(
            count, True, lambda v: f"the best plan found has {v:.0f} different plant foods"
        )
    else:
        shortfall = pm.model.new_int_var(0, target, "plants_shortfall")
        pm.model.add(shortfall >= target - count)
        pm.penalties.append((PLANTS_PENALTY, shortfall, 1))
