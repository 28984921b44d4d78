"""The request as arrays for the local search: every (dish, portion) a meal type may take,
with one column per bound of each linear requirement of the rule set, compiled by the same
integer arithmetic as the CP-SAT model (units.integer_bounds)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from mealplanner.catalog.store import Catalog
from mealplanner.planner.candidates import Candidates
from mealplanner.planner.dish_table import QUANTITY_COLUMN, DishRows, dish_rows
from mealplanner.planner.families.nutrient_targets import soft_minimums
from mealplanner.planner.families.packages import purchase_columns
from mealplanner.planner.request import LockedMeal, PlanRequest
from mealplanner.planner.units import IntegerBound, integer_bounds, quarters, soft_level
from mealplanner.rules.requirements import (
    BUDGET,
    DAY,
    ENERGY,
    GROUP_PREFIX,
    PACKAGES_FAMILY,
    PLAN,
    RuleSet,
)


@dataclass
class Rule:
    """One bound of a linear requirement: key names the requirement."""

    key: str
    low: float = -math.inf
    high: float = math.inf
    size: float = 1.0  # what one unit of violation means (the bound's own magnitude)
    unit: str = ""  # how a person reads the amount: value / per_unit, in `unit`
    per_unit: float = 1.0
    soft_high: int | None = None  # a cap's comfortable level (units.soft_level)


def signed_bounds(rules: list[Rule]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each rule has one bound, as (sign, signed bound, 1 / size): the shortfall in units of the
    rule's size is max(signed bound - sign * value, 0) / size (a minimum has sign 1, a maximum
    -1). With whole-number values and bounds the difference is exact in floats, so a value
    on its bound is never a sliver short."""
    sign = np.array([1 if r.low != -math.inf else -1 for r in rules], dtype=np.float64)
    bound = np.array([r.low if r.low != -math.inf else r.high for r in rules], dtype=np.float64)
    return sign, bound * sign, np.array([1 / r.size for r in rules], dtype=np.float64)


def _rule(requirement, bound: IntegerBound) -> Rule:
    return Rule(
        key=requirement.key,
        low=bound.low if bound.low is not None else -math.inf,
        high=bound.high if bound.high is not None else math.inf,
        size=bound.size, unit=requirement.unit,
        per_unit=float(bound.multiplier) * requirement.unit_size,
        soft_high=(soft_level(requirement, bound)
                   if requirement.soft_high is not None and bound.high is not None else None),
    )


@dataclass
class MealOptions:
    """Every (dish, portion) one meal type may take, as arrays (one row per option)."""

    keys: list[tuple[str, int]]
    recipe: np.ndarray  # index into WeekProblem.recipes
    daily: np.ndarray  # (n, daily rules) per person
    weekly: np.ndarray  # (n, weekly rules) per person
    food: np.ndarray  # (n, foods) household grams x quarters
    # the same, sparse: one entry per (option, food it uses), for fast package arithmetic
    use_option: np.ndarray
    use_food: np.ndarray
    use_qg: np.ndarray
    favorite: np.ndarray  # (n,) bool
    index: dict[tuple[str, int], int] = field(default_factory=dict)
    # (n, soft minimums): each weekly nutrient target's column (families/nutrient_targets.py)
    soft: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    use_plant: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    # the uses of plant foods alone (plant-food counting)
    plant_use_option: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    plant_use_food: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    # option k's uses are use_*[use_start[k]:use_start[k + 1]] (use_option is sorted)
    use_start: np.ndarray = field(default_factory=lambda: np.zeros(1, dtype=np.int64))


@dataclass
class WeekProblem:
    request: PlanRequest
    rule_set: RuleSet
    slots: list[tuple[int, str]]
    allowed: list[np.ndarray]  # per slot: option indices it may take
    options: dict[str, MealOptions]
    recipes: list[str]
    daily_rules: list[Rule]
    weekly_rules: list[Rule]
    energy_column: int  # the daily column of energy (kcal, rounded down): closeness objective
    foods: list[str]
    plant: np.ndarray  # per food, bool
    # Purchase columns (families/packages.purchase_columns): one per food and storage window.
    # day_columns[day row, food] is the column a meal on that day buys the food in.
    day_columns: np.ndarray
    column_food: np.ndarray
    unit_cents: np.ndarray  # price of one package; 0 for a staple on hand
    package_qg: np.ndarray
    pantry_qg: np.ndarray
    credit_qg: np.ndarray  # objective credit per grams x quarter left over that keeps
    budget_cents: int | None = None  # a budget on the checkout (not on the food eaten)
    # the weekly nutrient targets: minimum over the plan and objective units per unit short
    soft_low: np.ndarray = field(default_factory=lambda: np.zeros(0))
    soft_per_unit: np.ndarray = field(default_factory=lambda: np.zeros(0))
    # per meal type its uses' (food, grams) pairs, and per (day, meal type) the purchase
    # columns of those pairs (meal_arrays.use_columns), worked out on first use by any
    # search of this problem
    meal_uses: dict = field(default_factory=dict, repr=False)
    # the daily rules on the days the person made an exception (day -> every daily rule,
    # in daily_rules' order); every other day holds daily_rules
    excepted_days: dict[int, list[Rule]] = field(default_factory=dict)

    def daily_rules_on(self, day: int) -> list[Rule]:
        return self.excepted_days.get(day, self.daily_rules)

    def free_options(self) -> int:
        """(dish, portion) choices over the meals that are not fixed."""
        return sum(len(rows) for rows in self.allowed if len(rows) > 1)


def _columns(rule_set: RuleSet, period: str):
    pairs = [(r, b) for r in rule_set.linear(period) for b in integer_bounds(r)]
    return [_rule(r, b) for r, b in pairs], [b for _r, b in pairs]


def _excepted_days(rule_set: RuleSet) -> dict[int, list[Rule]]:
    """The daily rules of each day with an exception (same columns, the day's bounds)."""
    daily = rule_set.linear(DAY)
    days = sorted({day for r in daily for day, _b in r.day_bounds})
    return {day: [_rule(r, b) for r in daily for b in integer_bounds(r, day)] for day in days}


def _column_matrix(figures: OptionFigures, bounds: list[IntegerBound]) -> np.ndarray:
    """(options, bounds): each bound's integer column for every option, as IntegerBound.column
    gives it, from one array per (quantity, rounding) rather than one call per option."""
    amounts: dict[tuple[str, bool], np.ndarray] = {}
    matrix = np.zeros((len(figures.quarters), len(bounds)), dtype=np.float64)
    for j, bound in enumerate(bounds):
        for quantity, weight, understate in bound.coefficients:
            key = (quantity, understate)
            if key not in amounts:
                amounts[key] = figures.column(quantity, understate)
            matrix[:, j] += weight * amounts[key]
    return matrix


@dataclass
class OptionFigures:
    """The figures of a meal type's options as arrays (one row per option), stacked from the
    dishes' rows (planner/dish_table.py): what units.figure gives, for every option at once."""

    dishes: list[DishRows]
    quarters: np.ndarray  # per option

    @classmethod
    def stack(cls, dishes: list[DishRows]) -> OptionFigures:
        qs = [q for rows in dishes for q in rows.portions]
        return cls(dishes, np.array(qs, dtype=np.int64))

    def column(self, quantity: str, understate: bool) -> np.ndarray:
        if quantity.startswith(GROUP_PREFIX):  # grams per serving x quarters
            group = quantity[len(GROUP_PREFIX):]
            grams = [rows.group_g[rows.groups.index(group)] if group in rows.groups else 0
                     for rows in self.dishes]
            counts = [len(rows.portions) for rows in self.dishes]
            return (np.repeat(np.array(grams, dtype=np.int64), counts)
                    * self.quarters).astype(np.float64)
        at = QUANTITY_COLUMN[quantity]
        parts = [(rows.floor if understate else rows.ceil)[:, at] for rows in self.dishes]
        return (np.concatenate(parts) if parts else np.zeros(0)).astype(np.float64)


def build_problem(
    request: PlanRequest,
    catalog: Catalog,
    candidates: Candidates,
    rule_set: RuleSet,
    locked: list[LockedMeal] = (),
    forbidden: list[tuple[int, str, str]] = (),
) -> WeekProblem:
    """The request as arrays, with exactly the rules of `rule_set`."""
    daily_rules, daily_columns = _columns(rule_set, DAY)
    weekly_rules, weekly_columns = _columns(rule_set, PLAN)
    energy_column = next(i for i, r in enumerate(daily_rules)
                         if r.key == ENERGY and r.low != -math.inf)
    recipes = sorted(candidates.recipe_ids())
    recipe_index = {rid: i for i, rid in enumerate(recipes)}
    foods = sorted({f for fig in candidates.figures.values() for f in fig.food_qg})
    food_index = {f: i for i, f in enumerate(foods)}
    softs = soft_minimums(rule_set)
    options = {slot: _meal_options(request, catalog, candidates, slot, food_index, recipe_index,
                                   daily_columns, weekly_columns, [s.bound for s in softs])
               for slot in request.meals}
    slots, allowed = _allowed(request, options, locked, forbidden)
    catalog_foods = [catalog.foods[f] for f in foods]
    plant_groups = catalog.rules.plant_groups
    columns = purchase_columns(catalog_foods, request.days, candidates.pantry_g,
                               request.use_staples)
    problem = WeekProblem(
        request=request, rule_set=rule_set, slots=slots, allowed=allowed, options=options,
        recipes=recipes, daily_rules=daily_rules, weekly_rules=weekly_rules,
        energy_column=energy_column, foods=foods,
        plant=np.array([bool(plant_groups & set(f.groups)) for f in catalog_foods], dtype=bool),
        day_columns=_day_columns(columns, len(foods), request.days),
        column_food=np.array([c.food for c in columns], dtype=np.int64),
        unit_cents=np.array([c.price_cents for c in columns], dtype=np.int64),
        package_qg=np.array([c.package_qg for c in columns], dtype=np.int64),
        pantry_qg=np.array([c.pantry_qg for c in columns], dtype=np.int64),
        credit_qg=np.array([c.credit_per_qg for c in columns], dtype=np.int64),
        budget_cents=rule_set.budget_cents if rule_set.has(BUDGET) and
        rule_set.requirement(BUDGET).family == PACKAGES_FAMILY else None,
        soft_low=np.array([s.bound.low for s in softs], dtype=np.float64),
        soft_per_unit=np.array([s.per_unit_short for s in softs], dtype=np.float64),
        excepted_days=_excepted_days(rule_set),
    )
    for opts in options.values():
        opts.use_plant = problem.plant[opts.use_food]
        opts.plant_use_option = opts.use_option[opts.use_plant]
        opts.plant_use_food = opts.use_food[opts.use_plant]
        opts.use_start = np.searchsorted(opts.use_option, np.arange(len(opts.keys) + 1))
    return problem


def _day_columns(columns, food_count: int, days: int) -> np.ndarray:
    """[day - 1, food] -> the purchase column of that food on that day."""
    table = np.zeros((days, food_count), dtype=np.int64)
    for index, column in enumerate(columns):
        table[column.first_day - 1: column.last_day, column.food] = index
    return table


def _meal_options(request, catalog, candidates, slot, food_index, recipe_index,
                  daily_columns, weekly_columns, soft_columns) -> MealOptions:
    dishes = [dish_rows(catalog, rid, request.use_staples)
              for rid in candidates.by_slot.get(slot, [])]
    keys = [(rows.recipe_id, q) for rows in dishes for q in rows.portions]
    figures = OptionFigures.stack(dishes)
    food = np.zeros((len(keys), len(food_index)), dtype=np.int64)
    start = 0
    for rows in dishes:  # household grams x quarters of each food, a dish's portions at once
        end = start + len(rows.portions)
        columns = [food_index[f] for f in rows.foods]
        food[start:end, columns] = (np.outer(figures.quarters[start:end], rows.food_g)
                                    * request.people)
        start = end
    use_option, use_food = np.nonzero(food)
    return MealOptions(
        keys=keys,
        use_option=use_option, use_food=use_food, use_qg=food[use_option, use_food],
        recipe=np.array([recipe_index[rid] for rid, _q in keys], dtype=np.int64),
        daily=_column_matrix(figures, daily_columns),
        weekly=_column_matrix(figures, weekly_columns),
        food=food,
        favorite=np.array([rid in candidates.favorites for rid, _q in keys], dtype=bool),
        index={k: i for i, k in enumerate(keys)},
        soft=_column_matrix(figures, soft_columns),
    )


def _allowed(request, options, locked, forbidden):
    """Per (day, slot): the option rows it may take (locks fix one, swaps forbid a dish)."""
    locks = {(m.day, m.slot): (m.recipe_id, quarters(m.portion)) for m in locked}
    banned: dict[tuple[int, str], set[str]] = {}
    for day, slot, rid in forbidden:
        banned.setdefault((day, slot), set()).add(rid)
    slots, allowed = [], []
    for meal in request.slots:
        opts = options[meal.slot]
        lock = locks.get((meal.day, meal.slot))
        no = banned.get((meal.day, meal.slot), set())
        if lock is None and not no:
            rows = np.arange(len(opts.keys), dtype=np.int64)
        else:
            rows = np.array([i for i, (rid, q) in enumerate(opts.keys)
                             if rid not in no and (lock is None or lock == (rid, q))],
                            dtype=np.int64)
        slots.append((meal.day, meal.slot))
        allowed.append(rows)
    return slots, allowed
