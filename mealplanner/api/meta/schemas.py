"""The /meta document: names a request may use, defaults, and the rule sets with sources."""

from __future__ import annotations

from marshmallow import fields

from mealplanner.api.base import DocumentSchema
from mealplanner.plans.schemas import PlanRequestSchema


class AllergenSchema(DocumentSchema):
    name = fields.String(required=True, metadata={"description": "The name a request uses."})
    label = fields.String()
    regulations = fields.List(fields.String(), metadata={
        "description": "Where it is a declared allergen: US (FALCPA/FASTER), EU (1169/2011)."})
    examples = fields.String()


class DietSchema(DocumentSchema):
    name = fields.String(required=True)
    label = fields.String()
    excludes_groups = fields.List(fields.String())


class FoodGroupSchema(DocumentSchema):
    name = fields.String(required=True)
    label = fields.String()
    plant = fields.Boolean()
    animal = fields.Boolean()


class TargetBoundSchema(DocumentSchema):
    target = fields.Float(allow_none=True)
    min = fields.Float(allow_none=True)
    max = fields.Float(allow_none=True)
    whole_day = fields.Float(allow_none=True)
    hard = fields.Boolean()
    source = fields.String(allow_none=True)


class ResolvedTargetsSchema(DocumentSchema):
    """The numbers a plan must meet, per person and day for the planned meals."""

    meal_share = fields.Float()
    energy_kcal = fields.Nested(TargetBoundSchema)
    fiber_g = fields.Nested(TargetBoundSchema)
    prebiotic_g = fields.Nested(TargetBoundSchema)
    fermented_servings = fields.Nested(TargetBoundSchema)
    sodium_mg = fields.Nested(TargetBoundSchema)
    saturated_fat_share = fields.Nested(TargetBoundSchema)
    plants_per_week = fields.Nested(TargetBoundSchema)


class RuleSchema(DocumentSchema):
    id = fields.String(required=True)
    label = fields.String()
    kind = fields.String(metadata={
        "description": "min_per_day, min_per_week, max_per_day, max_per_week, min_share, "
                       "max_share, target_per_day or shares."})
    value = fields.Float(allow_none=True)
    unit = fields.String(allow_none=True)
    groups = fields.List(fields.String())
    servings = fields.Float()
    serving_g = fields.Integer()
    share = fields.Float()
    of = fields.List(fields.String())
    details = fields.Dict()
    source = fields.String(required=True)


class RuleSetSchema(DocumentSchema):
    id = fields.String(required=True)
    name = fields.String()
    file = fields.String()
    rules = fields.List(fields.Nested(RuleSchema))


class LimitsSchema(DocumentSchema):
    page_size_max = fields.Integer()
    request_body_max_bytes = fields.Integer(allow_none=True)
    planner_slots = fields.Integer()


class MetaSchema(DocumentSchema):
    api_version = fields.String()
    meal_slots = fields.List(fields.String())
    allergens = fields.List(fields.Nested(AllergenSchema))
    diets = fields.List(fields.Nested(DietSchema))
    food_groups = fields.List(fields.Nested(FoodGroupSchema))
    cuisines = fields.List(fields.String())
    currencies = fields.List(fields.String())
    sexes = fields.List(fields.String())
    activity_levels = fields.List(fields.String())
    portions = fields.List(fields.Float())
    request_defaults = fields.Nested(PlanRequestSchema, metadata={
        "description": "What a plan request means when it leaves a field out."})
    default_targets = fields.Nested(ResolvedTargetsSchema, metadata={
        "description": "Targets for the default request (a whole day, 2,000 kcal)."})
    rule_sets = fields.List(fields.Nested(RuleSetSchema))
    limits = fields.Nested(LimitsSchema)
