"""Mediterranean frequency rules from constraints/mediterranean.toml, counted in grams.

A minimum rule no eligible dish can serve (fish for a vegan) is skipped and reported, never
silently dropped.
"""

from __future__ import annotations

import math

from mealplanner.catalog.store import Catalog
from mealplanner.planner.candidates import Candidates
from mealplanner.planner.model import PlanModel, Relaxation
from mealplanner.planner.request import PlanRequest
from mealplanner.planner.targets import ResolvedTargets
from mealplanner.planner.units import QUARTERS_PER_PORTION
from mealplanner.rules import GroupRule


def rule_scale(targets: ResolvedTargets, request: PlanRequest, rule: GroupRule) -> float:
    """Daily rules scale with the planned meals' share of the day, weekly ones with days/7."""
    return targets.meal_share if rule.per_day else request.days / 7


def skip_reason(
    request: PlanRequest, catalog: Catalog, candidates: Candidates, rule: GroupRule
) -> str | None:
    if not rule.is_minimum:
        return None
    groups = set(rule.groups)
    served = any(
        groups & set(fig.group_qg) for fig in candidates.figures.values()
    )
    if served:
        return None
    diet = catalog.rules.diets[request.diet]
    if groups <= diet.excludes_groups:
        return f"the {request.diet} diet excludes {rule.label.lower()}"
    return f"no eligible dish contains {rule.label.lower()} after the exclusions"


def active_rules(request: PlanRequest, catalog: Catalog, candidates: Candidates):
    """The rules the plan must meet: every rule but the minimums no eligible dish serves."""
    return [rule for rule in catalog.rules.mediterranean
            if skip_reason(request, catalog, candidates, rule) is None]


def add_mediterranean(pm: PlanModel) -> None:
    for rule in pm.catalog.rules.mediterranean:
        reason = skip_reason(pm.request, pm.catalog, pm.candidates, rule)
        if reason:
            pm.skipped.append({"rule": rule.id, "label": rule.label, "reason": reason})
            continue
        if rule.kind == "min_share":
            _add_share_rule(pm, rule)
        else:
            _add_frequency_rule(pm, rule)


def group_amount(groups, fig) -> int:
    return sum(fig.group_qg.get(g, 0) for g in groups)


def _add_frequency_rule(pm: PlanModel, rule: GroupRule) -> None:
    scale = rule_scale(pm.targets, pm.request, rule)
    bound_g = rule.servings * rule.serving_g * scale
    bound_qg = bound_g * QUARTERS_PER_PORTION
    minimum = rule.is_minimum
    period = "day" if rule.per_day else "week"
    servings = rule.servings * scale if rule.per_day else rule.servings
    label = (
        f"{rule.label} {'>=' if minimum else '<='} {servings:g} serving(s) of "
        f"{rule.serving_g} g per {period}"
    )
    literal = pm.require(f"med:{rule.id}", label)

    def amount_of(fig):
        return group_amount(rule.groups, fig)

    if rule.per_day:
        periods = {day: pm.day_sum(day, amount_of) for day in pm.days}
    else:
        periods = {0: pm.plan_sum(amount_of)}
    for amount in periods.values():
        if minimum:
            pm.model.add(amount >= math.ceil(bound_qg)).only_enforce_if(literal)
        else:
            pm.model.add(amount <= math.floor(bound_qg)).only_enforce_if(literal)

    def relaxation() -> Relaxation:
        upper = 10**9
        if minimum:
            lowest = pm.model.new_int_var(0, upper, f"lowest_{rule.id}")
            pm.model.add_min_equality(lowest, list(periods.values()))
            expr, maximize = lowest, True
        else:
            highest = pm.model.new_int_var(0, upper, f"highest_{rule.id}")
            pm.model.add_max_equality(highest, list(periods.values()))
            expr, maximize = highest, False
        per = rule.serving_g * QUARTERS_PER_PORTION
        return Relaxation(
            expr, maximize,
            lambda v: f"the best plan found has {v / per:.1f} servings of "
                      f"{rule.label.lower()} per {period}",
        )

    pm.requirement(f"med:{rule.id}").relaxation = relaxation


def _add_share_rule(pm: PlanModel, rule: GroupRule) -> None:
    literal = pm.require(
        f"med:{rule.id}", f"{rule.label}: at least {rule.share:.0%} of added fat"
    )
    part = pm.plan_sum(lambda fig: group_amount(rule.groups, fig))
    whole = pm.plan_sum(lambda fig: group_amount(rule.of, fig))
    permille = round(rule.share * 1000)
    pm.model.add(1000 * part >= permille * whole).only_enforce_if(literal)
