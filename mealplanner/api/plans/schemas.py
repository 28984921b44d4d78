"""Plan requests (mealplanner.plans.schemas, shared with the pages and the CLI), plan documents
and shopping lists."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from mealplanner.api.base import DocumentSchema
from mealplanner.api.meta.schemas import ResolvedTargetsSchema
from mealplanner.planner.report import DAILY_FIELDS
from mealplanner.plans.schemas import PlanRequestSchema, SwapSchema  # noqa: F401  (re-exported)

SHOPPING_FORMATS = ("json", "csv", "md")


class MealSlotSchema(SwapSchema):
    """One meal of a plan: its day (from 1) and slot."""

    class Meta:
        unknown = RAISE


class RegenerateSchema(Schema):
    class Meta:
        unknown = RAISE

    keep = fields.List(fields.Nested(MealSlotSchema), load_default=list,
                       validate=validate.Length(max=56), metadata={
                           "description": "Meals to keep (locked); every other meal is "
                                          "planned again."})


class ShoppingListQuerySchema(Schema):
    class Meta:
        unknown = RAISE

    format = fields.String(validate=validate.OneOf(
        SHOPPING_FORMATS, error="must be one of: {choices}"), metadata={
        "description": "json, csv or md; without it the Accept header chooses "
                       "(application/json, text/csv, text/markdown), JSON by default."})
    trips = fields.Integer(load_default=1, validate=validate.Range(1, 14), metadata={
        "description": "Split the plan's days into this many shopping trips (at most the "
                       "plan's days)."})


class IngredientSchema(DocumentSchema):
    food_id = fields.String()
    name = fields.String()
    ndb_no = fields.String()
    grams = fields.Float(metadata={"description": "Per person, with the portion applied."})


class MealSchema(DocumentSchema):
    slot = fields.String()
    recipe_id = fields.String()
    name = fields.String()
    cuisine = fields.String()
    portion = fields.Float()
    prep_minutes = fields.Integer()
    cook_minutes = fields.Integer()
    ingredients = fields.List(fields.Nested(IngredientSchema))


DayTotalsSchema = DocumentSchema.from_dict(
    {name: fields.Float() for name in DAILY_FIELDS}, name="DayTotalsSchema")


class DaySchema(DocumentSchema):
    day = fields.Integer()
    meals = fields.List(fields.Nested(MealSchema))
    totals = fields.Nested(DayTotalsSchema, metadata={"description": "Per person."})


class PlantsSchema(DocumentSchema):
    count = fields.Integer()
    target = fields.Float(allow_none=True)
    hard = fields.Boolean()
    foods = fields.List(fields.String())


class MediterraneanRowSchema(DocumentSchema):
    rule = fields.String()
    label = fields.String()
    kind = fields.String()
    source = fields.String()
    servings = fields.Float()
    servings_per_day = fields.List(fields.Float())
    required = fields.Float()
    per = fields.String()
    share = fields.Float()
    met = fields.Boolean(allow_none=True)
    skipped = fields.Boolean()
    reason = fields.String()


class CostSchema(DocumentSchema):
    total = fields.Float()
    currency = fields.String()
    budget_per_week = fields.Float(allow_none=True)
    budget = fields.Float(allow_none=True)
    people = fields.Integer()
    price_year = fields.Integer(allow_none=True)


class PurchaseSchema(DocumentSchema):
    food_id = fields.String()
    name = fields.String()
    needed_g = fields.Float()
    pantry_g = fields.Float()
    staple_on_hand = fields.Boolean()
    packages = fields.Integer()
    package_g = fields.Integer()
    package = fields.String()
    cost = fields.Float()
    leftover_g = fields.Float()


class LeftoverSchema(DocumentSchema):
    food_id = fields.String()
    name = fields.String()
    grams = fields.Float()


class ObjectiveTermSchema(DocumentSchema):
    penalty = fields.String(metadata={"description": "What the planner minimises: cost, "
                                      "distance from the energy target, plant foods short of "
                                      "the target, repeated dishes, favourite dishes served"})
    weight = fields.Float(metadata={"description": "Objective units per unit of the amount "
                                    "(negative: a reward)"})
    amount = fields.Float(metadata={"description": "How much of it the plan has (cents, kcal, "
                                    "plant foods, repeats, favourites)"})
    objective = fields.Float(metadata={"description": "weight x amount: its share of the "
                                       "objective"})


class SolverSchema(DocumentSchema):
    status = fields.String()
    objective = fields.Float(allow_none=True)
    best_bound = fields.Float(allow_none=True)
    gap = fields.Float(allow_none=True)
    wall_seconds = fields.Float(allow_none=True)
    workers = fields.Integer(allow_none=True)
    seed = fields.Integer(allow_none=True)
    method = fields.String(allow_none=True, metadata={
        "description": "How the plan was found: local search then CP-SAT over the best "
                       "alternatives per meal, or CP-SAT on the whole weekly model"})
    objective_terms = fields.List(fields.Nested(ObjectiveTermSchema), metadata={
        "description": "What each penalty of the objective cost this plan; they add up to "
                       "`objective`"})


class CheckSchema(DocumentSchema):
    passed = fields.Boolean()
    rules_checked = fields.String()


class PlanSchema(DocumentSchema):
    """A stored plan: what was asked, what to eat each day, and how every target is met."""

    id = fields.String(required=True, metadata={
        "description": "Unguessable (128-bit random, URL-safe): the plan's only key."})
    owner_token = fields.String(metadata={
        "description": "Only in the 201 of POST /plans, shown once (stored as a hash): send "
                       "it in X-Owner-Token to delete the plan."})
    status = fields.String(metadata={"description": "ok"})
    request = fields.Nested(PlanRequestSchema, metadata={
        "description": "The request, normalised, with every default filled in."})
    days = fields.List(fields.Nested(DaySchema))
    targets = fields.Nested(ResolvedTargetsSchema)
    plants = fields.Nested(PlantsSchema)
    mediterranean = fields.List(fields.Nested(MediterraneanRowSchema))
    skipped_rules = fields.List(fields.Dict())
    cost = fields.Nested(CostSchema)
    purchases = fields.List(fields.Nested(PurchaseSchema))
    leftovers = fields.List(fields.Nested(LeftoverSchema))
    solver = fields.Nested(SolverSchema)
    notes = fields.List(fields.String())
    check = fields.Nested(CheckSchema)


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


class TripSchema(DocumentSchema):
    trip = fields.Integer()
    first_day = fields.Integer()
    last_day = fields.Integer()
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
