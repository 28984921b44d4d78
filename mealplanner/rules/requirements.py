"""What a requirement is: its key, the quantities it counts, its bounds, its period, and how
the value a plan reaches reads to a person. The types every part of the planner shares;
ruleset.py builds them for a request."""

from __future__ import annotations

from dataclasses import dataclass, field

from mealplanner.rules.load import GroupRule

# Requirement keys: the names every part uses for a rule (model literals `require:<key>`,
# broken rules, explanations, one-click fixes).
ENERGY = "energy"
FIBER = "fiber"
FIBER_CEILING = "fiber_ceiling"
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

# Quantities a meal holds, by name: the model reads them from each dish's figures
# (planner/units.py says in which integer units), the checker from ingredient grams.
# "group:<name>" is grams of the foods of a food group.
NUTRIENT_QUANTITIES = {
    "energy_kcal": "kcal",
    "fiber_g": "g",
    "prebiotic_g": "g",  # as eaten: a raw food's fructans lose part of themselves to cooking
    "prebiotic_most_g": "g",  # the most the food may hold: no loss to cooking counted
    "fermented_servings": "servings",
    "sodium_mg": "mg",
    "saturated_fat_g": "g",
    "eaten_cents": "cents",  # what the food costs, at its package's price per edible gram
    # the nutrients a dietitian checks (constraints/micronutrients.toml)
    "protein_g": "g", "calcium_mg": "mg", "iron_mg": "mg", "potassium_mg": "mg",
    "magnesium_mg": "mg", "zinc_mg": "mg", "folate_ug": "µg", "vitamin_c_mg": "mg",
    "vitamin_b12_ug": "µg", "vitamin_d_ug": "µg", "ala_g": "g", "epa_dha_g": "g",
    "added_sugars_g": "g",
}
NUTRIENT_PREFIX = "nutrient:"  # requirement keys of the nutrients a dietitian checks
ADDED_SUGARS = "added_sugars"
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
    target: float | None = None  # closeness target (energy), in the first term's units
    # a cap's comfortable level below its hard bound: each unit above it costs the penalty
    # objective.soft_penalty(key) names (fibre above this week's step of the ramp)
    soft_high: float | None = None
    # The person's exceptions on single days (a swap the rule blocked, request
    # day_exceptions): (day, the bound that holds that day in place of bounds[0])
    day_bounds: tuple[tuple[int, Bound], ...] = ()

    def bounds_on(self, day: int) -> tuple[Bound, ...]:
        """The bounds that hold on `day`: the person's exception there, else the rule's own."""
        for excepted, bound in self.day_bounds:
            if excepted == day:
                return (bound,)
        return self.bounds

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
    # weekly nutrient targets the objective pursues but never requires (a linear minimum
    # each, over the plan): families/nutrient_targets.py
    soft_minimums: tuple[Requirement, ...] = ()
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
