"""The alternatives to one meal of a plan, with every rule held and the other meals as they
are: what a person chooses from when a meal does not suit them.

Every (dish, portion) the meal may take is scored at once on the week's rules as arrays
(meal_screen.py, the same integer arithmetic as the CP-SAT model), so the screen covers every
option and takes milliseconds. The best few, one portion per dish, are confirmed
on the complete CP-SAT model with that choice fixed; the plan a person picks is solved with
every meal fixed and goes through the independent checker like every plan. When no dish keeps
every rule, blockers.py says which rules stand in the way, in plain words.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Any

from mealplanner.catalog.store import Catalog
from mealplanner.formatting import portion as fmt_portion
from mealplanner.planner.blockers import Blocker, blockers, no_alternative_message
from mealplanner.planner.cpsat.solve import SolveSettings, requirements_broken_by
from mealplanner.planner.meal_screen import Screen, screen
from mealplanner.planner.pipeline import PlanOutcome, make_plan
from mealplanner.planner.purchase import compute_purchases
from mealplanner.planner.report import day_totals, meal_document
from mealplanner.planner.request import LockedMeal, PlanRequest
from mealplanner.planner.units import portion_of, quarters

LIMIT = 5  # alternatives offered for a meal


class NotAnAlternative(ValueError):
    """The chosen dish (or portion) does not keep every rule in that meal."""


@dataclass(frozen=True)
class Change:
    """What picking an alternative changes against the current meal."""

    cost: float  # USD for the household: the plan's whole checkout after, minus before
    energy_kcal: float  # that day, per person
    fiber_g: float  # that day, per person
    fermented_servings: float  # live-culture servings that day, per person
    minutes: int  # preparation and cooking time of the meal


@dataclass(frozen=True)
class Choice:
    recipe_id: str
    name: str
    portion: float
    minutes: int  # preparation and cooking


@dataclass(frozen=True)
class Alternative:
    choice: Choice
    change: Change


@dataclass
class MealAlternatives:
    """The meal, its best alternatives (best first) and, when there are none, why."""

    day: int
    slot: str
    current: Choice
    alternatives: list[Alternative] = field(default_factory=list)
    blocked_by: list[Blocker] = field(default_factory=list)
    message: str = ""
    seconds: float = 0.0

    def as_document(self) -> dict[str, Any]:
        """The API's shape: each alternative's dish and its change side by side."""
        return {
            "day": self.day, "slot": self.slot, "current": asdict(self.current),
            "alternatives": [{**asdict(a.choice), "change": asdict(a.change)}
                             for a in self.alternatives],
            "blocked_by": [asdict(b) for b in self.blocked_by],
            "message": self.message, "seconds": self.seconds,
        }


def find_alternatives(request: PlanRequest, document: dict[str, Any], day: int, slot: str,
                      catalog: Catalog, limit: int = LIMIT) -> MealAlternatives:
    """The best `limit` other dishes for the meal (each at its best portion), confirmed on the
    complete model, with what each changes; or the rules that block every one."""
    started = time.perf_counter()
    found = screen(request, document, day, slot, catalog, dishes=2 * limit)
    options = found.problem.options[slot]
    best_per_dish: dict[str, int] = {}
    for row in found.ranked:
        best_per_dish.setdefault(options.keys[row][0], row)
    keys = [options.keys[row] for row in best_per_dish.values()]
    confirmed = _confirmed(found, keys, limit)
    result = MealAlternatives(day, slot, _choice(catalog, *found.chosen[day, slot]))
    base = _figures(found, catalog, found.chosen[day, slot])
    for key in confirmed:
        after = _figures(found, catalog, key)
        result.alternatives.append(Alternative(_choice(catalog, *key), Change(
            cost=round((after["cost_cents"] - base["cost_cents"]) / 100, 2),
            **{name: round(after[name] - base[name], 2)
               for name in ("energy_kcal", "fiber_g", "fermented_servings")},
            minutes=after["minutes"] - base["minutes"])))
    if not result.alternatives:
        result.blocked_by = blockers(found, catalog)
        result.message = no_alternative_message(day, slot, result.blocked_by)
    result.seconds = round(time.perf_counter() - started, 3)
    return result


def pick_alternative(request: PlanRequest, document: dict[str, Any], day: int, slot: str,
                     recipe_id: str, portion: float | None, catalog: Catalog) -> PlanOutcome:
    """The plan with the meal replaced by the chosen dish (at `portion`, or its best portion),
    solved with every meal fixed and checked; NotAnAlternative when the choice breaks a rule."""
    found, wanted = screen_choice(request, document, day, slot, recipe_id, portion, catalog)
    options = found.problem.options[slot]
    if not _confirmed(found, [options.keys[wanted[0]]], 1):
        listed = screen(request, document, day, slot, catalog, dishes=LIMIT)
        raise NotAnAlternative(_not_an_alternative(listed, catalog, recipe_id, portion))
    rid, q = options.keys[wanted[0]]
    locked = [LockedMeal(d, s, r, portion_of(k)) for (d, s), (r, k) in found.chosen.items()
              if (d, s) != (day, slot)] + [LockedMeal(day, slot, rid, portion_of(q))]
    return make_plan(request, catalog, locked=locked)


def screen_choice(request: PlanRequest, document: dict[str, Any], day: int, slot: str,
                  recipe_id: str, portion: float | None,
                  catalog: Catalog) -> tuple[Screen, list[int]]:
    """The screen of the chosen dish and its rows that keep every rule, best first;
    NotAnAlternative when there are none. Arithmetic only (no solving): what a swap can be
    told at once, before it is queued."""
    found = screen(request, document, day, slot, catalog, recipe_id=recipe_id)
    options = found.problem.options[slot]
    wanted = [row for row in found.ranked
              if portion is None or options.keys[row][1] == quarters(portion)]
    if not wanted:
        listed = screen(request, document, day, slot, catalog, dishes=LIMIT)
        raise NotAnAlternative(_not_an_alternative(listed, catalog, recipe_id, portion))
    return found, wanted


def _confirmed(found: Screen, keys: list[tuple[str, int]], limit: int) -> list[tuple[str, int]]:
    """The first `limit` of the (dish, quarters) choices the complete CP-SAT model confirms
    keep every rule with the other meals fixed (a check of the search's arithmetic)."""
    day, slot = found.problem.slots[found.slot]
    if not keys:
        return []
    allowed = {meal: {key} for meal, key in found.chosen.items()}
    allowed[day, slot] = set(keys[:limit * 2])  # room for a refused one or two
    pm = found.prepared.model(allowed=allowed)
    settings = SolveSettings(time_limit_seconds=1.0)
    confirmed = []
    for key in keys[:limit * 2]:
        meals = [(d, s, *k) for (d, s), k in found.chosen.items() if (d, s) != (day, slot)]
        if requirements_broken_by(pm, [*meals, (day, slot, *key)], settings) == []:
            confirmed.append(key)
        if len(confirmed) == limit:
            break
    return confirmed


def _choice(catalog: Catalog, recipe_id: str, q: int) -> Choice:
    recipe = catalog.recipes[recipe_id]
    return Choice(recipe_id, recipe.name, portion_of(q), recipe.prep_minutes + recipe.cook_minutes)


def _figures(found: Screen, catalog: Catalog, key: tuple[str, int]) -> dict[str, float]:
    """The plan's checkout (cents) and the day's totals with the meal set to `key`, computed
    as the plan document computes them (report.py, purchase.py), so that a change is exactly
    the difference between the documents before and after."""
    request = found.prepared.request
    day, slot = found.problem.slots[found.slot]
    chosen = {**found.chosen, (day, slot): key}
    meals = [(d, rid, q) for (d, _s), (rid, q) in chosen.items()]
    purchases = compute_purchases(meals, request.people, found.prepared.candidates.pantry_g,
                                  catalog, request.use_staples, request.days)
    day_meals = [meal_document(catalog, s, rid, q) for (d, s), (rid, q) in chosen.items()
                 if d == day]
    totals = day_totals(catalog, day_meals)
    recipe = catalog.recipes[key[0]]
    return {"cost_cents": sum(p.cost_cents for p in purchases),
            "energy_kcal": totals["energy_kcal"], "fiber_g": totals["fiber_g"],
            "fermented_servings": totals["fermented_servings"],
            "minutes": recipe.prep_minutes + recipe.cook_minutes}


def _not_an_alternative(found: Screen, catalog: Catalog, recipe_id: str,
                        portion: float | None) -> str:
    day, slot = found.problem.slots[found.slot]
    options = found.problem.options[slot]
    named = catalog.recipes[recipe_id].name if recipe_id in catalog.recipes else repr(recipe_id)
    at = f" at {fmt_portion(portion)}" if portion is not None else ""
    dishes = list(dict.fromkeys(options.keys[row][0] for row in found.ranked))[:LIMIT]
    fits = "; ".join(catalog.recipes[rid].name for rid in dishes) if dishes else "none"
    return (f"{named}{at} is not a {slot} that keeps every rule on day {day} with the rest of "
            f"the plan as it is; the alternatives are: {fits}")
