"""Food filters (catalog/filters.py says what each means) and the food document
(catalog/export.py's food_document, the export shape)."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from mealplanner.api.base import DocumentSchema
from mealplanner.catalog.records import NUTRIENTS
from mealplanner.catalog.usda import ALA_NUMBERS, EPA_DHA_NUMBERS, NUTRIENT_NUMBERS
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


NUTRIENT_DESCRIPTIONS = {
    "energy_kcal": "Energy, kcal",
    "protein_g": "Protein, g",
    "fat_g": "Total fat, g",
    "saturated_fat_g": "Saturated fatty acids, g",
    "carbohydrate_g": "Carbohydrate by difference, g",
    "fiber_g": "Total dietary fiber, g",
    "sugars_g": "Total sugars, g",
    "sodium_mg": "Sodium, mg",
    "calcium_mg": "Calcium, mg",
    "iron_mg": "Iron, mg",
    "potassium_mg": "Potassium, mg",
    "magnesium_mg": "Magnesium, mg",
    "zinc_mg": "Zinc, mg",
    "folate_ug": "Folate, ug dietary folate equivalents (DFE)",
    "vitamin_c_mg": "Vitamin C (total ascorbic acid), mg",
    "vitamin_b12_ug": "Vitamin B12, ug",
    "vitamin_d_ug": "Vitamin D (D2 + D3), ug",
    "ala_g": "Alpha-linolenic acid (18:3 n-3), g",
    "epa_dha_g": "EPA + DHA (20:5 n-3 + 22:6 n-3), g",
    "added_sugars_g": "Added sugars, g",
}


def _nutrient_description(name: str) -> str:
    """What a nutrient field holds and where it comes from (catalog/usda.py)."""
    if name == "ala_g":
        where = (f"USDA SR28 {ALA_NUMBERS[0]}, or {ALA_NUMBERS[1]} (18:3 undifferentiated) "
                 "for a food SR28 gives only that for")
    elif name == "epa_dha_g":
        where = f"USDA SR28 {EPA_DHA_NUMBERS[0]} + {EPA_DHA_NUMBERS[1]}"
    elif name == "added_sugars_g":
        where = ("USDA FPED 2017-2018 ADD_SUGARS of the food's FNDDS record x 4.2 g per "
                 "teaspoon equivalent (added_sugars_source), or 0 where SR28 has 0 g sugars")
    else:
        where = "USDA SR28 " + next(n for n, c in NUTRIENT_NUMBERS.items() if c == name)
    return f"{NUTRIENT_DESCRIPTIONS[name]} ({where}); null when unknown."


NutrientsSchema = DocumentSchema.from_dict(
    {spec.name: fields.Float(allow_none=True, metadata={
        "description": _nutrient_description(spec.name)}) for spec in NUTRIENTS},
    name="NutrientsSchema")


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
        "description": "Per 100 g edible portion (USDA SR28; added sugars USDA FPED). null is "
                       "a value USDA does not have: unknown, never 0."})
    added_sugars_source = fields.String(allow_none=True, metadata={
        "description": "Where added_sugars_g comes from (the FPED record and factor, or "
                       "SR28's 0 g total sugars), or why it is unknown."})
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
