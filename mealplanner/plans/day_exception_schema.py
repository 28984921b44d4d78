"""The request's `day_exceptions` entries: a daily rule loosened on one day (offered when the
rule blocks a swap; rules/day_exceptions.py checks them against the request's rule set)."""

from __future__ import annotations

from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates_schema,
)

from mealplanner.planner.request import MOST_EXCEPTION_LIMIT, DayException
from mealplanner.plans.json_fields import JsonFloat, JsonInt


class DayExceptionSchema(Schema):
    """A daily rule loosened on one day (offered when the rule blocks a swap)."""

    class Meta:
        unknown = RAISE

    day = JsonInt(required=True, validate=validate.Range(1, 14))
    requirement = fields.String(required=True, validate=validate.Length(1, 80), metadata={
        "description": "The daily rule's key, as a swap's `blocked_by` names it (`sodium`, "
                       "`energy`, `fiber`, ...)"})
    min = JsonFloat(load_default=None, allow_none=True,
                    validate=validate.Range(0, MOST_EXCEPTION_LIMIT),
                    metadata={"description": "The day's minimum, in the rule's unit: below "
                                             "the rule's own"})
    max = JsonFloat(load_default=None, allow_none=True,
                    validate=validate.Range(0, MOST_EXCEPTION_LIMIT),
                    metadata={"description": "The day's cap, in the rule's unit: above the "
                                             "rule's own"})

    @validates_schema
    def _a_limit(self, data, **kwargs):
        if data.get("min") is None and data.get("max") is None:
            raise ValidationError("give the day's min or max", field_name="min")

    @post_load
    def make(self, data, **kwargs):
        return DayException(**data)
