"""What a plan's meals require buying, on which day, and what becomes of the rest: the
arithmetic the budget rule, the plan's cost figures and the shopping list share, so their
totals always agree.

Storage windows: a food that keeps K days where the household stores it (catalog storage:
unopened or opened, whichever is shorter) is bought for K days at a time: the plan's days fall
into windows of K days from day 1, and each window's meals are covered by packages bought on
its first day (a shopping trip). A food that keeps at least as long as the plan has one window.
The pantry (what is at home at the start) serves the first window.

What is left of a package: at the end of a window before the last it has spoiled (waste); after
the last window it is carried over when it still keeps for a plan as long as this one starting
the next day (or for its own storage time, when that is shorter), else it is waste.
Food eaten is priced at its package's price per edible gram, so for the household:
checkout + value of the pantry used = eaten + carried over + waste.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from mealplanner.catalog.store import Catalog
from mealplanner.planner.units import QUARTERS_PER_PORTION


def keeps_days(food) -> int | None:
    """How many days a package keeps once bought (None: longer than any plan, or unknown for
    a food of one's own without storage data)."""
    days = getattr(food, "keeps_after_opening_days", None)
    return None if days is None else max(1, int(days))


def food_windows(keeps: int | None, plan_days: int) -> list[tuple[int, int]]:
    """The (first day, last day) of each purchase window of a food over the plan."""
    if keeps is None or keeps >= plan_days:
        return [(1, plan_days)]
    return [(first, min(first + keeps - 1, plan_days))
            for first in range(1, plan_days + 1, keeps)]


def window_index(keeps: int | None, plan_days: int, day: int) -> int:
    if keeps is None or keeps >= plan_days:
        return 0
    return (day - 1) // keeps


def keeps_after_plan(keeps: int | None, first_day: int, plan_days: int) -> int | None:
    """Days a package bought on `first_day` still keeps after the plan's last day, when that is
    enough for the next plan to use it (as long as this one, or the food's own storage time
    when shorter); None when it is not: its leftovers are waste. Unknown storage keeps."""
    if keeps is None:
        return plan_days
    remaining = first_day + keeps - 1 - plan_days
    return remaining if remaining >= min(keeps, plan_days) else None


@dataclass(frozen=True)
class WindowPurchase:
    """One food over one window: grams needed, taken from the pantry, packages bought."""

    first_day: int
    last_day: int
    needed_qg: int  # household grams x quarters eaten in the window
    pantry_qg: int  # taken from the pantry (first window only)
    packages: int
    package_qg: int
    keeps_after: int | None  # days the leftover keeps after the plan (None: it spoils)

    @property
    def leftover_qg(self) -> int:
        """Grams x quarters bought in this window and not eaten."""
        return self.packages * self.package_qg - (self.needed_qg - self.pantry_qg)


@dataclass(frozen=True)
class Purchase:
    food_id: str
    staple: bool  # assumed on hand, not bought
    package_edible_g: int
    package_price_cents: int
    windows: tuple[WindowPurchase, ...]

    @property
    def needed_g(self) -> float:
        """Household grams over the plan, as eaten."""
        return sum(w.needed_qg for w in self.windows) / QUARTERS_PER_PORTION

    @property
    def pantry_g(self) -> int:
        """Grams taken from the pantry."""
        return math.ceil(sum(w.pantry_qg for w in self.windows) / QUARTERS_PER_PORTION)

    @property
    def packages(self) -> int:
        return sum(w.packages for w in self.windows)

    @property
    def cost_cents(self) -> int:
        return self.packages * self.package_price_cents

    @property
    def bought_edible_g(self) -> int:
        return self.packages * self.package_edible_g

    @property
    def buys(self) -> list[tuple[int, int]]:
        """(day, packages) of each trip that buys this food."""
        return [(w.first_day, w.packages) for w in self.windows if w.packages]

    @property
    def leftover_g(self) -> float:
        """Edible grams bought and not eaten (staples: none)."""
        if self.staple:
            return 0.0
        return round(sum(w.leftover_qg for w in self.windows) / QUARTERS_PER_PORTION, 1)

    @property
    def carried_g(self) -> float:
        if self.staple:
            return 0.0
        return sum(w.leftover_qg for w in self.windows
                   if w.keeps_after is not None) / QUARTERS_PER_PORTION

    @property
    def waste_g(self) -> float:
        if self.staple:
            return 0.0
        return sum(w.leftover_qg for w in self.windows
                   if w.keeps_after is None) / QUARTERS_PER_PORTION

    def _value(self, grams: float) -> float:
        return grams * self.package_price_cents / self.package_edible_g

    @property
    def eaten_cents(self) -> float:
        """The food eaten, at its package's price per edible gram (staples: not counted)."""
        return 0.0 if self.staple else self._value(self.needed_g)

    @property
    def carried_cents(self) -> float:
        return self._value(self.carried_g)

    @property
    def waste_cents(self) -> float:
        return self._value(self.waste_g)

    def bought_on(self, day: int) -> Purchase | None:
        """The part of this purchase bought on a trip on `day` (its window starting then)."""
        windows = tuple(w for w in self.windows if w.first_day == day)
        return Purchase(self.food_id, self.staple, self.package_edible_g,
                        self.package_price_cents, windows) if windows else None

    @property
    def keeps_after(self) -> int | None:
        """Days the carried-over leftover keeps after the plan (None: nothing carried)."""
        last = self.windows[-1]
        return last.keeps_after if last.leftover_qg > 0 else None


def compute_purchases(
    meals: Iterable[tuple[int, str, int]],
    people: int,
    pantry_g: dict[str, int],
    catalog: Catalog,
    use_staples: bool,
    plan_days: int,
) -> list[Purchase]:
    """`meals` are (day, recipe id, portion in quarters) per person; one row per food used."""
    need: dict[str, dict[int, int]] = {}  # food -> day -> household grams x quarters
    for day, recipe_id, q in meals:
        for line in catalog.recipes[recipe_id].ingredients:
            by_day = need.setdefault(line.food_id, {})
            by_day[day] = by_day.get(day, 0) + line.grams * q * people
    return [_purchase(catalog.foods[food_id], need[food_id], people, pantry_g, use_staples,
                      plan_days) for food_id in sorted(need)]


def _purchase(food, by_day: dict[int, int], people: int, pantry_g: dict[str, int],
              use_staples: bool, plan_days: int) -> Purchase:
    staple = food.staple and use_staples
    keeps = keeps_days(food)
    package_qg = food.package_edible_g * QUARTERS_PER_PORTION
    available_qg = pantry_g.get(food.id, 0) * QUARTERS_PER_PORTION
    windows = []
    for index, (first, last) in enumerate(food_windows(keeps, plan_days)):
        needed = sum(qg for day, qg in by_day.items() if first <= day <= last)
        pantry = min(available_qg, needed) if index == 0 else 0
        missing = 0 if staple else needed - pantry
        packages = math.ceil(missing / package_qg) if missing > 0 else 0
        windows.append(WindowPurchase(first, last, needed, pantry if not staple else 0,
                                      packages, package_qg,
                                      keeps_after_plan(keeps, first, plan_days)
                                      if last == plan_days else None))
    return Purchase(food.id, staple, food.package_edible_g, food.package_price_cents,
                    tuple(windows))
