"""Reading the recipe files (`recipes/*.toml` of a food folder), each ingredient checked
against the foods already read."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from mealplanner.catalog.files import CatalogError, check_vocabulary, whole_number
from mealplanner.catalog.records import IngredientLine, RecipeRecord
from mealplanner.rules import MEALS

RECIPE_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def read_recipes(folder: Path, food_ids: set[str]) -> list[RecipeRecord]:
    """Every `[[recipe]]` in `folder/recipes/*.toml`, each ingredient checked against `food_ids`."""
    recipes: list[RecipeRecord] = []
    seen: dict[str, str] = {}
    for path in sorted((folder / "recipes").glob("*.toml")):
        with open(path, "rb") as handle:
            try:
                data = tomllib.load(handle)
            except tomllib.TOMLDecodeError as error:
                raise CatalogError(f"recipes/{path.name}: {error}") from None
        for index, raw in enumerate(data.get("recipe", []), start=1):
            where = f"recipes/{path.name} recipe #{index} ({raw.get('id', '?')})"
            recipe = _recipe_record(raw, where, food_ids)
            if recipe.id in seen:
                raise CatalogError(f"{where}: id {recipe.id!r} already used in {seen[recipe.id]}")
            seen[recipe.id] = where
            recipes.append(recipe)
    return recipes


def _heated(item: dict, raw: dict, where: str) -> bool:
    """`heated = true | false` on the ingredient; without it, an ingredient of a dish that
    cooks (cook_minutes > 0) is heated, one of a dish that does not is not."""
    heated = item.get("heated")
    if heated is None:
        return whole_number(raw["cook_minutes"], where, "cook_minutes") > 0
    if not isinstance(heated, bool):
        raise CatalogError(f"{where}: {item.get('food')} heated must be true or false, "
                           f"got {heated!r}")
    return heated


def _recipe_record(raw: dict, where: str, food_ids: set[str]) -> RecipeRecord:
    for field in ("id", "name", "cuisine", "meal_types", "prep_minutes", "cook_minutes",
                  "ingredients", "method"):
        if field not in raw:
            raise CatalogError(f"{where}: missing field {field!r}")
    if not RECIPE_ID.match(raw["id"]):
        raise CatalogError(f"{where}: id must be lower kebab-case (a-z, 0-9, -)")
    check_vocabulary(raw["meal_types"], MEALS, where, "meal type")
    if not raw["meal_types"]:
        raise CatalogError(f"{where}: meal_types must name at least one of {', '.join(MEALS)}")
    lines = []
    for item in raw["ingredients"]:
        food = item.get("food")
        if food not in food_ids:
            raise CatalogError(f"{where}: ingredient {food!r} is not a known food id")
        grams = item.get("grams")
        if not isinstance(grams, int) or isinstance(grams, bool) or grams < 1:
            raise CatalogError(f"{where}: {food} grams must be a whole number >= 1, got {grams!r}")
        lines.append(IngredientLine(food, grams, _heated(item, raw, where)))
    if not lines:
        raise CatalogError(f"{where}: a recipe needs at least one ingredient")
    return RecipeRecord(
        id=raw["id"],
        name=raw["name"],
        cuisine=raw["cuisine"],
        meal_types=tuple(raw["meal_types"]),
        prep_minutes=whole_number(raw["prep_minutes"], where, "prep_minutes"),
        cook_minutes=whole_number(raw["cook_minutes"], where, "cook_minutes"),
        ingredients=tuple(lines),
        method=tuple(raw["method"]),
    )
