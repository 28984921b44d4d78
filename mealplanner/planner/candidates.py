"""Hard filters before the model: which dishes may fill which slot, and their integer figures.

Allergens, diet, dislikes and time shrink the candidate list so that no variable is ever made
for a dish the person cannot eat; the filter counts feed the explanation when a slot is empty.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np

from mealplanner.catalog.store import Catalog
from mealplanner.formatting import number, words
from mealplanner.planner.dish_table import QUANTITY_COLUMN, DishFigures, dish_rows
from mealplanner.planner.request import PORTIONS, PlanRequest
from mealplanner.planner.units import MODEL_UNITS, quarters

__all__ = ["Candidates", "DishFigures", "RequestError", "build_candidates"]


class RequestError(ValueError):
    """A request names something the database does not have; `field` says which input."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass
class Candidates:
    by_slot: dict[str, list[str]]
    figures: dict[tuple[str, int], DishFigures]
    removed: dict[str, dict[str, int]]  # slot -> reason -> number of dishes removed
    excluded_food_ids: frozenset[str]
    pantry_g: dict[str, int]
    favorites: frozenset[str]
    portion_quarters: tuple[int, ...] = field(default=tuple(quarters(p) for p in PORTIONS))
    # per dish, the portions it may be served at (all of portion_quarters unless one alone
    # would hold more prebiotic fibre than a whole day tolerates)
    dish_portions: dict[str, tuple[int, ...]] = field(default_factory=dict)
    _most_per_day: np.ndarray | None = field(default=None, repr=False)

    def portions(self, recipe_id: str) -> tuple[int, ...]:
        return self.dish_portions.get(recipe_id, self.portion_quarters)

    def recipe_ids(self) -> set[str]:
        return {rid for ids in self.by_slot.values() for rid in ids}

    def most_per_day(self, quantity: str) -> float:
        """The most of a quantity one day's planned meals can hold, per person: each meal's
        richest dish at its largest portion (0 when no dish has the figure)."""
        if quantity not in QUANTITY_COLUMN:
            return 0.0
        if self._most_per_day is None:  # every quantity at once, the first time one is asked
            total = np.zeros(len(QUANTITY_COLUMN), dtype=np.int64)
            for dishes in self.by_slot.values():  # a dish holds the most at its largest portion
                largest = [self.figures[rid, max(self.portions(rid))].floor for rid in dishes
                           if self.portions(rid)]
                if largest:
                    total += np.array([[fig[name] for name in QUANTITY_COLUMN]
                                       for fig in largest], dtype=np.int64).max(axis=0)
            self._most_per_day = total
        return int(self._most_per_day[QUANTITY_COLUMN[quantity]]) / MODEL_UNITS[quantity]

    def served_groups(self) -> set[str]:
        """Food groups some eligible dish contains."""
        return {g for fig in self.figures.values() for g, qg in fig.group_qg.items() if qg}


def _words(text: str) -> str:
    """The letters and digits of any script, NFKC-normalised (full-width 'ｇａｒｌｉｃ' is
    'garlic') and case-folded, one space between words."""
    return re.sub(r"[\W_]+", " ", unicodedata.normalize("NFKC", text).casefold()).strip()


def resolve_food_terms(terms, catalog: Catalog, field: str) -> set[str]:
    """Dislikes by id or name; a word matches every food named with it ('mushroom')."""
    result: set[str] = set()
    for term in terms:
        wanted = _words(term)
        if not wanted:  # "!!!" or "🍄" would otherwise match every food
            raise RequestError(field, f"{term!r} has no letters or digits to match a food by")
        exact = [f.id for f in catalog.foods.values()
                 if wanted in (_words(f.id), _words(f.name))]
        if exact:
            result.update(exact)
            continue
        pattern = re.compile(rf"\b{re.escape(wanted)}s?\b")
        matches = [f.id for f in catalog.foods.values()
                   if pattern.search(_words(f.name)) or pattern.search(_words(f.id))]
        if not matches:
            raise RequestError(field, _unknown_food_message(term, catalog))
        result.update(matches)
    return result


def resolve_one_food(term: str, catalog: Catalog, field: str) -> str:
    """A pantry item must name exactly one food (id or name)."""
    wanted = _words(term)
    exact = [f.id for f in catalog.foods.values() if wanted in (_words(f.id), _words(f.name))]
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        raise RequestError(field, f"{term!r} matches several foods: {', '.join(sorted(exact))}")
    raise RequestError(field, _unknown_food_message(term, catalog))


def _unknown_food_message(term: str, catalog: Catalog) -> str:
    names = {f.id: f.id for f in catalog.foods.values()}
    names.update({f.name.lower(): f.id for f in catalog.foods.values()})
    asked = unicodedata.normalize("NFKC", term).casefold()
    close = difflib.get_close_matches(asked, list(names), n=5, cutoff=0.6)
    hint = f"; did you mean {', '.join(sorted({names[c] for c in close}))}?" if close else ""
    return f"unknown food {term!r}: use a food id or name from /api/v1/foods{hint}"


def resolve_pantry(request: PlanRequest, catalog: Catalog) -> dict[str, int]:
    """The request's pantry as grams by food id (one item may be named twice: added up)."""
    pantry: dict[str, int] = {}
    for index, item in enumerate(request.pantry):
        food_id = resolve_one_food(item.food, catalog, f"pantry.{index}.food")
        pantry[food_id] = pantry.get(food_id, 0) + item.grams
    return pantry


def resolve_recipes(terms, catalog: Catalog, field: str) -> set[str]:
    by_name = {_words(r.name): r.id for r in catalog.recipes.values()}
    result = set()
    for term in terms:
        if term in catalog.recipes:
            result.add(term)
        elif _words(term) in by_name:
            result.add(by_name[_words(term)])
        else:
            close = difflib.get_close_matches(term, list(catalog.recipes), n=3, cutoff=0.6)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise RequestError(field, f"unknown recipe {term!r}{hint}")
    return result


def build_candidates(request: PlanRequest, catalog: Catalog) -> Candidates:
    """Eligible dishes per slot and their figures at every portion."""
    excluded = frozenset(resolve_food_terms(request.exclude_foods, catalog, "exclude_foods"))
    pantry = resolve_pantry(request, catalog)
    favorites = frozenset(
        resolve_recipes(request.favorite_recipes, catalog, "favorite_recipes")
    )
    allergens = set(request.exclude_allergens)

    by_slot: dict[str, list[str]] = {}
    removed: dict[str, dict[str, int]] = {}
    for slot in request.meals:
        kept, reasons = [], {}
        for rid in sorted(catalog.recipes):
            recipe, facts = catalog.recipes[rid], catalog.facts[rid]
            if slot not in recipe.meal_types:
                continue
            reason = None
            if request.diet not in facts.diets:
                reason = f"not {words(request.diet)}"
            elif allergens & set(facts.allergens):
                reason = "contains an excluded allergen"
            elif excluded & {line.food_id for line in recipe.ingredients}:
                reason = "contains an excluded food"
            elif (request.max_prep_minutes is not None
                  and recipe.total_minutes > request.max_prep_minutes):
                reason = f"takes longer than {request.max_prep_minutes} minutes"
            if reason:
                reasons[reason] = reasons.get(reason, 0) + 1
            else:
                kept.append(rid)
        by_slot[slot] = kept
        removed[slot] = reasons

    figures, dish_portions = {}, {}
    eligible = {rid for ids in by_slot.values() for rid in ids}
    tolerance = catalog.rules.gut.prebiotic_max_g_per_day
    for rid in sorted(eligible):
        rows = dish_rows(catalog, rid, request.use_staples)
        dish_portions[rid] = rows.portions
        for q in rows.portions:
            figures[rid, q] = rows.figures[q]
    for slot, kept in by_slot.items():
        too_much = [rid for rid in kept if not dish_portions[rid]]
        if too_much:
            reason = (f"more prebiotic fibre than the {number(tolerance)} g a day most people "
                      "tolerate")
            removed[slot][reason] = len(too_much)
            by_slot[slot] = [rid for rid in kept if dish_portions[rid]]
    return Candidates(by_slot, figures, removed, excluded, pantry, favorites,
                      dish_portions=dish_portions)
