"""Foods: search and filter in memory over the cached catalog (no query per food)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Page

from mealplanner.api.base import Blueprint, LazyDocuments, api_abort
from mealplanner.api.foods.schemas import FoodQuerySchema, FoodSchema
from mealplanner.catalog.export import food_document
from mealplanner.catalog.records import FoodRecord
from mealplanner.catalog.search import matches_name
from mealplanner.services import current_catalog

blp = Blueprint("foods", __name__, url_prefix="/api/v1/foods",
                description="The food database: USDA nutrients, gut-health tags, packages, prices.")


def _keep(food: FoodRecord, args: dict) -> bool:
    if not matches_name(args.get("q"), food.name, food.id):
        return False
    if "group" in args and args["group"] not in food.groups:
        return False
    if set(args.get("allergen_free") or ()) & set(food.allergens):
        return False
    if "fermented" in args and food.fermented != args["fermented"]:
        return False
    return "prebiotic" not in args or (food.prebiotic_mg_per_100g > 0) == args["prebiotic"]


@blp.route("")
class Foods(MethodView):
    @blp.etag
    @blp.arguments(FoodQuerySchema, location="query")
    @blp.response(200, FoodSchema(many=True))
    @blp.paginate(Page, max_page_size=100)
    def get(self, args):
        """Search and filter foods, sorted by name

        Paginated: `page` (from 1) and `page_size` (1-100, default 10); the X-Pagination
        header gives the total and the page numbers. A page past the last one is empty.
        """
        catalog = current_catalog()
        foods = sorted((f for f in catalog.foods.values() if _keep(f, args)),
                       key=lambda f: (f.name.lower(), f.id))
        return LazyDocuments(foods, food_document)


@blp.route("/<food_id>")
class FoodItem(MethodView):
    @blp.etag
    @blp.response(200, FoodSchema)
    def get(self, food_id):
        """One food with its nutrients, tags, package and price"""
        food = current_catalog().foods.get(food_id)
        if food is None:
            api_abort(404, f"No food has id {food_id!r}.")
        return food_document(food)
