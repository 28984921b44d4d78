"""Foods: searched and filtered in memory over the cached catalog (catalog/filters.py, as the
browse pages are), no query per food."""

from __future__ import annotations

from flask.views import MethodView

from mealplanner.api.base import MAX_PAGE_SIZE, Blueprint, LazyDocuments, Page
from mealplanner.api.foods.schemas import FoodQuerySchema, FoodSchema
from mealplanner.catalog.export import food_document
from mealplanner.catalog.filters import FoodFilter, find_foods
from mealplanner.errors import abort
from mealplanner.plans.catalog import current_catalog

blp = Blueprint("foods", __name__, url_prefix="/api/v1/foods",
                description="The food database: USDA nutrients, gut-health tags, packages, prices.")


def food_filter(args: dict) -> FoodFilter:
    """The query's filters (FoodQuerySchema) as catalog/filters.py reads them."""
    return FoodFilter(
        q=args.get("q"), group=args.get("group"), aisle=args.get("aisle"),
        allergen_free=frozenset(args.get("allergen_free") or ()),
        fermented=args.get("fermented"), live_cultures=args.get("live_cultures"),
        prebiotic=args.get("prebiotic"), high_fiber=args.get("high_fiber"))


@blp.route("")
class Foods(MethodView):
    @blp.etag
    @blp.arguments(FoodQuerySchema, location="query")
    @blp.response(200, FoodSchema(many=True), operation_id="listFoods")
    @blp.paginate(Page, max_page_size=MAX_PAGE_SIZE)
    def get(self, args):
        """Search and filter foods, sorted by name

        Paginated: `page` (from 1) and `page_size` (1-100, default 10); the X-Pagination
        header gives the total and the page numbers. A page past the last one is empty.
        """
        return LazyDocuments(find_foods(current_catalog(), food_filter(args)), food_document)


@blp.route("/<food_id>")
class FoodItem(MethodView):
    @blp.etag
    @blp.response(200, FoodSchema, operation_id="getFood")
    def get(self, food_id):
        """One food with its nutrients, tags, package and price"""
        food = current_catalog().foods.get(food_id)
        if food is None:
            abort(404, f"No food has id {food_id!r}.")
        return food_document(food)
