"""The one list of requirements a plan must meet, built once per request from
`constraints/*.toml` and the resolved targets.

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
from dataclasses import dataclass, field

from mealplanner.rules.load import GroupRule, Rules

# Requirement keys: the names every part uses for a rule (model literals `require:<key>`,
# broken rules, explanations, one-click fixes).
ENERGY = "energy"
FIBER = "fiber"
PREBIOTIC = "prebiotic"
PREBIOTIC_TOLERANCE = "prebiotic_tolerance"
FERMENTED = "fermented"
SODIUM = "sodium"
SATURATED_FAT = "saturated_fat"
VARIETY = "variety"
PLANTS = "plants"
BUDGET = "budget"
MEDITERRANEAN_PREFIX = "med:"

DAY, PLAN = "day", "plan"  # periods: each day on its own, or the whole plan
LINEAR, VARIETY_FAMILY, PLANTS_FAMILY, PACKAGES_FAMILY = "linear", "variety", "plants", "packages"
LOWEST, HIGHEST, DISTANCE = "lowest", "highest", "distance"  # what a relaxation optimises

# Quantities a meal holds, by name: the model reads them from each dish's figures
# (planner/units.py says in which integer units), the checker from ingredient grams.
# "group:<name>" is grams of the foods of a food group.
NUTRIENT_QUANTITIES = {
    "energy_kcal": "kcal",
    "fiber_g": "g",
    "prebiotic_g": "g",
    "fermented_servings": "servings",
    "sodium_mg": "mg",
    "saturated_fat_g": "g",
}
GROUP_PREFIX = "group:"


def mediterranean_key(rule_id: str) -> str:
    return MEDITERRANEAN_PREFIX + rule_id


def group_quantity(group: str) -> str:
    return GROUP_PREFIX + group


@dataclass(frozen=True)
class Term:
    """weight x a quantity a meal holds (see NUTRIENT_QUANTITIES and group_quantity)."""

    quantity: str
    weight: float = 1.0


@dataclass(frozen=True)
class Bound:
    """sum(weight x quantity) over each period >= low and/or <= high, in the terms' units.

    `scale` is what a miss of 1.0 means to the local search (a day 10% short of its fiber
    counts 0.1); None: the bound itself. `slack` is the checker's tolerance (float noise in
    sums over ingredient grams)."""

    terms: tuple[Term, ...]
    low: float | None = None
    high: float | None = None
    scale: float | None = None
    slack: float = 0.01


@dataclass(frozen=True)
class Requirement:
    """One rule of the plan, as every part reads it."""

    key: str
    label: str
    source: str
    period: str  # DAY or PLAN
    family: str = LINEAR
    hard: bool = True
    bounds: tuple[Bound, ...] = ()  # LINEAR only
    # How the amount reads to a person: `unit` (empty: never quoted alone) with `unit_size`
    # quantity units per unit (100 g per serving of vegetables).
    unit: str = ""
    unit_size: float = 1.0
    # What a relaxation optimises when this requirement is dropped (LOWEST: the lowest period
    # value up; HIGHEST: the highest down; DISTANCE: the distance from `target` down), and how
    # the value it reaches reads, in `unit`s (or the family's own measure).
    relax: str | None = None
    reach_phrase: Callable[[float], str] | None = None
    target: float | None = None  # closeness target (energy), in the first term's units

    @property
    def is_mediterranean(self) -> bool:
        return self.key.startswith(MEDITERRANEAN_PREFIX)


@dataclass(frozen=True)
class VarietyLimits:
    max_repeats: int
    once_a_day: bool
    no_consecutive_days: tuple[str, ...]


@dataclass(frozen=True)
class RuleSet:
    """The requirements of one request, in the order the model lists them, and the figures the
    objective needs."""

    requirements: tuple[Requirement, ...]
    skipped: tuple[dict, ...]  # Mediterranean minimums no eligible dish can serve, with why
    mediterranean: tuple[tuple[GroupRule, str], ...]  # every rule and its requirement key
    energy_target: int  # kcal per person per day for the planned meals (closeness objective)
    variety: VarietyLimits
    plants_target: int
    plants_hard: bool
    budget_cents: int | None  # for the plan's days (the request's budget is per week)
    budget_amount: float | None
    currency: str
    days: int = 7
    by_key: dict[str, Requirement] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.by_key.update({r.key: r for r in self.requirements})

    def requirement(self, key: str) -> Requirement:
        return self.by_key[key]

    def linear(self, period: str | None = None) -> list[Requirement]:
        return [r for r in self.requirements if r.family == LINEAR
                and (period is None or r.period == period)]

    def has(self, key: str) -> bool:
        return key in self.by_key


def plan_budget_amount(weekly_amount: float, days: int) -> float:
    """The request's budget is per week for the household; a plan of other length scales it."""
    return weekly_amount * days / 7


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
    fermented, sodium = t.fermented_servings.value, t.sodium_max_mg.value
    share, ceiling = t.saturated_fat_max_share.value, t.prebiotic_max_g.value

    def lowest(unit: str) -> Callable[[float], str]:
        return lambda v: f"the best plan found reaches {v:.1f} {unit} on its lowest day"

    return [
        Requirement(
            ENERGY, f"energy {t.energy.value:.0f} kcal/day +/- {t.energy_tolerance:.0%} "
                    f"({low}-{high} kcal)", t.energy.source, DAY,
            bounds=(Bound(energy, low=t.energy_low, high=t.energy_high,
                          scale=t.energy.value, slack=1.0),),
            unit="kcal", relax=DISTANCE, target=energy_target,
            reach_phrase=lambda v: f"the closest plan found is on average {v / days:.0f} "
                                   f"kcal/day away from {energy_target} kcal"),
        Requirement(FIBER, f"fiber >= {fiber:.1f} g/day", t.fiber_g.source, DAY,
                    bounds=(Bound((Term("fiber_g"),), low=fiber),), unit="g fiber",
                    relax=LOWEST, reach_phrase=lowest("g/day")),
        Requirement(PREBIOTIC, f"prebiotic fibre >= {prebiotic:.1f} g/day",
                    t.prebiotic_g.source, DAY,
                    bounds=(Bound((Term("prebiotic_g"),), low=prebiotic),),
                    unit="g prebiotic fibre", relax=LOWEST, reach_phrase=lowest("g/day")),
        Requirement(PREBIOTIC_TOLERANCE, f"prebiotic fibre <= {ceiling:.0f} g/day",
                    t.prebiotic_max_g.source, DAY,
                    bounds=(Bound((Term("prebiotic_g"),), high=ceiling),),
                    unit="g prebiotic fibre"),
        Requirement(FERMENTED, f"live-culture fermented foods >= {fermented:g} serving(s)/day",
                    t.fermented_servings.source, DAY,
                    bounds=(Bound((Term("fermented_servings"),), low=fermented),),
                    unit="live-culture servings", relax=LOWEST,
                    reach_phrase=lowest("servings/day")),
        Requirement(SODIUM, f"sodium <= {sodium:.0f} mg/day", t.sodium_max_mg.source, DAY,
                    bounds=(Bound((Term("sodium_mg"),), high=sodium, slack=1.0),),
                    unit="mg sodium", relax=HIGHEST,
                    reach_phrase=lambda v: f"the least salty plan reaches {v:.0f} mg sodium "
                                           "on its saltiest day"),
        # 9 kcal per gram of fat: 9 x saturated fat g <= share x energy kcal
        Requirement(SATURATED_FAT, f"saturated fat <= {share:.0%} of energy",
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
        return Requirement(key, f"{rule.label}: at least {rule.share:.0%} of added fat",
                           rule.source, PLAN,
                           bounds=(Bound(terms, low=0, scale=rule.share * 100, slack=1e-6),))
    scale = rule_scale(rule, meal_share, days)
    bound_g = rule.servings * rule.serving_g * scale
    period = "day" if rule.per_day else "week"
    servings = rule.servings * scale if rule.per_day else rule.servings
    minimum = rule.is_minimum
    label = (f"{rule.label} {'>=' if minimum else '<='} {servings:g} serving(s) of "
             f"{rule.serving_g} g per {period}")
    terms = tuple(Term(group_quantity(g)) for g in rule.groups)
    bound = Bound(terms, low=bound_g if minimum else None, high=None if minimum else bound_g,
                  scale=max(0.25, bound_g), slack=0.25)
    what = rule.label.lower()
    return Requirement(
        key, label, rule.source, DAY if rule.per_day else PLAN, bounds=(bound,),
        unit=f"servings of {what}", unit_size=rule.serving_g,
        relax=LOWEST if minimum else HIGHEST,
        reach_phrase=lambda v: f"the best plan found has {v:.1f} servings of {what} "
                               f"per {period}")


def build_rule_set(request, rules: Rules, targets, served_groups: set[str]) -> RuleSet:
    """Every requirement of the request. `served_groups`: the food groups some eligible dish
    contains (a Mediterranean minimum none can serve is skipped and reported, never silently
    dropped)."""
    days = request.days
    requirements = _nutrient_requirements(targets, days)
    skipped, mediterranean = [], []
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
        PLAN, family=VARIETY_FAMILY, relax=DISTANCE,
        reach_phrase=lambda v: f"{v:.0f} repeated meals would be needed"))
    plants_target = round(targets.plants.value)
    if targets.plants_hard:
        requirements.append(Requirement(
            PLANTS, f"at least {plants_target} different plant foods", targets.plants.source,
            PLAN, family=PLANTS_FAMILY, unit="different plant foods", relax=LOWEST,
            reach_phrase=lambda v: f"the best plan found has {v:.0f} different plant foods"))
    budget = request.budget
    budget_cents = None
    if budget is not None:
        amount = plan_budget_amount(budget.amount, days)
        budget_cents = round(amount * 100)
        label = f"weekly budget {budget.amount:.2f} {budget.currency}"
        if days != 7:
            label += f" ({amount:.2f} for {days} days)"
        currency = budget.currency
        requirements.append(Requirement(
            BUDGET, label, "set in the request", PLAN, family=PACKAGES_FAMILY, relax=HIGHEST,
            reach_phrase=lambda v: f"the cheapest plan found meeting every other requirement "
                                   f"costs {v:.2f} {currency}"))
    return RuleSet(
        requirements=tuple(requirements), skipped=tuple(skipped),
        mediterranean=tuple(mediterranean), energy_target=round(targets.energy.value),
        variety=variety, plants_target=plants_target, plants_hard=targets.plants_hard,
        budget_cents=budget_cents,
        budget_amount=plan_budget_amount(budget.amount, days) if budget else None,
        currency=budget.currency if budget else "USD", days=days,
    )


def _variety_label(max_repeats: int, no_consecutive: tuple[str, ...]) -> str:
    label = f"each dish at most {max_repeats} times"
    if no_consecutive:
        label += f", no identical {' or '.join(no_consecutive)} on consecutive days"
    return label
