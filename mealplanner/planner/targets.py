"""Turn a request and the rule sets into the numbers the plan must meet.

Default daily targets describe a whole day; when a request plans only some meals, they scale
by the share of the day's energy those meals carry (constraints/gut_health.toml). A target the
request sets is used as given.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from mealplanner.formatting import count, number, percent
from mealplanner.planner.request import PlanRequest, Profile
from mealplanner.rules import Rules
from mealplanner.rules.micronutrients import NutrientRule


@dataclass(frozen=True)
class Target:
    value: float
    source: str
    from_request: bool = False


@dataclass(frozen=True)
class FiberRamp:
    """A week on the way from the person's usual fibre to the goal (g a day, planned meals)."""

    usual_g: float
    week_g: float  # this plan's fibre target
    goal_g: float
    step_g: float  # the rise per week
    weeks_to_goal: int  # more plans after this one until the goal
    source: str

    @property
    def comfortable_g(self) -> float:
        """Fibre above this costs the plan (objective.FIBER_ABOVE_STEP): one step up."""
        return self.week_g + self.step_g

    def as_document(self) -> dict:
        return {"usual_g_per_day": round(self.usual_g, 1), "week_g_per_day": round(self.week_g, 1),
                "comfortable_g_per_day": round(self.comfortable_g, 1),
                "goal_g_per_day": round(self.goal_g, 1), "step_g_per_week": round(self.step_g, 1),
                "weeks_to_goal": self.weeks_to_goal, "source": self.source}


def fiber_ramp(usual_g: float | None, goal: Target, share: float,
               gut) -> tuple[Target, Target, FiberRamp | None]:
    """(this week's fibre minimum, the day's fibre cap, the ramp or None): from a stated usual
    intake the target starts one weekly step above it, and fibre more than a step above the
    target costs the plan (the Mediterranean rules may need more than that in the first
    weeks), until the goal is reached. The cap is always a multiple of the goal."""
    base = max(goal.value, gut.fiber_max_base_g_per_day * share)
    cap = Target(round(base * gut.fiber_max_multiple, 3), gut.fiber_max_source)
    if usual_g is None or usual_g * share + gut.fiber_ramp_g_per_week * share >= goal.value:
        return goal, cap, None
    step = gut.fiber_ramp_g_per_week * share
    week = round(usual_g * share + step, 3)
    ramp = FiberRamp(usual_g=usual_g * share, week_g=week, goal_g=goal.value, step_g=step,
                     weeks_to_goal=math.ceil((goal.value - week) / step - 1e-9),
                     source=gut.fiber_ramp_source)
    target = Target(week, f"step toward {number(goal.value)} g/day ({goal.source}) from a "
                          f"usual {number(usual_g)} g/day: {gut.fiber_ramp_source}")
    return target, cap, ramp


@dataclass(frozen=True)
class NutrientTarget:
    """A dietitian's nutrient for this request: per person per day for the planned meals
    (weekly ones: on average), or covered by a stated supplement."""

    rule: NutrientRule
    value: float
    source: str
    covered_by: str | None = None  # the supplement that covers it
    needs_supplement: bool = False  # the diet gives it only from fortified foods


def nutrient_targets(request: PlanRequest, rules: Rules, share: float) -> tuple:
    profile = request.profile
    sex, age, weight = ((profile.sex, profile.age, profile.weight_kg) if profile
                        else (None, None, None))
    found = []
    for rule in rules.micronutrients:
        day = rule.value_for(sex, age, weight)
        source = rule.source if profile else f"{rule.source}; adult default (no body data)"
        covered = rule.supplement if rule.supplement in request.supplements else None
        found.append(NutrientTarget(rule, round(day * share, 3), source, covered,
                                    rule.needs_supplement(request.diet, age)))
    return tuple(found)


@dataclass(frozen=True)
class ResolvedTargets:
    """Per person, per day, for the planned meals (weekly counts say so)."""

    energy_kcal_per_day: float  # the whole day
    energy_source: str
    meal_share: float
    energy: Target  # for the planned meals
    energy_tolerance: float
    fiber_g: Target
    fiber_max_g: Target
    prebiotic_g: Target
    prebiotic_max_g: Target
    fermented_servings: Target
    sodium_max_mg: Target
    saturated_fat_max_share: Target
    plants: Target  # distinct plant foods over the plan
    plants_hard: bool
    notes: tuple[str, ...] = field(default_factory=tuple)
    fiber_ramp: FiberRamp | None = None
    nutrients: tuple[NutrientTarget, ...] = ()

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
            f"Energy {number(day_kcal, 0)} kcal/day from Mifflin-St Jeor with activity "
            f"'{request.profile.activity}'."
        )
    else:
        day_kcal, energy_source = float(gut.default_kcal_per_day), "default (2,000 kcal/day)"

    share = round(sum(gut.meal_shares[m] for m in set(request.meals)), 4)
    if share < 0.999:
        notes.append(
            f"The planned meals carry {percent(share)} of the day's energy; default daily targets "
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
    fiber_goal = chosen(asked.fiber_g_per_day, default(fiber_day, fiber_source))
    fiber, fiber_max, ramp = fiber_ramp(request.usual_fiber_g_per_day, fiber_goal, share, gut)
    prebiotic = chosen(asked.prebiotic_g_per_day,
                       default(gut.prebiotic_g_per_day, gut.prebiotic_source))
    if ramp is not None:
        # prebiotic fibre rises with the rest of the fibre
        prebiotic = Target(round(prebiotic.value * ramp.week_g / ramp.goal_g, 3),
                           f"{prebiotic.source}, scaled to this week's step of the fibre ramp",
                           prebiotic.from_request)
        notes.append(f"Fibre rises gradually: {number(ramp.week_g, 0)} g a day this week from "
                     f"a usual {number(ramp.usual_g, 0)} g, toward {number(ramp.goal_g, 0)} g "
                     f"({count(ramp.weeks_to_goal, 'more week', 'more weeks', digits=0)} at "
                     f"+{number(ramp.step_g, 0)} g a week).")
    return ResolvedTargets(
        energy_kcal_per_day=day_kcal,
        energy_source=energy_source,
        meal_share=share,
        energy=Target(round(day_kcal * share, 1), energy_source),
        energy_tolerance=request.energy_tolerance,
        fiber_g=fiber,
        fiber_max_g=fiber_max,
        fiber_ramp=ramp,
        prebiotic_g=prebiotic,
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
        nutrients=nutrient_targets(request, rules, share),
    )
