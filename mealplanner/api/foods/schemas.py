"""Food filters (catalog/filters.py says what each means) and the food document
(catalog/export.py's food_document, the export shape)."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from mealplanner.api.base import DocumentSchema
from mealplanner.plans.schemas import one_of
from mealplanner.rules import default_rules

ALLERGENS = tuple(default_rules().allergens)
FOOD_GROUPS = tuple(default_rules().food_groups)
AISLES = tuple(dict.fromkeys(default_rules().aisles))


def allergen_list(what: str) -> fields.List:
    return fields.List(
        fields.String(validate=one_of(ALLERGENS)), validate=validate.Length(max=len(ALLERGENS)),
        metadata={"description": f"{what} that contain none of these allergens (repeat the "
                                 "parameter for several: allergen_free=milk&allergen_free=egg)."},
    )


class FoodQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE

    q = fields.String(validate=validate.Length(max=100), metadata={
        "description": "Words that must all appear in the name, id or USDA description "
                       "(case-insensitive)."})
    group = fields.String(validate=one_of(FOOD_GROUPS), metadata={
        "description": "Only foods in this food group."})
    aisle = fields.String(validate=one_of(AISLES), metadata={
        "description": "Only foods of this store aisle."})
    allergen_free = allergen_list("Only foods")
    fermented = fields.Boolean(metadata={
        "description": "true: only foods made by fermentation (the `fermented` field, live "
                       "cultures or not); false: only foods that are not."})
    live_cultures = fields.Boolean(metadata={
        "description": "true: only foods with live cultures (they count toward the "
                       "fermented-servings target); false: only foods without."})
    prebiotic = fields.Boolean(metadata={
        "description": "true: only foods with prebiotic fibre (inulin, FOS, GOS); false: none."})
    high_fiber = fields.Boolean(metadata={
        "description": "true: only foods with 6 g fibre or more per 100 g; false: less."})


class NutrientsSchema(DocumentSchema):
    energy_kcal = fields.Float()
    protein_g = fields.Float()
    fat_g = fields.Float()
    saturated_fat_g = fields.Float()
    carbohydrate_g = fields.Float()
    fiber_g = fields.Float()
    sugars_g = fields.Float()
    sodium_mg = fields.Float()


class HouseholdMeasureSchema(DocumentSchema):
    amount = fields.Float()
    description = fields.String()
    grams = fields.Float()


class StorageSchema(DocumentSchema):
    place = fields.String(metadata={"description": "Where it is kept as bought: pantry, fridge "
                                                   "or freezer."})
    keeps_days = fields.Integer(metadata={
        "description": "Days it keeps unopened from purchase, kept at `place`."})
    opened_days = fields.Integer(metadata={
        "description": "Days it keeps once opened (fresh produce: the same as keeps_days)."})
    foodkeeper_id = fields.Integer(allow_none=True, metadata={
        "description": "USDA FSIS FoodKeeper product ID; null when a cited alternative "
                       "gives the days (foods/storage_alternatives.csv)."})
    source = fields.String(metadata={"description": "Where the days come from."})


class FoodSchema(DocumentSchema):
    id = fields.String(required=True)
    name = fields.String(required=True)
    ndb_no = fields.String(metadata={"description": "USDA SR28 food number."})
    usda_description = fields.String()
    nutrients_per_100g = fields.Nested(NutrientsSchema, metadata={
        "description": "Per 100 g edible portion (USDA SR28)."})
    prebiotic_g_per_100g = fields.Float()
    prebiotic_source = fields.String(allow_none=True)
    fermented = fields.Boolean()
    live_cultures = fields.Boolean()
    fermented_serving_g = fields.Integer(allow_none=True)
    fermented_source = fields.String(allow_none=True)
    allergens = fields.List(fields.String())
    groups = fields.List(fields.String())
    package_g = fields.Integer(metadata={"description": "Grams in one package as sold."})
    package = fields.String()
    package_edible_g = fields.Integer(metadata={
        "description": "Edible grams in one package as sold: package_g less refuse_pct_as_sold, "
                       "or, for a food weighed cooked and bought raw, package_g times "
                       "cooked_g_per_g_as_sold (the cooked grams the raw package gives)."})
    refuse_pct = fields.Integer(metadata={
        "description": "USDA SR28 refuse of the food (peel, shells, bones), per cent."})
    refuse_pct_as_sold = fields.Integer(metadata={
        "description": "Refuse of the package as sold, per cent: 0 for shelled nuts and "
                       "ready-to-eat bags, SR28's figure for whole produce "
                       "(foods/pack_yields.csv)."})
    cooked_g_per_g_as_sold = fields.Float(allow_none=True, metadata={
        "description": "For a food weighed cooked and bought raw (a cauliflower head, a bag of "
                       "spinach): grams of the cooked food one gram as sold gives, refuse and "
                       "cooking loss or gain together (foods/cooking_yields.csv); null for "
                       "every other food."})
    package_price = fields.Float(metadata={
        "description": "Price of one package: price_per_100g times package_edible_g / 100."})
    currency = fields.String()
    price_per_100g = fields.Float()
    price_year = fields.Integer()
    price_source = fields.String()
    price_is_proxy = fields.Boolean(metadata={
        "description": "True when the price is another food's (no price record of this food "
                       "exists); price_source names the record used."})
    aisle = fields.String()
    staple = fields.Boolean()
    household_measures = fields.List(fields.Nested(HouseholdMeasureSchema))
    storage = fields.Nested(StorageSchema, allow_none=True, metadata={
        "description": "How long it keeps (USDA FSIS FoodKeeper); null for a user's food "
                       "without a storage time."})
