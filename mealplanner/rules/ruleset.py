"""The one list of requirements a plan must meet (types in requirements.py), built once per
request from `constraints/*.toml` and the resolved targets.

Every part of the planner compiles this list: the CP-SAT model (cpsat/compile.py and the rule
families), the local search (search/problem.py), the checker, the plan document's tallies, the
explanations and the web's one-click fixes. A requirement says what it counts (linear bounds
on quantities a meal holds, or a rule family of its own: variety, distinct plant foods, whole
packages), over which period, within which bounds, whether it is hard, and how to describe
the best value a plan can reach. Nothing here knows about solvers.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from mealplanner.formatting import count, money, number, percent
from mealplanner.rules.day_exceptions import with_day_exceptions
from mealplanner.rules.load import GroupRule, Rules
from mealplanner.rules.nutrient_rules import (
    added_sugars_requirement,
    nutrient_key,
    nutrient_requirements,
)
from mealplanner.rules.requirements import (
    BUDGET,
    DAY,
    ENERGY,
    FERMENTED,
    FIBER,
    FIBER_CEILING,
    PACKAGES_FAMILY,
    PLAN,
    PLANTS,
    PLANTS_FAMILY,
    PREBIOTIC,
    PREBIOTIC_TOLERANCE,
    SATURATED_FAT,
    SODIUM,
    VARIETY,
    VARIETY_FAMILY,
    Bound,
    Requirement,
    RuleSet,
    Term,
    VarietyLimits,
    group_quantity,
    mediterranean_key,
)


def plan_budget_amount(weekly_amount: float, days: int) -> float:
    """The request's budget is per week for the household; a plan of other length scales it."""
    return weekly_amount * days / 7


def weekly_budget_amount(plan_amount: float, days: int) -> float:
    """What a plan of `days` costing `plan_amount` asks of a weekly budget."""
    return plan_amount * 7 / days


def budget_for(checkout: float, days: int) -> float:
    """The least weekly budget, to the cent, whose share for the plan's days (rounded to the
    cent, as the rule set rounds it) covers `checkout`."""
    needed = round(checkout * 100)
    weekly = round(math.floor(weekly_budget_amount(checkout, days) * 100) / 100 - 0.01, 2)
    while round(plan_budget_amount(weekly, days) * 100) < needed:
        weekly = round(weekly + 0.01, 2)
    return weekly


def rule_scale(rule: GroupRule, meal_share: float, days: int) -> float:
    """Daily Mediterranean rules scale with the planned meals' share of the day, weekly ones
    with days / 7."""
    return meal_share if rule.per_day else days / 7


def skip_reason(rule: GroupRule, rules: Rules, diet: str, served_groups: set[str]) -> str | None:
    """Why a minimum rule cannot apply (no eligible dish contains its groups), or None."""
    if not rule.is_minimum or set(rule.groups) & served_groups:
        return None
    if set(rule.groups) <= rules.diets[diet].excludes_groups:
        return f"the {diet} diet excludes {rule.label.lower()}"
    return f"no eligible dish contains {rule.label.lower()} after the exclusions"


def _nutrient_requirements(targets, days: int) -> list[Requirement]:
    t = targets
    low, high = math.ceil(t.energy_low), math.floor(t.energy_high)
    energy_target = round(t.energy.value)
    energy = (Term("energy_kcal"),)
    fiber, prebiotic = t.fiber_g.value, t.prebiotic_g.value
    fiber_cap = t.fiber_max_g.value
    fermented, sodium = t.fermented_servings.value, t.sodium_max_mg.value
    share, ceiling = t.saturated_fat_max_share.value, t.prebiotic_max_g.value
    energy_label = (f"energy {number(t.energy.value, 0)} kcal/day +/- "
                    f"{percent(t.energy_tolerance)} ({number(low, 0)}-{number(high, 0)} kcal)")
    fermented_text = count(fermented, "serving", digits=2)

    return [
        Requirement(
            ENERGY, energy_label, t.energy.source, DAY,
            bounds=(Bound(energy, low=t.energy_low, high=t.energy_high,
                          scale=t.energy.value, slack=1.0),),
            unit="kcal", target=energy_target),
        Requirement(FIBER, f"fiber >= {number(fiber)} g/day", t.fiber_g.source, DAY,
                    bounds=(Bound((Term("fiber_g"),), low=fiber),), unit="g fiber"),
        Requirement(FIBER_CEILING, f"fiber <= {number(fiber_cap, 0)} g/day",
                    t.fiber_max_g.source, DAY,
                    bounds=(Bound((Term("fiber_g"),), high=fiber_cap, slack=1.0),),
                    unit="g fiber",
                    soft_high=t.fiber_ramp.comfortable_g if t.fiber_ramp else None),
        Requirement(PREBIOTIC, f"prebiotic fibre >= {number(prebiotic)} g/day",
                    t.prebiotic_g.source, DAY,
                    bounds=(Bound((Term("prebiotic_g"),), low=prebiotic),),
                    unit="g prebiotic fibre"),
        Requirement(PREBIOTIC_TOLERANCE, f"prebiotic fibre <= {number(ceiling, 0)} g/day",
                    t.prebiotic_max_g.source, DAY,
                    bounds=(Bound((Term("prebiotic_most_g"),), high=ceiling),),
                    unit="g prebiotic fibre"),
        Requirement(FERMENTED, f"live-culture fermented foods >= {fermented_text}/day",
                    t.fermented_servings.source, DAY,
                    bounds=(Bound((Term("fermented_servings"),), low=fermented),),
                    unit="live-culture servings"),
        Requirement(SODIUM, f"sodium <= {number(sodium, 0)} mg/day", t.sodium_max_mg.source, DAY,
                    bounds=(Bound((Term("sodium_mg"),), high=sodium, slack=1.0),),
                    unit="mg sodium"),
        # 9 kcal per gram of fat: 9 x saturated fat g <= share x energy kcal
        Requirement(SATURATED_FAT, f"saturated fat <= {percent(share)} of energy",
                    t.saturated_fat_max_share.source, DAY,
                    bounds=(Bound((Term("saturated_fat_g", 9), Term("energy_kcal", -share)),
                                  high=0, scale=share * t.energy.value, slack=1.0),)),
    ]


def _mediterranean_requirement(rule: GroupRule, meal_share: float, days: int) -> Requirement:
    key = mediterranean_key(rule.id)
    if rule.kind == "min_share":
        # the group's grams >= share x the grams of the groups in `of`
        terms = tuple(Term(group_quantity(g)) for g in rule.groups) + tuple(
            Term(group_quantity(g), -rule.share) for g in rule.of)
        return Requirement(key, f"{rule.label}: at least {percent(rule.share)} of added fat",
                           rule.source, PLAN,
                           bounds=(Bound(terms, low=0, scale=rule.share * 100, slack=1e-6),))
    scale = rule_scale(rule, meal_share, days)
    bound_g = rule.servings * rule.serving_g * scale
    period = "day" if rule.per_day else "week"
    servings = rule.servings * scale if rule.per_day else rule.servings
    minimum = rule.is_minimum
    label = (f"{rule.label} {'>=' if minimum else '<='} {count(servings, 'serving', digits=2)} "
             f"of {number(rule.serving_g)} g per {period}")
    terms = tuple(Term(group_quantity(g)) for g in rule.groups)
    bound = Bound(terms, low=bound_g if minimum else None, high=None if minimum else bound_g,
                  scale=max(0.25, bound_g), slack=0.25)
    what = rule.label.lower()
    return Requirement(
        key, label, rule.source, DAY if rule.per_day else PLAN, bounds=(bound,),
        unit=f"servings of {what}", unit_size=rule.serving_g)


def build_rule_set(request, rules: Rules, targets, served_groups: set[str],
                   most_per_day: Callable[[str], float] | None = None) -> RuleSet:
    """Every requirement of the request. `served_groups`: the food groups some eligible dish
    contains (a Mediterranean minimum none can serve is skipped and reported, never silently
    dropped); `most_per_day`: the most of a nutrient the eligible dishes give in a day (a
    dietitian's nutrient out of their reach is skipped with what would help)."""
    days = request.days
    requirements = _nutrient_requirements(targets, days)
    sugars = added_sugars_requirement(rules, targets)
    if sugars is not None:
        requirements.append(sugars)
    checked, skipped, soft_minimums = nutrient_requirements(targets, days, most_per_day)
    requirements += checked
    mediterranean = []
    for rule in rules.mediterranean:
        mediterranean.append((rule, mediterranean_key(rule.id)))
        reason = skip_reason(rule, rules, request.diet, served_groups)
        if reason:
            skipped.append({"rule": rule.id, "label": rule.label, "reason": reason})
            continue
        requirements.append(_mediterranean_requirement(rule, targets.meal_share, days))

    variety = VarietyLimits(request.max_repeats, rules.variety.once_a_day,
                            tuple(m for m in rules.variety.no_consecutive_days
                                  if m in request.meals))
    requirements.append(Requirement(
        VARIETY, _variety_label(request.max_repeats, rules.variety.no_consecutive_days),
        f"{rules.variety.max_repeats_source}; {rules.variety.no_consecutive_days_source}",
        PLAN, family=VARIETY_FAMILY))
    plants_target = round(targets.plants.value)
    if targets.plants_hard:
        requirements.append(Requirement(
            PLANTS, f"at least {plants_target} different plant foods", targets.plants.source,
            PLAN, family=PLANTS_FAMILY, unit="different plant foods"))
    budget = request.budget
    budget_cents = None
    if budget is not None:
        budget_cents = round(plan_budget_amount(budget.amount, days) * 100)
        requirements.append(_budget_requirement(budget, days, request.people))
    # daily rules this request leaves out (skipped, or covered by a supplement)
    left_out = ({nutrient_key(t.rule.quantity) for t in targets.nutrients}
                | {key for _rule, key in mediterranean}) - {r.key for r in requirements}
    requirements = with_day_exceptions(requirements, request.day_exceptions, days,
                                       frozenset(left_out))
    return RuleSet(
        requirements=tuple(requirements), skipped=tuple(skipped),
        mediterranean=tuple(mediterranean), energy_target=round(targets.energy.value),
        variety=variety, plants_target=plants_target, plants_hard=targets.plants_hard,
        budget_cents=budget_cents,
        budget_amount=plan_budget_amount(budget.amount, days) if budget else None,
        currency=budget.currency if budget else "USD", days=days,
        soft_minimums=tuple(soft_minimums),
    )


def _budget_requirement(budget, days: int, people: int) -> Requirement:
    """The weekly budget on what the shopping costs (whole packages: its own family), or on
    the cost of the food eaten (a linear sum over the meals, per person)."""
    amount = plan_budget_amount(budget.amount, days)
    label = f"weekly budget {money(budget.amount, budget.currency)}"
    if budget.basis == "eaten":
        label += " for the food eaten"
    if days != 7:
        label += f" ({money(amount, budget.currency)} for {count(days, 'day', digits=0)})"
    currency = budget.currency
    if budget.basis == "eaten":
        return Requirement(
            BUDGET, label, "set in the request", PLAN,
            bounds=(Bound((Term("eaten_cents"),), high=amount * 100 / people, slack=0.5),),
            unit=currency, unit_size=100 / people)
    return Requirement(
        BUDGET, label, "set in the request", PLAN, family=PACKAGES_FAMILY)


def _variety_label(max_repeats: int, no_consecutive: tuple[str, ...]) -> str:
    label = f"each dish at most {max_repeats} time{'' if max_repeats == 1 else 's'}"
    if no_consecutive:
        label += f", no identical {' or '.join(no_consecutive)} on consecutive days"
    return label
