"""Recipe filters (catalog/filters.py says what each means) and the recipe document
(catalog/export.py's recipe_document)."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from mealplanner.api.base import DocumentSchema
from mealplanner.api.foods.schemas import NutrientsSchema, allergen_list
from mealplanner.plans.schemas import one_of, one_of_diets
from mealplanner.rules import MEALS


class RecipeQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE

    q = fields.String(validate=validate.Length(max=100), metadata={
        "description": "Words that must all appear in the name, id, cuisine or ingredient "
                       "names (case-insensitive)."})
    meal_type = fields.String(validate=one_of(MEALS), metadata={
        "description": "Only recipes served at this meal."})
    diet = fields.String(validate=one_of_diets(), metadata={
        "description": "Only recipes that fit this diet."})
    allergen_free = allergen_list("Only recipes")
    cuisine = fields.String(validate=validate.Length(max=60), metadata={
        "description": "Only this cuisine (case-insensitive; GET /api/v1/meta lists them)."})
    max_prep_minutes = fields.Integer(validate=validate.Range(1, 1440), metadata={
        "description": "Preparation plus cooking at most this many minutes (as in a plan "
                       "request)."})
    fermented = fields.Boolean(metadata={
        "description": "true: only recipes with fermented servings (live-culture foods)."})
    prebiotic = fields.Boolean(metadata={
        "description": "true: only recipes with 1 g prebiotic fibre or more per serving."})
    high_fiber = fields.Boolean(metadata={
        "description": "true: only recipes with 8 g fibre or more per serving."})
    fish = fields.Boolean(metadata={"description": "true: only recipes with fish or shellfish."})
    legumes = fields.Boolean(metadata={"description": "true: only recipes with legumes."})


class RecipeFormatSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    format = fields.String(load_default="json", validate=one_of(("json", "jsonld")), metadata={
        "description": "json: the recipe document below; jsonld: the schema.org Recipe "
                       "(application/ld+json) that the recipe page embeds, for recipe apps."})


class RecipeIngredientSchema(DocumentSchema):
    food_id = fields.String()
    name = fields.String()
    ndb_no = fields.String()
    grams = fields.Float(metadata={"description": "Per serving (one person)."})


class RecipeSchema(DocumentSchema):
    id = fields.String(required=True)
    name = fields.String(required=True)
    cuisine = fields.String()
    meal_types = fields.List(fields.String())
    prep_minutes = fields.Integer()
    cook_minutes = fields.Integer()
    ingredients = fields.List(fields.Nested(RecipeIngredientSchema))
    method = fields.List(fields.String(), metadata={"description": "The steps, in order."})
    nutrients_per_serving = fields.Nested(NutrientsSchema, metadata={
        "description": "Sums over the ingredients; an ingredient without a USDA value of a "
                       "nutrient adds nothing, and the nutrient is then listed in "
                       "nutrients_lower_bound (the total is at least the figure)."})
    nutrients_lower_bound = fields.List(fields.String(), metadata={
        "description": "The nutrients whose total is a lower bound: some ingredient has no "
                       "USDA value (unknown_nutrient_foods names them)."})
    unknown_nutrient_foods = fields.Dict(
        keys=fields.String(), values=fields.List(fields.String()), metadata={
            "description": "Per nutrient, the ingredients (food ids) without a USDA value."})
    prebiotic_g = fields.Float()
    fermented_servings = fields.Float()
    allergens = fields.List(fields.String())
    diets = fields.List(fields.String())
    groups = fields.List(fields.String())
    plant_foods = fields.List(fields.String())
    cost_per_serving = fields.Float()
    currency = fields.String()
