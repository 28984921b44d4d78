"""One recipe (scaled to a plan's portion and household) and one food."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, render_template, request, url_for

from mealplanner.catalog.measures import kitchen_measure
from mealplanner.catalog.records import NUTRIENTS
from mealplanner.catalog.schema_org import recipe_jsonld
from mealplanner.planner.request import PORTIONS
from mealplanner.plans.catalog import current_catalog
from mealplanner.plans.service import PlanNotFound, load_plan
from mealplanner.web.blueprint import bp
from mealplanner.web.reasons import recipe_reasons

# Decimals shown per nutrient (1 unless listed).
DIGITS = {"energy_kcal": 0, "sodium_mg": 0, "calcium_mg": 0, "potassium_mg": 0,
          "magnesium_mg": 0, "folate_ug": 0, "vitamin_b12_ug": 2, "ala_g": 2, "epa_dha_g": 2,
          "fermented_servings": 2}
_SPECS = {spec.name: spec for spec in NUTRIENTS}


def _row(name: str) -> tuple[str, str, str, int]:
    spec = _SPECS[name]
    return name, spec.label, spec.unit, DIGITS.get(name, 1)


# Each nutrient's name in a sentence.
WORDS = {"energy_kcal": "energy", "protein_g": "protein", "fat_g": "fat",
         "saturated_fat_g": "saturated fat", "carbohydrate_g": "carbohydrate",
         "fiber_g": "fiber", "sugars_g": "sugars", "sodium_mg": "sodium",
         "calcium_mg": "calcium", "iron_mg": "iron", "potassium_mg": "potassium",
         "magnesium_mg": "magnesium", "zinc_mg": "zinc", "folate_ug": "folate",
         "vitamin_c_mg": "vitamin C", "vitamin_b12_ug": "vitamin B12",
         "vitamin_d_ug": "vitamin D", "ala_g": "omega-3 ALA", "epa_dha_g": "omega-3 EPA + DHA",
         "added_sugars_g": "added sugars"}


def unknown_values(catalog, facts) -> list[tuple[str, list[str]]]:
    """(nutrient, names of the ingredients without a USDA value of it), in table order."""
    return [(WORDS[name], [catalog.foods[food_id].name for food_id in ids])
            for name, ids in facts.unknown.items()]


# (key, label, unit, decimals): the recipe page's table, the food page's in the same order.
NUTRIENT_ROWS = (
    *(_row(n) for n in ("energy_kcal", "protein_g", "fat_g", "saturated_fat_g",
                        "carbohydrate_g", "sugars_g", "added_sugars_g", "fiber_g")),
    ("prebiotic_g", "Prebiotic fiber", "g", 1),
    ("fermented_servings", "Live-culture servings", "", 2),
    *(_row(n) for n in ("sodium_mg", "potassium_mg", "calcium_mg", "magnesium_mg", "iron_mg",
                        "zinc_mg", "folate_ug", "vitamin_c_mg", "vitamin_b12_ug",
                        "vitamin_d_ug", "ala_g", "epa_dha_g")),
)


@dataclass(frozen=True)
class Line:
    food_id: str
    name: str
    grams_each: float  # one person's portion
    grams_total: float  # the whole household
    measure: str | None  # of the household total


@dataclass(frozen=True)
class PlanMeal:
    plan_id: str
    day: int
    slot: str
    totals: dict
    targets: dict


def plan_meal(recipe_id: str):
    """The plan meal the page was opened from (?plan=&day=&slot=), its portion and people."""
    plan_id = request.args.get("plan")
    if not plan_id:
        return None, None, None
    try:
        plan_request, document = load_plan(plan_id)
    except PlanNotFound:
        abort(404, f"No plan has the id {plan_id!r}.")
    day, slot = request.args.get("day", type=int), request.args.get("slot")
    for row in document["days"]:
        for meal in row["meals"]:
            if (row["day"], meal["slot"], meal["recipe_id"]) == (day, slot, recipe_id):
                where = PlanMeal(plan_id, day, slot, row["totals"], document["targets"])
                return where, meal["portion"], plan_request.people
    return None, None, plan_request.people


def group_notes(foods, rules) -> list[str]:
    """What the food groups say of these foods (constraints/food_groups.toml `note`):
    "Pecorino Romano: traditionally made with animal rennet"."""
    return [f"{food.name}: {rules.food_groups[group].note}" for food in foods
            for group in food.groups if group in rules.food_groups
            and rules.food_groups[group].note]


@bp.get("/recipes/<recipe_id>")
def recipe(recipe_id: str):
    """Ingredients in kitchen measures and grams, method, nutrients and why it is there."""
    catalog = current_catalog()
    if recipe_id not in catalog.recipes:
        abort(404, f"No recipe has the id {recipe_id!r}.")
    dish, facts = catalog.recipes[recipe_id], catalog.facts[recipe_id]
    where, portion, people = plan_meal(recipe_id)
    portion = request.args.get("portion", portion or 1.0, type=float)
    portion = portion if portion in PORTIONS else 1.0
    people = min(12, max(1, request.args.get("people", people or 1, type=int)))
    lines = []
    for line in dish.ingredients:
        food = catalog.foods[line.food_id]
        each = line.grams * portion
        lines.append(Line(food.id, food.name, each, each * people,
                          kitchen_measure(food, each * people)))
    values = {**facts.nutrients, "prebiotic_g": facts.prebiotic_g,
              "fermented_servings": facts.fermented_servings}
    fiber_target = where.targets["fiber_g"]["min"] if where else None
    return render_template(
        "web/recipe.html", recipe=dish, facts=facts, lines=lines, portion=portion,
        people=people, where=where, portions=PORTIONS, nutrient_rows=NUTRIENT_ROWS,
        values=values, rules=catalog.rules, unknown=unknown_values(catalog, facts),
        notes=group_notes({line.food_id: catalog.foods[line.food_id]
                           for line in dish.ingredients}.values(), catalog.rules),
        reasons=recipe_reasons(catalog, recipe_id, portion, fiber_target),
        jsonld=recipe_jsonld(catalog, recipe_id,
                             url_for("web.recipe", recipe_id=recipe_id, _external=True)),
    )


@bp.get("/foods/<food_id>")
def food(food_id: str):
    """Nutrients per 100 g, household measures, package, price, sources, dishes using it."""
    catalog = current_catalog()
    if food_id not in catalog.foods:
        abort(404, f"No food has the id {food_id!r}.")
    item = catalog.foods[food_id]
    used_in = sorted((r for r in catalog.recipes.values()
                      if any(line.food_id == food_id for line in r.ingredients)),
                     key=lambda r: r.name.casefold())
    values = {**item.nutrients.as_edge_units(),
              "prebiotic_g": item.prebiotic_mg_per_100g / 1000}
    rows = [row for row in NUTRIENT_ROWS if row[0] != "fermented_servings"]
    return render_template("web/food.html", food=item, values=values, nutrient_rows=rows,
                           used_in=used_in, rules=catalog.rules,
                           notes=group_notes([item], catalog.rules))
