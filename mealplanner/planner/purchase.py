"""What a set of meals requires buying: the arithmetic the budget rule, the plan's cost and the
shopping list share, so their totals always agree."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from mealplanner.catalog.store import Catalog
from mealplanner.planner.units import QUARTERS_PER_PORTION


@dataclass(frozen=True)
class Purchase:
    food_id: str
    needed_g: float  # household grams over the plan, as eaten
    pantry_g: int  # grams taken from the pantry
    staple: bool  # assumed on hand, not bought
    packages: int
    package_edible_g: int
    cost_cents: int

    @property
    def bought_edible_g(self) -> int:
        return self.packages * self.package_edible_g

    @property
    def leftover_g(self) -> float:
        """Edible grams bought (or taken from the pantry) and not used by the plan."""
        if self.staple:
            return 0.0
        return round(self.bought_edible_g + self.pantry_g - self.needed_g, 1)


def compute_purchases(
    meals: Iterable[tuple[str, int]],
    people: int,
    pantry_g: dict[str, int],
    catalog: Catalog,
    use_staples: bool,
) -> list[Purchase]:
    """`meals` are (recipe id, portion in quarters) per person; one row per food used."""
    need_qg: dict[str, int] = {}
    for recipe_id, q in meals:
        for line in catalog.recipes[recipe_id].ingredients:
            need_qg[line.food_id] = need_qg.get(line.food_id, 0) + line.grams * q * people
    purchases = []
    for food_id in sorted(need_qg):
        food = catalog.foods[food_id]
        needed = need_qg[food_id]
        staple = food.staple and use_staples
        available_qg = pantry_g.get(food_id, 0) * QUARTERS_PER_PORTION
        used_pantry_qg = min(available_qg, needed)
        missing = 0 if staple else needed - used_pantry_qg
        package_qg = food.package_edible_g * QUARTERS_PER_PORTION
        packages = math.ceil(missing / package_qg) if missing > 0 else 0
        purchases.append(
            Purchase(
                food_id=food_id,
                needed_g=needed / QUARTERS_PER_PORTION,
                pantry_g=math.ceil(used_pantry_qg / QUARTERS_PER_PORTION),
                staple=staple,
                packages=packages,
                package_edible_g=food.package_edible_g,
                cost_cents=packages * food.package_price_cents,
            )
        )
    return purchases
