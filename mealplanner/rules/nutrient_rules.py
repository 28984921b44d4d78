"""The requirements of the nutrients a dietitian checks (constraints/micronutrients.toml), for
one request: the enforced minimums (protein every day, vitamin B12 on average) and the
added-sugars cap.

A daily minimum the eligible dishes cannot reach even at their richest (B12 in a vegan week) is
not enforced, which would leave no plan: it is reported as skipped with the most the dishes can
give and what would help. A nutrient a stated supplement covers is reported as covered. The
other weekly averages (minerals, vitamins, omega-3) are soft minimums: the objective pays for
each unit short (families/nutrient_targets.py) and the plan reports them against their targets
(planner/nutrient_report.py); held as hard rules together, most vegetarian and budget weeks had
no plan (vitamin D from food alone, EPA + DHA without fish)."""

from __future__ import annotations

from collections.abc import Callable

from mealplanner.formatting import percent, significant
from mealplanner.rules.requirements import (
    ADDED_SUGARS,
    DAY,
    NUTRIENT_PREFIX,
    PLAN,
    Bound,
    Requirement,
    Term,
)


def nutrient_key(quantity: str) -> str:
    return NUTRIENT_PREFIX + quantity


def nutrient_requirements(targets, days: int, most_per_day: Callable[[str], float] | None
                          ) -> tuple[list[Requirement], list[dict], list[Requirement]]:
    """(requirements, skipped entries, soft weekly minimums) for the request's nutrient
    targets."""
    requirements, skipped, soft = [], [], []
    for target in targets.nutrients:
        rule, value = target.rule, target.value
        key = nutrient_key(rule.quantity)
        daily = rule.period == "day"
        label = (f"{rule.label} >= {significant(value)} {rule.unit}/day" if daily
                 else f"{rule.label} >= {significant(value)} {rule.unit}/day on average")
        if target.covered_by:
            skipped.append({"rule": key, "label": label,
                            "reason": f"covered by the stated supplement ({target.covered_by})"})
            continue
        if target.needs_supplement:
            skipped.append({"rule": key, "label": label,
                            "reason": "advised from fortified foods or a supplement for this "
                                      "diet or age", "help": rule.help})
            continue
        most = most_per_day(rule.quantity) if most_per_day else None
        if most is not None and most < value:
            skipped.append({
                "rule": key, "label": label,
                "reason": f"the eligible dishes give at most {significant(most)} {rule.unit} a day",
                "help": rule.help,
            })
            continue
        bound = Bound((Term(rule.quantity),), low=value if daily else value * days)
        (requirements if rule.enforced else soft).append(Requirement(
            key, label, target.source, DAY if daily else PLAN, bounds=(bound,),
            unit=rule.unit, unit_size=1.0 if daily else float(days)))
    return requirements, skipped, soft


def added_sugars_requirement(rules, targets) -> Requirement | None:
    """Added sugars under a share of energy, every day (kcal_per_g x g <= share x kcal)."""
    cap = rules.added_sugars
    if cap is None:
        return None
    share = cap.max_share_of_energy
    return Requirement(
        ADDED_SUGARS, f"added sugars <= {percent(share)} of energy", cap.source, DAY,
        bounds=(Bound((Term(cap.quantity, cap.kcal_per_g), Term("energy_kcal", -share)),
                      high=0, scale=share * targets.energy.value, slack=1.0),))
