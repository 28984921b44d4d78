"""The plan's table of the nutrients a dietitian checks, as the API documents it."""

from __future__ import annotations

from marshmallow import fields

from mealplanner.api.base import DocumentSchema


class NutrientRowSchema(DocumentSchema):
    requirement = fields.String()
    nutrient = fields.String(metadata={"description": "The quantity: calcium_mg ..."})
    label = fields.String()
    unit = fields.String()
    period = fields.String(metadata={"description": "`day`: every day reaches the target "
                                                    "(enforced); `week`: on average (reported)"})
    target = fields.Float(metadata={"description": "Per person per day, planned meals"})
    per_day = fields.List(fields.Float())
    average = fields.Float()
    status = fields.String(metadata={
        "description": "met, short, covered (by a stated supplement) or out_of_reach (the "
                       "eligible dishes cannot give it; `help` says what would)"})
    lower_bound = fields.Boolean(metadata={
        "description": "Some food eaten has no USDA value for it: the amounts are at least "
                       "what is shown"})
    source = fields.String()
    covered_by = fields.String()
    reason = fields.String()
    help = fields.String()
