"""Daily nutrient rules: energy window, fiber, prebiotic and fermented minimums, prebiotic
tolerance, sodium and saturated-fat caps. Each is one guarded requirement per rule."""

from __future__ import annotations

import math

from mealplanner.planner.model import PlanModel, Relaxation
from mealplanner.planner.units import CENTI_SERVINGS, DECIGRAMS_PER_G

ENERGY_PENALTY = "distance from the energy target"


def _min_over_days(pm: PlanModel, name: str, per_day: dict, upper: int):
    """A variable equal to the lowest daily value (for 'the most reachable is ...')."""
    lowest = pm.model.new_int_var(0, upper, f"lowest_{name}")
    pm.model.add_min_equality(lowest, list(per_day.values()))
    return lowest


def _max_over_days(pm: PlanModel, name: str, per_day: dict, upper: int):
    highest = pm.model.new_int_var(0, upper, f"highest_{name}")
    pm.model.add_max_equality(highest, list(per_day.values()))
    return highest


def add_energy(pm: PlanModel) -> None:
    t = pm.targets
    low, high = math.ceil(t.energy_low), math.floor(t.energy_high)
    literal = pm.require(
        "energy",
        f"energy {t.energy.value:.0f} kcal/day +/- {t.energy_tolerance:.0%} "
        f"({low}-{high} kcal)",
    )
    deviations = []
    target = round(t.energy.value)
    lows, highs = {}, {}
    for day in pm.days:
        energy = pm.day_sum(day, lambda f: f.energy_kcal)
        energy_high = pm.day_sum(day, lambda f: f.energy_kcal_high)
        pm.model.add(energy >= low).only_enforce_if(literal)
        pm.model.add(energy_high <= high).only_enforce_if(literal)
        deviation = pm.model.new_int_var(0, 20_000, f"energy_deviation_d{day}")
        pm.model.add(deviation >= energy - target)
        pm.model.add(deviation >= target - energy)
        deviations.append(deviation)
        lows[day], highs[day] = energy, energy_high
    pm.penalties.append((ENERGY_PENALTY, sum(deviations), 1))
    pm.requirement("energy").relaxation = lambda: Relaxation(
        sum(deviations), False,
        lambda v: f"the closest plan found is on average {v / len(pm.days):.0f} kcal/day "
                  f"away from {target} kcal",
    )


def _add_daily_minimum(pm, key, label, value, target_units, scale, unit, upper):
    literal = pm.require(key, label)
    per_day = {}
    for day in pm.days:
        amount = pm.day_sum(day, value)
        pm.model.add(amount >= target_units).only_enforce_if(literal)
        per_day[day] = amount

    def relaxation() -> Relaxation:
        lowest = _min_over_days(pm, key, per_day, upper)
        return Relaxation(
            lowest, True,
            lambda v: f"the best plan found reaches {v / scale:.1f} {unit} on its lowest day",
        )

    pm.requirement(key).relaxation = relaxation


def add_fiber(pm: PlanModel) -> None:
    target = pm.targets.fiber_g.value
    _add_daily_minimum(
        pm, "fiber", f"fiber >= {target:.1f} g/day", lambda f: f.fiber_dg,
        math.ceil(target * DECIGRAMS_PER_G), DECIGRAMS_PER_G, "g/day", 10_000,
    )


def add_prebiotic(pm: PlanModel) -> None:
    target = pm.targets.prebiotic_g.value
    _add_daily_minimum(
        pm, "prebiotic", f"prebiotic fibre >= {target:.1f} g/day", lambda f: f.prebiotic_dg,
        math.ceil(target * DECIGRAMS_PER_G), DECIGRAMS_PER_G, "g/day", 10_000,
    )
    ceiling = pm.targets.prebiotic_max_g.value
    literal = pm.require("prebiotic_tolerance", f"prebiotic fibre <= {ceiling:.0f} g/day")
    for day in pm.days:
        pm.model.add(
            pm.day_sum(day, lambda f: f.prebiotic_dg_high) <= round(ceiling * DECIGRAMS_PER_G)
        ).only_enforce_if(literal)


def add_fermented(pm: PlanModel) -> None:
    target = pm.targets.fermented_servings.value
    _add_daily_minimum(
        pm, "fermented", f"live-culture fermented foods >= {target:g} serving(s)/day",
        lambda f: f.fermented_cs, math.ceil(target * CENTI_SERVINGS - 1e-9), CENTI_SERVINGS,
        "servings/day", 10_000,
    )


def add_sodium(pm: PlanModel) -> None:
    cap = pm.targets.sodium_max_mg.value
    literal = pm.require("sodium", f"sodium <= {cap:.0f} mg/day")
    per_day = {}
    for day in pm.days:
        per_day[day] = pm.day_sum(day, lambda f: f.sodium_mg)
        pm.model.add(per_day[day] <= math.floor(cap)).only_enforce_if(literal)
    pm.requirement("sodium").relaxation = lambda: Relaxation(
        _max_over_days(pm, "sodium", per_day, 100_000), False,
        lambda v: f"the least salty plan reaches {v:.0f} mg sodium on its saltiest day",
    )


def add_saturated_fat(pm: PlanModel) -> None:
    share = pm.targets.saturated_fat_max_share.value
    literal = pm.require("saturated_fat", f"saturated fat <= {share:.0%} of energy")
    permille = round(share * 1000)
    for day in pm.days:
        # 9 kcal/g: 9 * (sat_dg / 10) <= (permille / 1000) * E  <=>  900 * sat_dg <= permille * E
        saturated = pm.day_sum(day, lambda f: f.saturated_fat_dg)
        energy = pm.day_sum(day, lambda f: f.energy_kcal)
        pm.model.add(900 * saturated <= permille * energy).only_enforce_if(literal)
