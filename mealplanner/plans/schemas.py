"""The plan request's JSON contract, validated field by field (marshmallow).

The one definition of a request: the JSON API loads and documents it (api/plans/schemas.py),
the web form is mapped onto it (web/mapping.py) and `mealplanner plan` loads it. Every error
names its field and, for choices, lists the allowed values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from marshmallow import (
    EXCLUDE,
    RAISE,
    Schema,
    ValidationError,
    fields,
    post_load,
    pre_load,
    validate,
    validates,
    validates_schema,
)

from mealplanner.json_input import nested, problems
from mealplanner.planner.dates import start_date_problem
from mealplanner.planner.request import (
    ACTIVITY_LEVELS,
    BUDGET_BASES,
    CURRENCIES,
    DEFAULT_PEOPLE,
    LEAST_BUDGET,
    MOST_BUDGET,
    SEXES,
    Budget,
    ContinueFrom,
    PantryItem,
    PlanRequest,
    Profile,
    Targets,
    diet_names,
)
from mealplanner.plans.day_exception_schema import DayExceptionSchema
from mealplanner.plans.json_fields import IsoDate, JsonBool, JsonFloat, JsonInt
from mealplanner.rules import MEALS, default_rules
from mealplanner.rules.micronutrients import SUPPLEMENTS


def one_of(choices) -> validate.OneOf:
    return validate.OneOf(choices, error="must be one of: {choices}")


class OneOfRuleNames(validate.OneOf):
    """`one_of` the names a rule file lists (the diets), read each time a value is checked or
    the API documented, so the rule folder in force counts."""

    def __init__(self, names: Callable[[], Iterable[str]],
                 error: str = "must be one of: {choices}"):
        self._names = names
        self.labels, self.labels_text = [], ""
        self.error = error

    @property
    def choices(self) -> tuple[str, ...]:
        return tuple(self._names())

    @property
    def choices_text(self) -> str:
        return ", ".join(self.choices)


def one_of_diets() -> OneOfRuleNames:
    return OneOfRuleNames(diet_names)


class ProfileSchema(Schema):
    class Meta:
        unknown = RAISE

    sex = fields.String(required=True, validate=one_of(SEXES))
    age = JsonInt(required=True, validate=validate.Range(14, 110))
    height_cm = JsonFloat(required=True, validate=validate.Range(100, 250))
    weight_kg = JsonFloat(required=True, validate=validate.Range(30, 300))
    activity = fields.String(load_default="light", validate=one_of(ACTIVITY_LEVELS))

    @post_load
    def make(self, data, **kwargs):
        return Profile(**data)


class TargetsSchema(Schema):
    class Meta:
        unknown = RAISE

    fiber_g_per_day = JsonFloat(load_default=None, allow_none=True,
                                validate=validate.Range(0, 100))
    prebiotic_g_per_day = JsonFloat(load_default=None, allow_none=True,
                                    validate=validate.Range(0, 20))
    fermented_servings_per_day = JsonFloat(load_default=None, allow_none=True,
                                           validate=validate.Range(0, 10))
    plants_per_week = JsonInt(load_default=None, allow_none=True,
                              validate=validate.Range(0, 80))

    @post_load
    def make(self, data, **kwargs):
        return Targets(**data)


class BudgetSchema(Schema):
    class Meta:
        unknown = RAISE

    amount = JsonFloat(required=True, validate=validate.Range(LEAST_BUDGET, MOST_BUDGET))
    currency = fields.String(load_default="USD", validate=one_of(CURRENCIES))
    basis = fields.String(load_default="checkout", validate=one_of(BUDGET_BASES), metadata={
        "description": "What the budget limits: `checkout`, what the shopping costs (default), "
                       "or `eaten`, the cost of the food eaten (leftovers that keep feed the "
                       "next week)"})

    @post_load
    def make(self, data, **kwargs):
        return Budget(**data)


class PantryItemSchema(Schema):
    class Meta:
        unknown = RAISE

    food = fields.String(required=True, validate=validate.Length(1, 160))
    grams = JsonInt(required=True, validate=validate.Range(1, 100_000))

    @post_load
    def make(self, data, **kwargs):
        return PantryItem(**data)


class ContinueFromSchema(Schema):
    class Meta:
        unknown = RAISE

    plan_id = fields.String(required=True, validate=validate.Length(1, 64), metadata={
        "description": "The earlier plan this one follows"})
    owner_token = fields.String(required=True, validate=validate.Length(1, 200), metadata={
        "description": "The earlier plan's owner token (returned when it was made)"})

    @post_load
    def make(self, data, **kwargs):
        return ContinueFrom(**data)


def allergen_names() -> list[str]:
    return list(default_rules().allergens)


def one_of_allergens() -> OneOfRuleNames:
    """The allergens of the rules in force (an enum in the API document)."""
    return OneOfRuleNames(allergen_names,
                          error="unknown allergen {input!r}; must be one of: {choices}")


class PlanRequestSchema(Schema):
    class Meta:
        unknown = RAISE

    check_start_window = True  # a request as stored may start long ago (StoredRequestSchema)

    days = JsonInt(load_default=7, validate=validate.Range(1, 14))
    meals = fields.List(fields.String(validate=one_of(MEALS)), load_default=list(MEALS),
                        validate=validate.Length(1, 4))
    people = JsonInt(load_default=DEFAULT_PEOPLE, validate=validate.Range(1, 12))
    energy_kcal = JsonInt(load_default=None, allow_none=True,
                          validate=validate.Range(1000, 5000))
    profile = fields.Nested(ProfileSchema, load_default=None, allow_none=True)
    energy_tolerance = JsonFloat(load_default=0.10, validate=validate.Range(0.02, 0.5))
    diet = fields.String(load_default="omnivore", validate=one_of_diets())
    exclude_allergens = fields.List(fields.String(validate=one_of_allergens()),
                                    load_default=list, validate=validate.Length(max=15))
    exclude_foods = fields.List(fields.String(validate=validate.Length(1, 160)),
                                load_default=list, validate=validate.Length(max=100))
    favorite_recipes = fields.List(fields.String(validate=validate.Length(1, 200)),
                                   load_default=list, validate=validate.Length(max=100))
    targets = fields.Nested(TargetsSchema, load_default=None, allow_none=True)
    budget = fields.Nested(BudgetSchema, load_default=None, allow_none=True)
    pantry = fields.List(fields.Nested(PantryItemSchema), load_default=list,
                         validate=validate.Length(max=200))
    use_staples = JsonBool(load_default=True)
    max_prep_minutes = JsonInt(load_default=None, allow_none=True,
                               validate=validate.Range(5, 600))
    max_repeats = JsonInt(load_default=2, validate=validate.Range(1, 14))
    time_limit_seconds = JsonFloat(load_default=5.0, validate=validate.Range(0.5, 30))
    supplements = fields.List(fields.String(validate=one_of(SUPPLEMENTS)), load_default=list,
                              validate=validate.Length(max=len(SUPPLEMENTS)), metadata={
        "description": "Supplements the person takes: the nutrients they cover (vitamin B12, "
                       "vitamin D, iron, omega-3, calcium) are reported as covered instead of "
                       "planned from food"})
    usual_fiber_g_per_day = JsonFloat(
        load_default=None, allow_none=True, validate=validate.Range(0, 100), metadata={
            "description": "The fibre the person eats today, g a day: the plan's fibre (and "
                           "prebiotic) targets start a step above it and rise a step a week "
                           "with each next plan (continue_from) until they reach the goal"})
    day_exceptions = fields.List(
        fields.Nested(DayExceptionSchema), load_default=list,
        validate=validate.Length(max=28), metadata={
            "description": "Daily rules loosened on single days, as a person chose when a rule "
                           "blocked a swap: that day is held to the exception's min or max"})
    continue_from = fields.Nested(ContinueFromSchema, load_default=None, allow_none=True,
                                  metadata={"description": (
                                      "Plan the week after an earlier plan: what it leaves "
                                      "over and still keeps becomes this plan's pantry, and "
                                      "this plan starts the day after it ends")})
    start_day = JsonInt(load_default=1, validate=validate.Range(1, 3660), metadata={
        "description": "The plan's first day counted from the first plan of a chain (set by "
                       "continue_from)"})
    start_date = IsoDate(load_default=None, allow_none=True, metadata={
        "description": "The plan's first day, an ISO date (YYYY-MM-DD) within a year of today. "
                       "Default: the next Monday on or after tomorrow; a plan that continues "
                       "an earlier one (continue_from) starts the day after it ends. Each day "
                       "of the plan carries its date and weekday."})

    @validates("start_date")
    def _start_date_near(self, value, **kwargs):
        problem = value and self.check_start_window and start_date_problem(value)
        if problem:
            raise ValidationError(problem)

    @pre_load
    def _readable(self, data, **kwargs):
        """Numbers of over 100 digits, NaN, Infinity and NUL characters, named by field."""
        if found := problems(data):
            raise ValidationError(nested(found))
        return data

    @validates_schema
    def _meals_unique(self, data, **kwargs):
        meals = data.get("meals") or []
        if len(set(meals)) != len(meals):
            raise ValidationError("each meal may appear once", field_name="meals")

    @validates_schema
    def _exception_days(self, data, **kwargs):
        days = data.get("days", 7)
        seen = set()
        for index, exception in enumerate(data.get("day_exceptions") or []):
            if exception.day > days:
                raise ValidationError({"day_exceptions": {index: {
                    "day": [f"the plan has days 1 to {days}"]}}})
            if (exception.day, exception.requirement) in seen:
                raise ValidationError({"day_exceptions": {index: {"requirement": [
                    f"day {exception.day} already has an exception to this rule; give "
                    "both limits in one entry"]}}})
            seen.add((exception.day, exception.requirement))

    @post_load
    def make(self, data, **kwargs):
        data["meals"] = tuple(m for m in MEALS if m in data["meals"])
        data["supplements"] = tuple(dict.fromkeys(data["supplements"]))
        data["day_exceptions"] = tuple(data["day_exceptions"])
        for name in ("exclude_allergens", "exclude_foods", "favorite_recipes", "pantry"):
            data[name] = tuple(dict.fromkeys(data[name])) if name != "pantry" else tuple(
                data[name])
        data["targets"] = data["targets"] or Targets()
        return PlanRequest(**data)


class StoredRequestSchema(PlanRequestSchema):
    """A request as stored with its plan: its start date may be more than a year ago."""

    check_start_window = False


class SwapSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    day = JsonInt(required=True, validate=validate.Range(1, 14))
    slot = fields.String(required=True, validate=one_of(MEALS))


def request_to_json(request: PlanRequest) -> dict[str, Any]:
    """The normalised request, stored with the plan and echoed back."""
    from dataclasses import asdict

    data = asdict(request)
    for key in ("meals", "exclude_allergens", "exclude_foods", "favorite_recipes", "supplements"):
        data[key] = list(data[key])
    data["pantry"] = [dict(item) for item in data["pantry"]]
    data["day_exceptions"] = [dict(item) for item in data["day_exceptions"]]
    data.pop("continue_from")  # resolved into the pantry and start_day; the token is never kept
    data["start_date"] = request.start_date.isoformat() if request.start_date else None
    return data
