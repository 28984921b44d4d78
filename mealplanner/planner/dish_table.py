"""Every dish's integer figures at every portion the planner may serve it at, worked out once
per catalog and kept with it.

Why: a dish's figures depend on its recipe and on whether staples are on hand, never on the
rest of a request, and working them out (nutrients per portion rounded both ways, grams of
each food and food group) was a quarter of the time of a whole plan. A catalog is never
changed once built (a re-seeded database builds a new one), so what is kept cannot go stale.
The arrays are what the local search's options are built from; the dicts of DishFigures what
the CP-SAT model and the floor read.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mealplanner.catalog.store import Catalog
from mealplanner.planner.request import PORTIONS
from mealplanner.planner.units import MODEL_UNITS, portion_of, quarters

# The quantities every dish is figured for, in the column order of DishRows.floor / .ceil.
QUANTITIES = tuple(MODEL_UNITS)
QUANTITY_COLUMN = {name: i for i, name in enumerate(QUANTITIES)}
_MEMO_KEY = "planner.dish_table"


@dataclass(frozen=True)
class DishFigures:
    """One dish at one portion, per person, in model units (units.py): every quantity a rule
    may count, rounded down (`floor`, for minimums) and up (`ceil`, for caps)."""

    recipe_id: str
    quarters: int
    floor: dict[str, int]
    ceil: dict[str, int]
    # grams x quarters for each food and each food group (exact integers)
    food_qg: dict[str, int]
    group_qg: dict[str, int]

    @property
    def energy_kcal(self) -> int:
        return self.floor["energy_kcal"]


@dataclass(frozen=True)
class DishRows:
    """One dish at each portion it may be served at (one row per portion, ascending)."""

    recipe_id: str
    portions: tuple[int, ...]  # quarters; empty when even the smallest holds too much
    floor: np.ndarray  # (portions, QUANTITIES) int64: rounded down
    ceil: np.ndarray  # (portions, QUANTITIES) int64: rounded up
    foods: tuple[str, ...]  # the foods of one serving
    food_g: np.ndarray  # grams of each per serving (int64)
    groups: tuple[str, ...]
    group_g: np.ndarray  # grams of each food group per serving (int64)
    figures: dict[int, DishFigures]  # per portion (quarters)


def dish_rows(catalog: Catalog, recipe_id: str, use_staples: bool) -> DishRows:
    """The dish's rows, worked out on first use and kept with the catalog."""
    table = catalog.derived.setdefault(_MEMO_KEY, {})  # one dict, whichever thread asks first
    key = (recipe_id, use_staples)
    rows = table.get(key)
    if rows is None:
        rows = table[key] = _work_out(catalog, recipe_id, use_staples)
    return rows


def _work_out(catalog: Catalog, recipe_id: str, use_staples: bool) -> DishRows:
    amounts = _amounts(catalog, recipe_id, use_staples)
    tolerance = catalog.rules.gut.prebiotic_max_g_per_day
    portions = tuple(q for q in (quarters(p) for p in PORTIONS)
                     if amounts["prebiotic_most_g"] * portion_of(q) <= tolerance)
    floor, ceil = _rounded(amounts, portions)
    food_g, group_g = _per_portion_grams(catalog, recipe_id)
    figures = {}
    for row, q in enumerate(portions):
        figures[q] = DishFigures(
            recipe_id=recipe_id, quarters=q,
            floor=dict(zip(QUANTITIES, floor[row].tolist(), strict=True)),
            ceil=dict(zip(QUANTITIES, ceil[row].tolist(), strict=True)),
            food_qg={f: g * q for f, g in food_g.items()},
            group_qg={g: grams * q for g, grams in group_g.items()},
        )
    return DishRows(
        recipe_id=recipe_id, portions=portions, floor=floor, ceil=ceil,
        foods=tuple(food_g), food_g=np.array(list(food_g.values()), dtype=np.int64),
        groups=tuple(group_g), group_g=np.array(list(group_g.values()), dtype=np.int64),
        figures=figures,
    )


def _rounded(amounts: dict[str, float], portions: tuple[int, ...]
             ) -> tuple[np.ndarray, np.ndarray]:
    """Every amount at every portion in model units: rounded down for what must reach a
    minimum (never overstate), up for what stays under a cap (never understate)."""
    values = np.array([amounts[n] for n in QUANTITIES], dtype=np.float64)
    units = np.array([MODEL_UNITS[n] for n in QUANTITIES], dtype=np.float64)
    scaled = np.array([values * portion_of(q) * units for q in portions],
                      dtype=np.float64).reshape(len(portions), len(QUANTITIES))
    return (np.floor(scaled + 1e-9).astype(np.int64),
            np.ceil(scaled - 1e-9).astype(np.int64))


def _amounts(catalog: Catalog, recipe_id: str, use_staples: bool) -> dict[str, float]:
    """Per serving, each quantity the rules may count (rules/requirements.py).

    The recipe's nutrient totals (catalog.derive) count an ingredient USDA has no value for
    as 0, never None: a minimum (fiber) is never met by an unknown value, which is the
    cautious reading; a cap (sodium, saturated fat) holds for the known part only, as before
    unknown values were told apart (the recipe export lists those foods,
    `unknown_nutrient_foods`, and the plan its `totals_lower_bound`)."""
    facts = catalog.facts[recipe_id]
    # a nutrient USDA lacks for some ingredient counts what is known (a lower bound)
    amounts = {name: facts.nutrients.get(name) or 0.0 for name in MODEL_UNITS}
    amounts["prebiotic_g"] = facts.prebiotic_g
    amounts["prebiotic_most_g"] = facts.prebiotic_most_g
    amounts["fermented_servings"] = facts.fermented_servings
    amounts["eaten_cents"] = sum(
        line.grams * food.package_price_cents / food.package_edible_g
        for line in catalog.recipes[recipe_id].ingredients
        if not ((food := catalog.foods[line.food_id]).staple and use_staples))
    return amounts


def _per_portion_grams(catalog: Catalog, recipe_id: str
                       ) -> tuple[dict[str, int], dict[str, int]]:
    """Grams per serving of each food and each food group of a recipe."""
    food_g: dict[str, int] = {}
    group_g: dict[str, int] = {}
    for line in catalog.recipes[recipe_id].ingredients:
        food_g[line.food_id] = food_g.get(line.food_id, 0) + line.grams
        for group in catalog.foods[line.food_id].groups:
            group_g[group] = group_g.get(group, 0) + line.grams
    return food_g, group_g
