"""A meal's alternatives (GET /plans/{id}/alternatives) and the swap that picks one."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from mealplanner.api.base import DocumentSchema
from mealplanner.planner.request import (
    LEAST_BUDGET,
    MOST_BUDGET,
    MOST_EXCEPTION_LIMIT,
    PORTIONS,
)
from mealplanner.plans.schemas import SwapSchema, one_of
from mealplanner.rules import MEALS


class AlternativesQuerySchema(Schema):
    class Meta:
        unknown = RAISE

    day = fields.Integer(required=True, validate=validate.Range(
        1, 14, error="must be a day of the plan, from {min} to {max}"), metadata={
        "description": "The meal's day, from 1."})
    slot = fields.String(required=True, validate=one_of(MEALS), metadata={
        "description": "breakfast, lunch, dinner or snack."})


class SwapExceptionSchema(Schema):
    """A daily rule loosened on the swap's day, as a blocker's `relax_swap` offers it (with
    `min` or `max`; checked against the plan's rules once the plan is found)."""

    class Meta:
        unknown = RAISE

    requirement = fields.String(required=True, validate=validate.Length(1, 80), metadata={
        "description": "The daily rule's key (a blocker's `requirement`)."})
    min = fields.Float(load_default=None, allow_none=True,
                       validate=validate.Range(0, MOST_EXCEPTION_LIMIT),
                       metadata={"description": "The day's minimum, in the rule's unit."})
    max = fields.Float(load_default=None, allow_none=True,
                       validate=validate.Range(0, MOST_EXCEPTION_LIMIT),
                       metadata={"description": "The day's cap, in the rule's unit."})


class SwapChoiceSchema(SwapSchema):
    """The meal to replace and, optionally, the dish to put there."""

    recipe_id = fields.String(load_default=None, validate=validate.Length(1, 200), metadata={
        "description": "One of the meal's alternatives (GET .../alternatives); without it the "
                       "planner picks the best."})
    portion = fields.Float(load_default=None, validate=one_of(PORTIONS), metadata={
        "description": "The portion of `recipe_id` (0.5-2 in quarters); without it, the "
                       "dish's best portion."})
    day_exception = fields.Nested(SwapExceptionSchema, load_default=None, allow_none=True,
                                  metadata={"description": (
                                      "Loosen the daily rule that blocks `recipe_id` on this "
                                      "day only (a blocker's `relax_swap`); kept in the plan's "
                                      "request as one of its `day_exceptions`.")})
    budget = fields.Float(load_default=None, allow_none=True,
                          validate=validate.Range(LEAST_BUDGET, MOST_BUDGET),
                          metadata={"description": (
                              "Raise the plan's weekly budget to this amount for `recipe_id` "
                              "(a budget blocker's `relax_swap`); kept in the plan's request.")})


class ChangeSchema(DocumentSchema):
    """What picking the alternative changes, against the current meal."""

    cost = fields.Float(metadata={"description": "USD for the household: the plan's whole "
                                                 "checkout after the swap minus before."})
    energy_kcal = fields.Float(metadata={"description": "That day, per person."})
    fiber_g = fields.Float(metadata={"description": "That day, per person."})
    fermented_servings = fields.Float(metadata={
        "description": "Live-culture servings that day, per person."})
    minutes = fields.Integer(metadata={"description": "Preparation and cooking time."})


class ChoiceSchema(DocumentSchema):
    recipe_id = fields.String()
    name = fields.String()
    portion = fields.Float()
    minutes = fields.Integer(metadata={"description": "Preparation and cooking time."})


class AlternativeSchema(ChoiceSchema):
    change = fields.Nested(ChangeSchema)


class BlockerSchema(DocumentSchema):
    """A rule that rules out other dishes for the meal."""

    requirement = fields.String(metadata={"description": "The requirement's key."})
    label = fields.String(metadata={"description": "The rule, as the plan states it."})
    dishes = fields.Integer(metadata={"description": "Other dishes it rules out."})
    of_dishes = fields.Integer(metadata={"description": "Other dishes the meal could take."})
    text = fields.String(metadata={"description": "The reason in plain words, with numbers."})
    closest = fields.String(allow_none=True, metadata={
        "description": "The dish nearest to keeping the rule."})
    closest_value = fields.Float(allow_none=True, metadata={
        "description": "What the plan reaches with that dish, in `unit`."})
    limit = fields.Float(allow_none=True, metadata={"description": "The rule's bound."})
    unit = fields.String()
    relax = fields.String(allow_none=True, metadata={
        "description": "What relaxing this rule alone, for that day, would allow."})
    relax_swap = fields.Dict(allow_none=True, metadata={
        "description": "The swap that relaxing it makes: `recipe_id`, `portion` and either "
                       "`day_exception` ({`requirement`, `min` or `max`}: a daily rule, on "
                       "that day only) or `budget` (the weekly budget the shopping then "
                       "needs), to post to the swap endpoint as they are with the meal's `day` "
                       "and `slot`. Null for a rule neither can loosen (a weekly rule other "
                       "than the checkout budget, a share of energy)."})


class MealAlternativesSchema(DocumentSchema):
    day = fields.Integer()
    slot = fields.String()
    current = fields.Nested(ChoiceSchema)
    alternatives = fields.List(fields.Nested(AlternativeSchema), metadata={
        "description": "Up to five other dishes, best first by the planner's objective, each "
                       "keeping every rule with the other meals as they are."})
    blocked_by = fields.List(fields.Nested(BlockerSchema), metadata={
        "description": "When there is no alternative: the rules that block, the one ruling "
                       "out the most dishes first."})
    message = fields.String(metadata={"description": "Empty when there are alternatives."})
    seconds = fields.Float(metadata={"description": "How long finding them took."})
