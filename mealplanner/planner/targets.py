"""Turn a request and the rule sets into the numbers the plan must meet.

Default daily targets describe a whole day; when a request plans only some meals, they scale
by the share of the day's energy those meals carry (constraints/gut_health.toml). A target the
request sets is used as given.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mealplanner.planner.request import PlanRequest, Profile
from mealplanner.rules import Rules


@dataclass(frozen=True)
class Target:
    value: float
    source: str
    from_request: bool = False


@dataclass(frozen=True)
class ResolvedTargets:
    """Per person, per day, for the planned meals (weekly counts say so)."""

    energy_kcal_per_day: float  # the whole day
    energy_source: str
    meal_share: float
    energy: Target  # for the planned meals
    energy_tolerance: float
    fiber_g: Target
    prebiotic_g: Target
    prebiotic_max_g: Target
    fermented_servings: Target
    sodium_max_mg: Target
    saturated_fat_max_share: Target
    plants: Target  # distinct plant foods over the plan
    plants_hard: bool
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def energy_low(self) -> float:
        return self.energy.value * (1 - self.energy_tolerance)

    @property
    def energy_high(self) -> float:
        return self.energy.value * (1 + self.energy_tolerance)


def mifflin_st_jeor_kcal(profile: Profile, rules: Rules) -> float:
    """Resting energy (Mifflin-St Jeor 1990, simplified form) times the activity factor."""
    sex_term = 5 if profile.sex == "male" else -161
    resting = 10 * profile.weight_kg + 6.25 * profile.height_cm - 5 * profile.age + sex_term
    return resting * rules.gut.activity_factors[profile.activity]


def resolve_targets(request: PlanRequest, rules: Rules) -> ResolvedTargets:
    """Every target of the request: set in the request, else the default scaled to the planned
    meals. Long on purpose: one target after another, each with its source, reads as the
    table it is."""
    gut = rules.gut
    notes: list[str] = []
    if request.energy_kcal is not None:
        day_kcal, energy_source = float(request.energy_kcal), "set in the request"
    elif request.profile is not None:
        day_kcal = round(mifflin_st_jeor_kcal(request.profile, rules))
        energy_source = gut.energy_source
        notes.append(
            f"Energy {day_kcal:.0f} kcal/day from Mifflin-St Jeor with activity "
            f"'{request.profile.activity}'."
        )
    else:
        day_kcal, energy_source = float(gut.default_kcal_per_day), "default (2,000 kcal/day)"

    share = round(sum(gut.meal_shares[m] for m in set(request.meals)), 4)
    if share < 0.999:
        notes.append(
            f"The planned meals carry {share:.0%} of the day's energy; default daily targets "
            f"are scaled to that share ({gut.meal_shares_source})."
        )
    asked = request.targets

    fiber_day = day_kcal * gut.fiber_g_per_1000_kcal / 1000
    fiber_source = gut.fiber_source
    if request.profile is not None:
        adequate = gut.fiber_adequate_intake(request.profile.sex, request.profile.age)
        if adequate is not None and adequate > fiber_day:
            fiber_day = adequate
            fiber_source = f"IOM adequate intake for {request.profile.sex}s aged " \
                           f"{request.profile.age}: {adequate} g/day"

    def default(value: float, source: str) -> Target:
        return Target(round(value * share, 3), source)

    def chosen(asked_value: float | None, fallback: Target) -> Target:
        if asked_value is None:
            return fallback
        return Target(float(asked_value), "set in the request", from_request=True)

    plants_default = round(gut.plants_per_week * min(request.days, 7) / 7)
    return ResolvedTargets(
        energy_kcal_per_day=day_kcal,
        energy_source=energy_source,
        meal_share=share,
        energy=Target(round(day_kcal * share, 1), energy_source),
        energy_tolerance=request.energy_tolerance,
        fiber_g=chosen(asked.fiber_g_per_day, default(fiber_day, fiber_source)),
        prebiotic_g=chosen(
            asked.prebiotic_g_per_day, default(gut.prebiotic_g_per_day, gut.prebiotic_source)
        ),
        prebiotic_max_g=Target(gut.prebiotic_max_g_per_day, gut.prebiotic_max_source),
        fermented_servings=chosen(
            asked.fermented_servings_per_day,
            default(gut.fermented_servings_per_day, gut.fermented_source),
        ),
        sodium_max_mg=default(gut.sodium_max_mg_per_day, gut.sodium_source),
        saturated_fat_max_share=Target(gut.saturated_fat_max_share, gut.saturated_fat_source),
        plants=(
            Target(float(asked.plants_per_week), "set in the request", from_request=True)
            if asked.plants_per_week is not None
            else Target(float(plants_default), gut.plants_source)
        ),
        plants_hard=asked.plants_per_week is not None,
        notes=tuple(notes),
    )
