"""Recipes: filtered in memory over the cached catalog with their derived facts
(catalog/filters.py, as the browse pages are)."""

from __future__ import annotations

from functools import partial

from flask import current_app, json, url_for
from flask.views import MethodView

from mealplanner.api.base import MAX_PAGE_SIZE, Blueprint, LazyDocuments, Page
from mealplanner.api.recipes.schemas import RecipeFormatSchema, RecipeQuerySchema, RecipeSchema
from mealplanner.catalog.export import recipe_document
from mealplanner.catalog.filters import RecipeFilter, find_recipes
from mealplanner.catalog.schema_org import MEDIA_TYPE, recipe_jsonld
from mealplanner.errors import abort
from mealplanner.plans.catalog import current_catalog

blp = Blueprint("recipes", __name__, url_prefix="/api/v1/recipes",
                description="Recipes with ingredients, method and derived nutrients.")


def recipe_filter(args: dict) -> RecipeFilter:
    """The query's filters (RecipeQuerySchema) as catalog/filters.py reads them."""
    return RecipeFilter(
        q=args.get("q"), meal_type=args.get("meal_type"), diet=args.get("diet"),
        cuisine=args.get("cuisine"), allergen_free=frozenset(args.get("allergen_free") or ()),
        max_prep_minutes=args.get("max_prep_minutes"), fermented=args.get("fermented"),
        prebiotic=args.get("prebiotic"), high_fiber=args.get("high_fiber"),
        fish=args.get("fish"), legumes=args.get("legumes"))


@blp.route("")
class Recipes(MethodView):
    @blp.etag
    @blp.arguments(RecipeQuerySchema, location="query")
    @blp.response(200, RecipeSchema(many=True), operation_id="listRecipes")
    @blp.paginate(Page, max_page_size=MAX_PAGE_SIZE)
    def get(self, args):
        """Filter recipes, sorted by name

        Paginated: `page` (from 1) and `page_size` (1-100, default 10); the X-Pagination
        header gives the total and the page numbers. A page past the last one is empty.
        """
        catalog = current_catalog()
        ids = [recipe.id for recipe in find_recipes(catalog, recipe_filter(args))]
        return LazyDocuments(ids, partial(recipe_document, catalog))


@blp.route("/<recipe_id>")
class RecipeItem(MethodView):
    @blp.etag
    @blp.arguments(RecipeFormatSchema, location="query")
    @blp.response(200, RecipeSchema, operation_id="getRecipe")
    @blp.doc(responses={200: {"content": {MEDIA_TYPE: {"schema": {"type": "object"}}}}})
    def get(self, query, recipe_id):
        """One recipe with its ingredients, method and nutrients per serving

        `format=jsonld` gives it as schema.org Recipe JSON-LD (application/ld+json), the
        document its web page embeds.
        """
        catalog = current_catalog()
        if recipe_id not in catalog.recipes:
            abort(404, f"No recipe has id {recipe_id!r}.")
        if query["format"] == "jsonld":
            return jsonld_response(catalog, recipe_id)
        return recipe_document(catalog, recipe_id)


def jsonld_response(catalog, recipe_id: str):
    """The recipe page's JSON-LD as the response, with its own ETag."""
    document = recipe_jsonld(catalog, recipe_id,
                             url_for("web.recipe", recipe_id=recipe_id, _external=True))
    blp.set_etag(document)
    return current_app.response_class(json.dumps(document), mimetype=MEDIA_TYPE)
