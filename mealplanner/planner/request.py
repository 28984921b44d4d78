"""The plan request: one typed object the CLI, the JSON API and the web form all map onto."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from mealplanner.rules import MEALS, default_rules

DEFAULT_PEOPLE = 1  # a request names its household; without it, one person
SEXES = ("female", "male")
ACTIVITY_LEVELS = ("sedentary", "light", "moderate", "active", "very_active")
PORTIONS = (0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0)
# What a request may set (plans/schemas.py checks them; a relaxation a swap offers stays
# within them): a weekly budget, and a day exception's limit in its rule's unit
LEAST_BUDGET, MOST_BUDGET = 1, 10_000
MOST_EXCEPTION_LIMIT = 100_000
CURRENCIES = ("USD",)
# What a budget limits: the shopping's cost (checkout), or the cost of the food eaten (eaten:
# for households that plan week after week, where leftovers that keep feed the next week).
BUDGET_BASES = ("checkout", "eaten")


def diet_names() -> tuple[str, ...]:
    """The diets a request may name: those of the rule files (constraints/diets.toml), in
    their order."""
    return tuple(default_rules().diets)


@dataclass(frozen=True)
class Profile:
    """Body data for Mifflin-St Jeor: sex, age in years, height in cm, weight in kg."""

    sex: str
    age: int
    height_cm: float
    weight_kg: float
    activity: str = "light"


@dataclass(frozen=True)
class Targets:
    """Daily targets a request sets; None means the default from constraints/."""

    fiber_g_per_day: float | None = None
    prebiotic_g_per_day: float | None = None
    fermented_servings_per_day: float | None = None
    plants_per_week: int | None = None


@dataclass(frozen=True)
class Budget:
    amount: float  # a week's, LEAST_BUDGET to MOST_BUDGET
    currency: str = "USD"
    basis: str = "checkout"


@dataclass(frozen=True)
class PantryItem:
    food: str  # a food id or name, resolved against the catalog
    grams: int


@dataclass(frozen=True)
class MealSlot:
    """One meal of the plan: day 1..days and a slot (breakfast, lunch, dinner, snack)."""

    day: int
    slot: str


@dataclass(frozen=True)
class ContinueFrom:
    """An earlier plan this one follows: its leftovers that keep become this plan's pantry."""

    plan_id: str
    owner_token: str


@dataclass(frozen=True)
class DayException:
    """A daily rule loosened on one day, as the person chose it (when the rule blocked a
    swap): `min` or `max`, in the rule's own unit, holds that day in place of the rule's."""

    day: int
    requirement: str  # the rule's key, as explanations and blockers name it
    min: float | None = None
    max: float | None = None


@dataclass(frozen=True)
class LockedMeal:
    day: int
    slot: str
    recipe_id: str
    portion: float


@dataclass(frozen=True)
class PlanRequest:
    days: int = 7
    meals: tuple[str, ...] = MEALS
    people: int = DEFAULT_PEOPLE
    energy_kcal: int | None = None
    profile: Profile | None = None
    energy_tolerance: float = 0.10
    diet: str = "omnivore"
    exclude_allergens: tuple[str, ...] = ()
    exclude_foods: tuple[str, ...] = ()
    favorite_recipes: tuple[str, ...] = ()
    targets: Targets = field(default_factory=Targets)
    budget: Budget | None = None
    pantry: tuple[PantryItem, ...] = ()
    use_staples: bool = True
    max_prep_minutes: int | None = None
    max_repeats: int = 2
    time_limit_seconds: float = 5.0
    # the fibre the person eats today (g a day): targets start near it and rise week by week
    usual_fiber_g_per_day: float | None = None
    # supplements the person takes (b12, vitamin_d, iron, omega3, calcium): the nutrients
    # they cover are reported as covered, not planned for
    supplements: tuple[str, ...] = ()
    # daily rules the person loosened on single days (rules/day_exceptions.py)
    day_exceptions: tuple[DayException, ...] = ()
    # Rolling weeks: the plan to continue from (resolved by the plans service into the pantry
    # and start_day, never stored), and the plan's first day counted from the first plan.
    continue_from: ContinueFrom | None = None
    start_day: int = 1
    # The plan's first date (planner/dates.py); the planner itself counts days 1..n. None:
    # filled in when the plan is made (plans/service.py), or a plan stored before dates.
    start_date: date | None = None

    @property
    def slots(self) -> list[MealSlot]:
        ordered = [m for m in MEALS if m in self.meals]
        return [MealSlot(day, slot) for day in range(1, self.days + 1) for slot in ordered]
