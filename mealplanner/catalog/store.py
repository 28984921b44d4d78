"""The catalog in memory (foods, recipes, derived facts) and its round trip to the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
import sqlalchemy.orm as so

from mealplanner.catalog.derive import RecipeFacts, derive_recipe
from mealplanner.catalog.files import CatalogError, read_foods, read_usda_foods
from mealplanner.catalog.recipe_files import read_recipes
from mealplanner.catalog.records import (
    NUTRIENT_FIELDS,
    FoodRecord,
    IngredientLine,
    Measure,
    Nutrients,
    RecipeRecord,
    Storage,
)
from mealplanner.models import Food, FoodMeasure, Recipe, RecipeIngredient
from mealplanner.paths import foods_dir
from mealplanner.rules import Rules, default_rules


@dataclass
class Catalog:
    foods: dict[str, FoodRecord]
    recipes: dict[str, RecipeRecord]
    rules: Rules
    facts: dict[str, RecipeFacts] = field(default_factory=dict)
    # figures other modules work out from this catalog once and keep with it, by their own
    # key (planner/dish_table.py); a catalog is never changed once built
    derived: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.facts = {
            rid: derive_recipe(recipe, self.foods, self.rules)
            for rid, recipe in self.recipes.items()
        }


def load_catalog(extra_folder: Path | None = None, rules: Rules | None = None) -> Catalog:
    """The packaged foods and recipes, plus a user's folder in the same format if given."""
    rules = rules or default_rules()
    base = foods_dir()
    foods = {f.id: f for f in read_foods(base, rules, storage_required=True)}
    recipes = {r.id: r for r in read_recipes(base, set(foods))}
    if extra_folder is not None:
        usda = read_usda_foods(base / "usda" / "nutrients.csv")
        for food in read_foods(extra_folder, rules, usda=usda):
            if food.id in foods:
                raise CatalogError(f"{extra_folder}: food id {food.id!r} already exists")
            foods[food.id] = food
        for recipe in read_recipes(extra_folder, set(foods)):
            if recipe.id in recipes:
                raise CatalogError(f"{extra_folder}: recipe id {recipe.id!r} already exists")
            recipes[recipe.id] = recipe
    return Catalog(foods, recipes, rules)


def seed_database(session: so.Session, catalog: Catalog) -> None:
    """Replace the foods and recipes in the database with the catalog's, in one transaction."""
    session.execute(sa.delete(RecipeIngredient))
    session.execute(sa.delete(Recipe))
    session.execute(sa.delete(FoodMeasure))
    session.execute(sa.delete(Food))
    for food in catalog.foods.values():
        session.add(_food_row(food))
    session.flush()
    for recipe in catalog.recipes.values():
        session.add(_recipe_row(recipe))
    session.commit()


def _food_row(food: FoodRecord) -> Food:
    n, kept = food.nutrients, food.storage
    return Food(
        id=food.id, name=food.name, ndb_no=food.ndb_no, usda_description=food.usda_description,
        groups=list(food.groups), allergens=list(food.allergens), aisle=food.aisle,
        package_g=food.package_g, package=food.package, staple=food.staple,
        refuse_pct=food.refuse_pct, refuse_pct_as_sold=food.refuse_pct_as_sold,
        cooked_g_per_g_as_sold=food.cooked_g_per_g_as_sold,
        **{name: getattr(n, name) for name in NUTRIENT_FIELDS},
        added_sugars_source=food.added_sugars_source,
        prebiotic_mg_per_100g=food.prebiotic_mg_per_100g,
        prebiotic_source=food.prebiotic_source,
        prebiotic_measured_raw=food.prebiotic_measured_raw, fermented=food.fermented,
        live_cultures=food.live_cultures, fermented_serving_g=food.fermented_serving_g,
        fermented_source=food.fermented_source, package_price_cents=food.package_price_cents,
        price_per_100g_microusd=food.price_per_100g_microusd, price_year=food.price_year,
        price_source=food.price_source, price_is_proxy=food.price_is_proxy,
        storage_place=kept.place if kept else None,
        storage_keeps_days=kept.keeps_days if kept else None,
        storage_opened_days=kept.opened_days if kept else None,
        storage_foodkeeper_id=kept.foodkeeper_id if kept else None,
        storage_source=kept.source if kept else None,
        part_of=food.part_of,
        measures=[
            FoodMeasure(seq=m.seq, amount=m.amount, description=m.description, grams=m.grams)
            for m in food.measures
        ],
    )


def _recipe_row(recipe: RecipeRecord) -> Recipe:
    return Recipe(
        id=recipe.id, name=recipe.name, cuisine=recipe.cuisine,
        meal_types=list(recipe.meal_types), prep_minutes=recipe.prep_minutes,
        cook_minutes=recipe.cook_minutes, method=list(recipe.method),
        ingredients=[
            RecipeIngredient(position=i, food_id=line.food_id, grams=line.grams,
                             heated=line.heated)
            for i, line in enumerate(recipe.ingredients)
        ],
    )


def _storage(row: Food) -> Storage | None:
    if row.storage_place is None:
        return None
    return Storage(
        place=row.storage_place, keeps_days=row.storage_keeps_days,
        opened_days=row.storage_opened_days, foodkeeper_id=row.storage_foodkeeper_id,
        source=row.storage_source,
    )


def catalog_from_database(session: so.Session, rules: Rules | None = None) -> Catalog:
    """Read the seeded foods and recipes back into records (what the planner and API use)."""
    rules = rules or default_rules()
    foods = {}
    for row in session.scalars(sa.select(Food).options(so.selectinload(Food.measures))):
        foods[row.id] = FoodRecord(
            id=row.id, name=row.name, ndb_no=row.ndb_no, usda_description=row.usda_description,
            groups=tuple(row.groups), allergens=tuple(row.allergens), aisle=row.aisle,
            package_g=row.package_g, package=row.package, staple=row.staple,
            refuse_pct=row.refuse_pct, refuse_pct_as_sold=row.refuse_pct_as_sold,
            cooked_g_per_g_as_sold=row.cooked_g_per_g_as_sold,
            nutrients=Nutrients(**{name: getattr(row, name) for name in NUTRIENT_FIELDS}),
            added_sugars_source=row.added_sugars_source,
            prebiotic_mg_per_100g=row.prebiotic_mg_per_100g,
            prebiotic_source=row.prebiotic_source,
            prebiotic_measured_raw=row.prebiotic_measured_raw, fermented=row.fermented,
            live_cultures=row.live_cultures, fermented_serving_g=row.fermented_serving_g,
            fermented_source=row.fermented_source,
            price_per_100g_microusd=row.price_per_100g_microusd, price_year=row.price_year,
            price_source=row.price_source, price_is_proxy=row.price_is_proxy,
            measures=tuple(Measure(m.seq, m.amount, m.description, m.grams) for m in row.measures),
            storage=_storage(row),
            part_of=row.part_of,
        )
    recipes = {}
    query = sa.select(Recipe).options(so.selectinload(Recipe.ingredients))
    for row in session.scalars(query):
        recipes[row.id] = RecipeRecord(
            id=row.id, name=row.name, cuisine=row.cuisine, meal_types=tuple(row.meal_types),
            prep_minutes=row.prep_minutes, cook_minutes=row.cook_minutes,
            ingredients=tuple(IngredientLine(i.food_id, i.grams, i.heated)
                              for i in row.ingredients),
            method=tuple(row.method),
        )
    return Catalog(foods, recipes, rules)
