"""Recipes: filtered in memory over the cached catalog with their derived facts."""

from __future__ import annotations

from functools import partial

from flask.views import MethodView
from flask_smorest import Page

from mealplanner.api.base import Blueprint, LazyDocuments, api_abort
from mealplanner.api.recipes.schemas import RecipeQuerySchema, RecipeSchema
from mealplanner.catalog.export import recipe_document
from mealplanner.catalog.search import matches_name
from mealplanner.catalog.store import Catalog
from mealplanner.services import current_catalog

blp = Blueprint("recipes", __name__, url_prefix="/api/v1/recipes",
                description="Recipes with ingredients, method and derived nutrients.")


def _keep(catalog: Catalog, recipe_id: str, args: dict) -> bool:
    recipe, facts = catalog.recipes[recipe_id], catalog.facts[recipe_id]
    if not matches_name(args.get("q"), recipe.name, recipe.id):
        return False
    if "meal_type" in args and args["meal_type"] not in recipe.meal_types:
        return False
    if "diet" in args and args["diet"] not in facts.diets:
        return False
    if set(args.get("allergen_free") or ()) & set(facts.allergens):
        return False
    if "cuisine" in args and recipe.cuisine.lower() != args["cuisine"].strip().lower():
        return False
    return "max_prep_minutes" not in args or recipe.total_minutes <= args["max_prep_minutes"]


@blp.route("")
class Recipes(MethodView):
    @blp.etag
    @blp.arguments(RecipeQuerySchema, location="query")
    @blp.response(200, RecipeSchema(many=True))
    @blp.paginate(Page, max_page_size=100)
    def get(self, args):
        """Filter recipes, sorted by name

        Paginated: `page` (from 1) and `page_size` (1-100, default 10); the X-Pagination
        header gives the total and the page numbers. A page past the last one is empty.
        """
        catalog = current_catalog()
        ids = sorted((rid for rid in catalog.recipes if _keep(catalog, rid, args)),
                     key=lambda rid: (catalog.recipes[rid].name.lower(), rid))
        return LazyDocuments(ids, partial(recipe_document, catalog))


@blp.route("/<recipe_id>")
class RecipeItem(MethodView):
    @blp.etag
    @blp.response(200, RecipeSchema)
    def get(self, recipe_id):
        """One recipe with its ingredients, method and nutrients per serving"""
        catalog = current_catalog()
        if recipe_id not in catalog.recipes:
            api_abort(404, f"No recipe has id {recipe_id!r}.")
        return recipe_document(catalog, recipe_id)
