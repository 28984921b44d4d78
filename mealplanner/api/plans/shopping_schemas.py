"""The shopping list as the API sends it: "mealplanner/shopping-list/1" (shopping/export.py)."""

from __future__ import annotations

from marshmallow import fields

from mealplanner.api.base import DocumentSchema


class LinePartSchema(DocumentSchema):
    food_id = fields.String()
    name = fields.String()
    part = fields.String(metadata={"description": "\"juice\", \"zest\"; \"whole\" for the "
                                                  "food itself."})
    packages = fields.Integer()
    needed_g = fields.Float()
    price_cents = fields.Integer()


class AisleSchema(DocumentSchema):
    id = fields.String()
    label = fields.String()


class ShoppingLineSchema(DocumentSchema):
    food_id = fields.String()
    name = fields.String()
    aisle = fields.String()
    aisle_label = fields.String()
    needed_g = fields.Float()
    pantry_g = fields.Float()
    staple = fields.Boolean()
    on_hand = fields.Boolean()
    packages = fields.Integer()
    package_g = fields.Integer()
    package = fields.String()
    label = fields.String()
    household = fields.String(allow_none=True)
    price = fields.Float()
    price_cents = fields.Integer()
    leftover_g = fields.Float()
    fermented = fields.Boolean()
    live_cultures = fields.Boolean()
    prebiotic = fields.Boolean()
    marks = fields.List(fields.String())
    note = fields.String(allow_none=True)
    shop_name = fields.String(metadata={
        "description": "The food as it is bought: \"Chickpeas, dried\", \"Lemons\"."})
    buy = fields.String(metadata={
        "description": "What to buy and how much the plan needs, as a shopper reads it: "
                       "\"Buy 2 x 400 g can — you need 620 g\"."})
    need = fields.String(allow_none=True, metadata={
        "description": "How much the plan needs, in the form bought (\"you need 180 g dry "
                       "(about 430 g cooked)\"), or what the parts are for (\"for juice (4) "
                       "and zest (1)\"); null for a staple."})
    leftover = fields.String(allow_none=True, metadata={
        "description": "What is left after the plan, in the package bought: \"about ½ can "
                       "left\", \"310 g left of a 2,268 g bag\"; null when nothing is."})
    parts = fields.List(fields.Nested(LinePartSchema), metadata={
        "description": "The foods bought on this line when a food's parts are joined to it "
                       "(lemon, lemon juice, lemon zest: foods/parts.csv); else empty."})


class TripSchema(DocumentSchema):
    trip = fields.Integer()
    first_day = fields.Integer()
    last_day = fields.Integer()
    first_date = fields.String(allow_none=True, metadata={"format": "date"})
    last_date = fields.String(allow_none=True, metadata={"format": "date"})
    total = fields.Float()
    total_cents = fields.Integer()
    lines = fields.List(fields.Nested(ShoppingLineSchema))


class ShoppingListSchema(DocumentSchema):
    """schema "mealplanner/shopping-list/1" (shopping/export.py); prices in `currency`."""

    schema_name = fields.String(attribute="schema", data_key="schema")
    plan_id = fields.String(allow_none=True)
    days = fields.Integer()
    people = fields.Integer()
    currency = fields.String()
    price_year = fields.Integer(allow_none=True)
    total = fields.Float()
    total_cents = fields.Integer()
    aisles = fields.List(fields.Nested(AisleSchema))
    lines = fields.List(fields.Nested(ShoppingLineSchema))
    trips = fields.List(fields.Nested(TripSchema))
    trips_total = fields.Float()
    trips_total_cents = fields.Integer()
