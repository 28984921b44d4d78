"""Plan requests (mealplanner.plans.schemas, shared with the pages and the CLI), plan documents
and shopping lists."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from mealplanner.api.base import DocumentSchema
from mealplanner.api.meta.schemas import ResolvedTargetsSchema
from mealplanner.api.plans.nutrient_schemas import NutrientRowSchema
from mealplanner.api.plans.shopping_schemas import ShoppingListSchema  # noqa: F401  (re-exported)
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
    trips = fields.Integer(load_default=None, validate=validate.Range(1, 31), metadata={
        "description": "The plan's number of shopping trips, when given (how long its foods "
                       "keep sets them: fish is bought close to the day it is eaten); another "
                       "number is refused"})


class IngredientSchema(DocumentSchema):
    food_id = fields.String()
    name = fields.String()
    ndb_no = fields.String()
    grams = fields.Float(metadata={"description": "Per person, with the portion applied."})
    heated = fields.Boolean(metadata={
        "description": "Cooked with the dish (true) or added raw or after cooking (false); "
                       "live cultures count only when false."})


class LiveCultureSourceSchema(DocumentSchema):
    food_id = fields.String()
    name = fields.String()
    servings = fields.Float(metadata={"description": "Live-culture servings per person."})


class MealSchema(DocumentSchema):
    slot = fields.String()
    recipe_id = fields.String()
    name = fields.String()
    cuisine = fields.String()
    portion = fields.Float()
    prep_minutes = fields.Integer()
    cook_minutes = fields.Integer()
    ingredients = fields.List(fields.Nested(IngredientSchema))
    live_cultures = fields.List(fields.Nested(LiveCultureSourceSchema), metadata={
        "description": "The meal's unheated live-culture foods and the servings each gives: "
                       "the day's fermented_servings add up from these."})


DayTotalsSchema = DocumentSchema.from_dict(
    {name: fields.Float() for name in DAILY_FIELDS}, name="DayTotalsSchema")


class DaySchema(DocumentSchema):
    day = fields.Integer()
    date = fields.String(allow_none=True, metadata={"format": "date"})  # null: made before dates
    weekday = fields.String(allow_none=True, metadata={"description": "Monday ... Sunday"})
    meals = fields.List(fields.Nested(MealSchema))
    totals = fields.Nested(DayTotalsSchema, metadata={
        "description": "Per person. An ingredient without a USDA value of a nutrient adds "
                       "nothing to its total (the total is then in totals_lower_bound)."})
    totals_lower_bound = fields.List(fields.String(), metadata={
        "description": "The totals that are at least the figure given: some ingredient of the "
                       "day has no USDA value of that nutrient (plans made before this field "
                       "have none)."})


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
    exceptions = fields.List(fields.Dict(), metadata={
        "description": "[{day, min or max}]: days the person loosened this daily rule"})


class DayExceptionRowSchema(DocumentSchema):
    """A daily rule the person loosened on one day, and what the day holds."""

    day = fields.Integer()
    requirement = fields.String(metadata={"description": "The rule's key"})
    rule = fields.String(metadata={"description": "The rule as every other day keeps it"})
    limit = fields.Dict(metadata={"description": "{min} and/or {max}: the day's own, in `unit`"})
    unit = fields.String()
    value = fields.Float(allow_none=True, metadata={"description": "What the day holds, in "
                                                                  "`unit`, per person"})
    met = fields.Boolean(metadata={"description": "The day keeps its exception"})
    text = fields.String(metadata={"description": "The day's limit in words"})


class CostSchema(DocumentSchema):
    """The plan's money for the household. checkout + the pantry's value used = eaten +
    carried_over + waste."""

    total = fields.Float(metadata={"description": "The same as checkout"})
    checkout = fields.Float(metadata={"description": "What the shopping costs: whole packages"})
    eaten = fields.Float(metadata={"description": "The cost of the food eaten, at its "
                                   "package's price per edible gram (staples on hand: none)"})
    carried_over = fields.Float(metadata={"description": "The value of leftovers that keep for "
                                          "the next plan"})
    waste = fields.Float(metadata={"description": "The value of leftovers that spoil first"})
    currency = fields.String()
    budget_per_week = fields.Float(allow_none=True)
    budget = fields.Float(allow_none=True)
    budget_basis = fields.String(allow_none=True, metadata={
        "description": "What the budget limits: checkout or eaten"})
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
    buys = fields.List(fields.Dict(), metadata={
        "description": "[{day, packages}]: the trips that buy it (a food is bought for no "
                       "longer than it keeps)"})
    keeps_days = fields.Integer(allow_none=True, metadata={
        "description": "Days it keeps once bought, where it is stored (null: longer than any "
                       "plan)"})
    stored = fields.String(allow_none=True, metadata={"description": "pantry, fridge or freezer"})


class LeftoverSchema(DocumentSchema):
    food_id = fields.String()
    name = fields.String()
    grams = fields.Float()
    fate = fields.String(metadata={"description": "carried_over (keeps for the next plan) or "
                                   "waste (spoils first)"})
    keeps_days_after = fields.Integer(allow_none=True, metadata={
        "description": "Days a carried-over leftover still keeps after the plan"})
    value = fields.Float()


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
    best_bound = fields.Float(allow_none=True, metadata={
        "description": "A proven floor on the objective over every plan for the request (a "
                       "linear relaxation, or CP-SAT's bound on the whole model)"})
    gap = fields.Float(allow_none=True, metadata={
        "description": "(objective - best_bound) / max(1, |objective|): at most how far the "
                       "plan can be from the best one"})
    cost_floor = fields.Float(allow_none=True, metadata={
        "description": "The least any plan for the request can cost at the checkout, for the "
                       "plan's days, ignoring the budget (a proven floor)"})
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
        "description": "Only in the 201 of POST /plans (and of a fork), shown once (stored "
                       "as a hash): send it in X-Owner-Token to swap, regenerate or delete."})
    version = fields.Integer(metadata={"description": "Counts the plan's stored changes."})
    status = fields.String(metadata={"description": "ok"})
    request = fields.Nested(PlanRequestSchema, metadata={
        "description": "The request, normalised, with every default filled in."})
    days = fields.List(fields.Nested(DaySchema))
    targets = fields.Nested(ResolvedTargetsSchema)
    plants = fields.Nested(PlantsSchema)
    mediterranean = fields.List(fields.Nested(MediterraneanRowSchema))
    day_exceptions = fields.List(fields.Nested(DayExceptionRowSchema), metadata={
        "description": "The daily rules the person loosened on single days (a swap a rule "
                       "blocked), each with what its day holds"})
    skipped_rules = fields.List(fields.Dict())
    nutrients = fields.List(fields.Nested(NutrientRowSchema), metadata={
        "description": "The nutrients a dietitian checks (constraints/micronutrients.toml): "
                       "each day's amount per person against the target, and its status"})
    cost = fields.Nested(CostSchema)
    purchases = fields.List(fields.Nested(PurchaseSchema))
    leftovers = fields.List(fields.Nested(LeftoverSchema))
    shopping_trips = fields.List(fields.Dict(), metadata={
        "description": "[{day, foods}]: the days the plan buys on"})
    start_day = fields.Integer(metadata={
        "description": "The plan's first day counted from the first plan of its chain"})
    pantry = fields.Dict(metadata={"description": "Grams at home at the start, by food id "
                                   "(the request's pantry and what an earlier plan left)"})
    continues = fields.Dict(allow_none=True, metadata={
        "description": "{plan_id, start_day} of the plan this one continues"})
    solver = fields.Nested(SolverSchema)
    notes = fields.List(fields.String())
    check = fields.Nested(CheckSchema)
