"""The diet rule sets in `constraints/`, read once into typed dataclasses.

A new rule set of an existing kind is a data change: add a table to the TOML file.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from mealplanner.paths import constraints_dir
from mealplanner.rules.micronutrients import NutrientRule, SugarCap, read_micronutrients

MEALS = ("breakfast", "lunch", "dinner", "snack")
RULE_KINDS = ("min_per_day", "min_per_week", "max_per_day", "max_per_week", "min_share")


@dataclass(frozen=True)
class GroupRule:
    """A Mediterranean frequency rule on food groups, counted in grams."""

    id: str
    label: str
    kind: str
    groups: tuple[str, ...]
    source: str
    servings: float = 0
    serving_g: int = 0
    share: float = 0.0
    of: tuple[str, ...] = ()

    @property
    def is_minimum(self) -> bool:
        return self.kind in ("min_per_day", "min_per_week", "min_share")

    @property
    def per_day(self) -> bool:
        return self.kind.endswith("_per_day")


@dataclass(frozen=True)
class FiberIntake:
    sex: str
    min_age: int
    max_age: int
    g_per_day: int


@dataclass(frozen=True)
class GutTargets:
    fiber_g_per_1000_kcal: float
    fiber_source: str
    fiber_adequate_intakes: tuple[FiberIntake, ...]
    fiber_max_multiple: float  # a day's fibre cap as a multiple of its target
    fiber_max_base_g_per_day: float  # ... or of this, for the whole day, when it is higher
    fiber_max_source: str
    fiber_ramp_g_per_week: float  # the rise from a usual intake, per week
    fiber_ramp_source: str
    prebiotic_g_per_day: float
    prebiotic_source: str
    prebiotic_max_g_per_day: float
    prebiotic_max_source: str
    # the share of a raw food's fructans a dish that cooks it keeps (minimum rule only)
    prebiotic_cooked_retention: float
    prebiotic_cooked_retention_source: str
    fermented_servings_per_day: float
    fermented_source: str
    plants_per_week: int
    plants_source: str
    sodium_max_mg_per_day: int
    sodium_source: str
    saturated_fat_max_share: float
    saturated_fat_source: str
    default_kcal_per_day: int
    energy_tolerance: float
    energy_source: str
    activity_factors: dict[str, float]
    meal_shares: dict[str, float]
    meal_shares_source: str

    def fiber_adequate_intake(self, sex: str, age: int) -> int | None:
        for intake in self.fiber_adequate_intakes:
            if intake.sex == sex and intake.min_age <= age <= intake.max_age:
                return intake.g_per_day
        return None


@dataclass(frozen=True)
class Allergen:
    name: str
    label: str
    regulations: tuple[str, ...]
    examples: str


@dataclass(frozen=True)
class Diet:
    name: str
    label: str
    excludes_groups: frozenset[str]


@dataclass(frozen=True)
class FoodGroup:
    name: str
    label: str
    plant: bool
    animal: bool
    note: str = ""  # what a food or dish page says of a food in the group


@dataclass(frozen=True)
class VarietyRules:
    """How often a dish may come back (constraints/variety.toml)."""

    default_max_repeats: int
    max_repeats_source: str
    once_a_day: bool
    once_a_day_source: str
    no_consecutive_days: tuple[str, ...]  # meals that never repeat on the next day
    no_consecutive_days_source: str


@dataclass(frozen=True)
class Rules:
    allergens: dict[str, Allergen]
    diets: dict[str, Diet]
    food_groups: dict[str, FoodGroup]
    aisles: tuple[str, ...]
    aisle_labels: dict[str, str]
    gut: GutTargets
    mediterranean_name: str
    mediterranean: tuple[GroupRule, ...]
    variety: VarietyRules
    # the nutrients a dietitian checks (micronutrients.toml; none when a rule folder has none)
    micronutrients: tuple[NutrientRule, ...] = ()
    added_sugars: SugarCap | None = None

    @property
    def plant_groups(self) -> frozenset[str]:
        return frozenset(n for n, g in self.food_groups.items() if g.plant)

    def diets_for_groups(self, groups: set[str] | frozenset[str]) -> list[str]:
        """The diets a dish with these food groups fits, in the order of diets.toml."""
        return [name for name, diet in self.diets.items() if not (diet.excludes_groups & groups)]


def _read(directory: Path, name: str) -> dict:
    with open(directory / name, "rb") as handle:
        return tomllib.load(handle)


def _gut_targets(data: dict) -> GutTargets:
    fiber, energy, shares = data["fiber"], data["energy"], dict(data["meal_shares"])
    shares_source = shares.pop("source")
    return GutTargets(
        fiber_g_per_1000_kcal=float(fiber["g_per_1000_kcal"]),
        fiber_source=fiber["source"],
        fiber_adequate_intakes=tuple(FiberIntake(**ai) for ai in fiber["adequate_intake"]),
        fiber_max_multiple=float(fiber["max_multiple"]),
        fiber_max_base_g_per_day=float(fiber["max_base_g_per_day"]),
        fiber_max_source=fiber["max_source"],
        fiber_ramp_g_per_week=float(fiber["ramp_g_per_week"]),
        fiber_ramp_source=fiber["ramp_source"],
        prebiotic_g_per_day=float(data["prebiotic"]["g_per_day"]),
        prebiotic_source=data["prebiotic"]["source"],
        prebiotic_max_g_per_day=float(data["prebiotic"]["max_g_per_day"]),
        prebiotic_max_source=data["prebiotic"]["max_source"],
        prebiotic_cooked_retention=float(data["prebiotic"]["cooked_retention"]),
        prebiotic_cooked_retention_source=data["prebiotic"]["cooked_retention_source"],
        fermented_servings_per_day=float(data["fermented"]["servings_per_day"]),
        fermented_source=data["fermented"]["source"],
        plants_per_week=int(data["plants"]["per_week"]),
        plants_source=data["plants"]["source"],
        sodium_max_mg_per_day=int(data["sodium"]["max_mg_per_day"]),
        sodium_source=data["sodium"]["source"],
        saturated_fat_max_share=float(data["saturated_fat"]["max_share_of_energy"]),
        saturated_fat_source=data["saturated_fat"]["source"],
        default_kcal_per_day=int(energy["default_kcal_per_day"]),
        energy_tolerance=float(energy["tolerance"]),
        energy_source=energy["source"],
        activity_factors={k: float(v) for k, v in energy["activity_factors"].items()},
        meal_shares={k: float(v) for k, v in shares.items()},
        meal_shares_source=shares_source,
    )


def _group_rule(raw: dict, known_groups: set[str]) -> GroupRule:
    if raw["kind"] not in RULE_KINDS:
        raise ValueError(f"rule {raw['id']}: kind must be one of {', '.join(RULE_KINDS)}")
    for group in (*raw["groups"], *raw.get("of", ())):
        if group not in known_groups:
            raise ValueError(f"rule {raw['id']}: unknown food group {group!r}")
    return GroupRule(
        id=raw["id"],
        label=raw["label"],
        kind=raw["kind"],
        groups=tuple(raw["groups"]),
        source=raw["source"],
        servings=float(raw.get("servings", 0)),
        serving_g=int(raw.get("serving_g", 0)),
        share=float(raw.get("share", 0.0)),
        of=tuple(raw.get("of", ())),
    )


def _variety(data: dict) -> VarietyRules:
    unknown = set(data["no_consecutive_days"]) - set(MEALS)
    if unknown:
        raise ValueError(f"variety: no_consecutive_days names unknown meals {sorted(unknown)}; "
                         f"meals are {', '.join(MEALS)}")
    return VarietyRules(
        default_max_repeats=int(data["default_max_repeats"]),
        max_repeats_source=data["max_repeats_source"],
        once_a_day=bool(data["once_a_day"]),
        once_a_day_source=data["once_a_day_source"],
        no_consecutive_days=tuple(data["no_consecutive_days"]),
        no_consecutive_days_source=data["no_consecutive_days_source"],
    )


def load_rules(directory: Path | None = None) -> Rules:
    """Read every rule file; raises ValueError naming the rule that is malformed."""
    directory = directory or constraints_dir()
    groups_raw = _read(directory, "food_groups.toml")["groups"]
    food_groups = {
        name: FoodGroup(name, g["label"], bool(g.get("plant")), bool(g.get("animal")),
                        g.get("note", ""))
        for name, g in groups_raw.items()
    }
    allergens = {
        name: Allergen(name, a["label"], tuple(a["regulations"]), a["examples"])
        for name, a in _read(directory, "allergens.toml")["allergens"].items()
    }
    diets = {
        name: Diet(name, d["label"], frozenset(d["excludes_groups"]))
        for name, d in _read(directory, "diets.toml")["diets"].items()
    }
    for diet in diets.values():
        unknown = diet.excludes_groups - set(food_groups)
        if unknown:
            raise ValueError(f"diet {diet.name}: unknown food groups {sorted(unknown)}")
    aisles = _read(directory, "aisles.toml")
    medit = _read(directory, "mediterranean.toml")
    micronutrients, added_sugars = (
        read_micronutrients(_read(directory, "micronutrients.toml"))
        if (directory / "micronutrients.toml").exists() else ((), None))
    return Rules(
        allergens=allergens,
        diets=diets,
        food_groups=food_groups,
        aisles=tuple(aisles["order"]),
        aisle_labels=dict(aisles["labels"]),
        gut=_gut_targets(_read(directory, "gut_health.toml")),
        mediterranean_name=medit["name"],
        mediterranean=tuple(_group_rule(r, set(food_groups)) for r in medit["rules"]),
        variety=_variety(_read(directory, "variety.toml")),
        micronutrients=micronutrients,
        added_sugars=added_sugars,
    )


@cache
def default_rules() -> Rules:
    """The rule sets of this process (MEALPLANNER_CONSTRAINTS_DIR, else the packaged ones),
    read once."""
    return load_rules()
