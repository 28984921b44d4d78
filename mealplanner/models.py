"""Database tables. Integers in fixed-point units inside (mg, cents); floats only at the edges.

Only what is written in `foods/` is stored for foods and recipes; everything about a recipe
that follows from its ingredients is derived by `catalog.derive`, never stored twice.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from mealplanner.extensions import db


class Food(db.Model):
    __tablename__ = "food"

    id: so.Mapped[str] = so.mapped_column(sa.String(80), primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(160), index=True)
    ndb_no: so.Mapped[str] = so.mapped_column(sa.String(5), index=True)
    usda_description: so.Mapped[str] = so.mapped_column(sa.Text)
    groups: so.Mapped[list[str]] = so.mapped_column(sa.JSON)
    allergens: so.Mapped[list[str]] = so.mapped_column(sa.JSON)
    aisle: so.Mapped[str] = so.mapped_column(sa.String(40))
    package_g: so.Mapped[int] = so.mapped_column(sa.Integer)
    package: so.Mapped[str] = so.mapped_column(sa.String(60))
    staple: so.Mapped[bool] = so.mapped_column(sa.Boolean, default=False)
    refuse_pct: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)  # SR28, as imported
    # Refuse of the package as sold (foods/pack_yields.csv); empty for foods seeded before it.
    refuse_pct_as_sold: so.Mapped[int | None] = so.mapped_column(sa.Integer)
    # Grams of the cooked food one gram as sold gives, for a food weighed cooked and bought
    # raw (foods/cooking_yields.csv, a ratio kept as written there); empty for every other food
    # and for all foods seeded before it.
    cooked_g_per_g_as_sold: so.Mapped[float | None] = so.mapped_column(sa.Float)
    # Nutrients per 100 g edible portion (USDA SR28; added sugars from FPED), fixed point, in
    # the unit each name ends with (catalog.records.NUTRIENTS). Empty (NULL) is a value USDA
    # does not have: unknown, never 0. Energy is always known.
    energy_kcal: so.Mapped[int] = so.mapped_column(sa.Integer)
    protein_mg: so.Mapped[int | None] = so.mapped_column(sa.Integer)
    fat_mg: so.Mapped[int | None] = so.mapped_column(sa.Integer)
    saturated_fat_mg: so.Mapped[int | None] = so.mapped_column(sa.Integer)
    carbohydrate_mg: so.Mapped[int | None] = so.mapped_column(sa.Integer)
    fiber_mg: so.Mapped[int | None] = so.mapped_column(sa.Integer)
    sugars_mg: so.Mapped[int | None] = so.mapped_column(sa.Integer)
    sodium_mg: so.Mapped[int | None] = so.mapped_column(sa.Integer)
    calcium_mg: so.Mapped[int | None] = so.mapped_column(sa.Integer)
    iron_ug: so.Mapped[int | None] = so.mapped_column(sa.Integer)
    potassium_mg: so.Mapped[int | None] = so.mapped_column(sa.Integer)
    magnesium_mg: so.Mapped[int | None] = so.mapped_column(sa.Integer)
    zinc_ug: so.Mapped[int | None] = so.mapped_column(sa.Integer)
    folate_ug: so.Mapped[int | None] = so.mapped_column(sa.Integer)  # dietary folate equivalents
    vitamin_c_ug: so.Mapped[int | None] = so.mapped_column(sa.Integer)
    vitamin_b12_ng: so.Mapped[int | None] = so.mapped_column(sa.Integer)
    vitamin_d_ng: so.Mapped[int | None] = so.mapped_column(sa.Integer)
    ala_mg: so.Mapped[int | None] = so.mapped_column(sa.Integer)
    epa_dha_mg: so.Mapped[int | None] = so.mapped_column(sa.Integer)
    added_sugars_mg: so.Mapped[int | None] = so.mapped_column(sa.Integer)
    # Where the added-sugars figure comes from, or why it is unknown.
    added_sugars_source: so.Mapped[str | None] = so.mapped_column(sa.Text)
    # Gut-health attributes, each with its source key (foods/SOURCES.md).
    prebiotic_mg_per_100g: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    prebiotic_source: so.Mapped[str | None] = so.mapped_column(sa.String(80))
    prebiotic_measured_raw: so.Mapped[bool] = so.mapped_column(sa.Boolean, default=False)
    fermented: so.Mapped[bool] = so.mapped_column(sa.Boolean, default=False)
    live_cultures: so.Mapped[bool] = so.mapped_column(sa.Boolean, default=False)
    fermented_serving_g: so.Mapped[int | None] = so.mapped_column(sa.Integer)
    fermented_source: so.Mapped[str | None] = so.mapped_column(sa.String(80))
    # Price of one package, derived from USDA ERS prices (foods/prices.csv).
    package_price_cents: so.Mapped[int] = so.mapped_column(sa.Integer)
    price_per_100g_microusd: so.Mapped[int] = so.mapped_column(sa.Integer)
    price_year: so.Mapped[int] = so.mapped_column(sa.Integer)
    price_source: so.Mapped[str] = so.mapped_column(sa.Text)
    # Priced from another food's record (no record of this food exists in the price data).
    price_is_proxy: so.Mapped[bool] = so.mapped_column(sa.Boolean, default=False)
    # How long it keeps where it is kept (USDA FSIS FoodKeeper, foods/storage_days.csv);
    # empty for a user's food that gives none.
    storage_place: so.Mapped[str | None] = so.mapped_column(sa.String(10))
    storage_keeps_days: so.Mapped[int | None] = so.mapped_column(sa.Integer)
    storage_opened_days: so.Mapped[int | None] = so.mapped_column(sa.Integer)
    storage_foodkeeper_id: so.Mapped[int | None] = so.mapped_column(sa.Integer)
    storage_source: so.Mapped[str | None] = so.mapped_column(sa.Text)
    # The food bought to get this one (foods/parts.csv: lemon juice -> lemon), or none.
    part_of: so.Mapped[str | None] = so.mapped_column(sa.String(80))

    measures: so.Mapped[list[FoodMeasure]] = so.relationship(
        back_populates="food", cascade="all, delete-orphan", order_by="FoodMeasure.seq"
    )


class FoodMeasure(db.Model):
    """A USDA household measure (WEIGHT table): '1 medium onion = 110 g'."""

    __tablename__ = "food_measure"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    food_id: so.Mapped[str] = so.mapped_column(sa.ForeignKey("food.id", ondelete="CASCADE"))
    seq: so.Mapped[int] = so.mapped_column(sa.Integer)
    amount: so.Mapped[float] = so.mapped_column(sa.Float)
    description: so.Mapped[str] = so.mapped_column(sa.String(120))
    grams: so.Mapped[float] = so.mapped_column(sa.Float)

    food: so.Mapped[Food] = so.relationship(back_populates="measures")


class Recipe(db.Model):
    __tablename__ = "recipe"

    id: so.Mapped[str] = so.mapped_column(sa.String(100), primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(200), index=True)
    cuisine: so.Mapped[str] = so.mapped_column(sa.String(60))
    meal_types: so.Mapped[list[str]] = so.mapped_column(sa.JSON)
    prep_minutes: so.Mapped[int] = so.mapped_column(sa.Integer)
    cook_minutes: so.Mapped[int] = so.mapped_column(sa.Integer)
    method: so.Mapped[list[str]] = so.mapped_column(sa.JSON)

    ingredients: so.Mapped[list[RecipeIngredient]] = so.relationship(
        back_populates="recipe",
        cascade="all, delete-orphan",
        order_by="RecipeIngredient.position",
    )


class RecipeIngredient(db.Model):
    __tablename__ = "recipe_ingredient"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    recipe_id: so.Mapped[str] = so.mapped_column(
        sa.ForeignKey("recipe.id", ondelete="CASCADE"), index=True
    )
    position: so.Mapped[int] = so.mapped_column(sa.Integer)
    food_id: so.Mapped[str] = so.mapped_column(sa.ForeignKey("food.id"))
    grams: so.Mapped[int] = so.mapped_column(sa.Integer)
    # cooked with the dish (True) or added raw or after cooking (False): live cultures
    heated: so.Mapped[bool] = so.mapped_column(sa.Boolean, default=True)

    recipe: so.Mapped[Recipe] = so.relationship(back_populates="ingredients")
    food: so.Mapped[Food] = so.relationship()


class Plan(db.Model):
    """A solved plan, stored whole so that reading it never re-solves."""

    __tablename__ = "plan"

    id: so.Mapped[str] = so.mapped_column(sa.String(32), primary_key=True)
    created_at: so.Mapped[datetime] = so.mapped_column(
        sa.DateTime(timezone=True), default=lambda: datetime.now(UTC)
    )
    request: so.Mapped[dict] = so.mapped_column(sa.JSON)
    document: so.Mapped[dict] = so.mapped_column(sa.JSON)
    # SHA-256 (hex) of the owner token given out once at creation; deleting needs the token.
    owner_token_hash: so.Mapped[str | None] = so.mapped_column(sa.String(64))
    # Counts the stored changes: a change saved from an older version finds no row and fails
    # (StaleDataError) instead of overwriting the change saved in between.
    version: so.Mapped[int] = so.mapped_column(sa.Integer, server_default="1")

    __mapper_args__ = {"version_id_col": version}
