"""Whole packages: what must be bought, per food and storage window (planner/purchase.py),
minus the pantry and the staples on hand; the budget on their cost; and the credit for
leftovers that keep. The model side, the local search's side and the checker's side of the
rule live here together, so one change reaches all three.

Opening a package once and using it across its storage time is cheaper than buying two, so
the model counts packages, not grams. What is left of them spoils or keeps (purchase.py says
which); the objective pays the full price of everything bought and credits the leftovers
that keep at objective.CARRY_CREDIT of their value, so waste is never rewarded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from mealplanner import formatting as fmt
from mealplanner.planner.objective import CARRIED_OVER, CARRY_CREDIT, COST, WEIGHTS
from mealplanner.planner.purchase import food_windows, keeps_after_plan, keeps_days
from mealplanner.planner.units import QUARTERS_PER_PORTION
from mealplanner.rules.requirements import BUDGET, PACKAGES_FAMILY, RuleSet


@dataclass(frozen=True)
class Column:
    """One food over one storage window: what the solvers buy packages of."""

    food: int  # index into the foods list it was made from
    first_day: int
    last_day: int
    package_qg: int
    price_cents: int  # 0 for a staple on hand
    pantry_qg: int  # what the pantry holds for it (first window only)
    credit_per_qg: int  # objective units per grams x quarter left over that keeps


def credit_per_qg(food, package_qg: int) -> int:
    """What one leftover grams x quarter that keeps is worth to the objective (100 units a
    cent at COST's weight), rounded down to whole units: rounded up, the credit for a whole
    package of a cheap bulky food (a sack of potatoes) could exceed its price, and buying more
    than is eaten would pay."""
    return math.floor(CARRY_CREDIT * WEIGHTS[COST] * food.package_price_cents / package_qg)


def purchase_columns(foods: list, plan_days: int, pantry_g: dict[str, int],
                     use_staples: bool) -> list[Column]:
    columns = []
    for index, food in enumerate(foods):
        staple = food.staple and use_staples
        keeps = keeps_days(food)
        package_qg = food.package_edible_g * QUARTERS_PER_PORTION
        windows = food_windows(keeps, plan_days)
        for w, (first, last) in enumerate(windows):
            keeps_on = last == plan_days and keeps_after_plan(keeps, first, plan_days) is not None
            columns.append(Column(
                food=index, first_day=first, last_day=last, package_qg=package_qg,
                price_cents=0 if staple else food.package_price_cents,
                pantry_qg=pantry_g.get(food.id, 0) * QUARTERS_PER_PORTION if w == 0 else 0,
                credit_per_qg=credit_per_qg(food, package_qg) if keeps_on and not staple
                else 0))
    return columns


# --- model side ---------------------------------------------------------------------------------


def add_to_model(pm) -> None:
    """Integer packages per food and window, their cost (the COST penalty), the credit for
    what is left and keeps (CARRIED_OVER) and, when the request limits the checkout, the
    budget on it. A model without penalties (PlanModel.penalised) has them only for that
    budget."""
    rule_set: RuleSet = pm.rule_set
    budgeted = rule_set.has(BUDGET) and rule_set.requirement(BUDGET).family == PACKAGES_FAMILY
    if not pm.penalised and not budgeted:
        return
    people = pm.request.people
    # per food and day, the choice variables using it and their household grams x quarters
    need: dict[str, dict[int, tuple[list, list]]] = {}
    for (day, _slot, rid, q), var in pm.x.items():
        for food_id, qg in pm.candidates.figures[rid, q].food_qg.items():
            by_day = need.setdefault(food_id, {})
            if day not in by_day:
                by_day[day] = ([], [])
            chosen, grams = by_day[day]
            chosen.append(var)
            grams.append(qg * people)
    foods = [pm.catalog.foods[f] for f in sorted(need)]
    costs, credits = [], []
    for column in purchase_columns(foods, pm.request.days, pm.candidates.pantry_g,
                                   pm.request.use_staples):
        if not column.price_cents:
            continue  # a staple on hand
        food = foods[column.food]
        chosen, grams = [], []
        for day in sorted(need[food.id]):  # in the window, day by day
            if column.first_day <= day <= column.last_day:
                chosen += need[food.id][day][0]
                grams += need[food.id][day][1]
        if not chosen:
            continue
        used = cp_model.LinearExpr.weighted_sum(chosen, grams)
        most = sum(grams)
        upper = max(0, math.ceil((most - column.pantry_qg) / column.package_qg))
        name = f"{food.id}_d{column.first_day}"
        packages = pm.model.new_int_var(0, upper, f"packages_{name}")
        credit = column.credit_per_qg if pm.penalised else 0
        if credit and column.pantry_qg:
            missing = pm.model.new_int_var(0, most, f"missing_{name}")
            pm.model.add(missing >= used - column.pantry_qg)
        else:
            missing = used - column.pantry_qg
        pm.model.add(column.package_qg * packages >= missing)
        pm.packages[name] = packages
        costs.append(column.price_cents * packages)
        if credit:
            credits.append(credit * (column.package_qg * packages - missing))
    pm.cost_cents = sum(costs)
    if pm.penalised:
        pm.penalties[COST] = pm.cost_cents
        pm.penalties[CARRIED_OVER] = sum(credits)
    if budgeted:
        guard = pm.require(rule_set.requirement(BUDGET))
        pm.model.add(pm.cost_cents <= rule_set.budget_cents).only_enforce_if(guard.literal)


# --- search side ---------------------------------------------------------------------------------


def objective_per_use(unit_cents: np.ndarray, credit_qg: np.ndarray, package_qg: np.ndarray
                      ) -> tuple[np.ndarray, np.ndarray]:
    """Objective units per package bought (its price, less the credit for the whole package
    left over) and per grams x quarter taken from it (the credit that use gives up), as the
    model's COST and CARRIED_OVER penalties weigh them."""
    return (WEIGHTS[COST] * unit_cents + WEIGHTS[CARRIED_OVER] * credit_qg * package_qg,
            -WEIGHTS[CARRIED_OVER] * credit_qg)


def package_sums(uses, need_pairs: np.ndarray, options: int, budgeted: bool
                 ) -> tuple[np.ndarray, np.ndarray | None]:
    """Per option of a meal type (`uses`: search/meal_arrays.MealUses, with `need_pairs` the
    plan's grams in each pair's purchase column but the meal's own): what the packages its
    foods add cost the objective (price, less the credit for what is left and keeps) and,
    for a checkout budget, the money.

    Only the foods an option uses change, and what a use adds depends only on its purchase
    column and its grams, so it is worked out once per distinct (food, grams) pair (a food
    buys from one column on a day; a quarter to a third as many as uses) and summed per
    option. True division then ceil is exact: a quotient that is not whole is at least
    1/package away from a whole number, far above float rounding; every figure is a whole
    number, so the sums are exact too."""
    short = need_pairs - uses.pair_pantry  # per pair
    missing = np.maximum(short, 0)
    missing_after = np.maximum(short + uses.pairs.pair_qg, 0)
    more_packs = (np.ceil(missing_after / uses.pair_package)
                  - np.ceil(missing / uses.pair_package))
    value = more_packs * uses.per_pack + (missing_after - missing) * uses.per_missing
    money = uses.per_option(value, options)
    if not budgeted:
        return money, None
    return money, uses.per_option(more_packs * uses.unit_cents, options)


def package_cost(need_qg: np.ndarray, pantry_qg: np.ndarray, package_qg: np.ndarray,
                 unit_cents: np.ndarray) -> np.ndarray:
    """Whole packages of what the pantry does not cover, in cents, summed over the last axis
    (need_qg may carry one row per option); staples on hand have unit_cents 0."""
    missing = np.maximum(need_qg - pantry_qg, 0)
    return (np.ceil(missing / package_qg) * unit_cents).sum(axis=-1)


def carried_credit(need_qg: np.ndarray, pantry_qg: np.ndarray, package_qg: np.ndarray,
                   credit_qg: np.ndarray) -> np.ndarray:
    """The credit for what is bought and left over and keeps, over the last axis."""
    missing = np.maximum(need_qg - pantry_qg, 0)
    return ((np.ceil(missing / package_qg) * package_qg - missing) * credit_qg).sum(axis=-1)


# --- checker side --------------------------------------------------------------------------------


def edible_grams(food) -> int:
    """A package's edible grams from its weight and the grams as eaten 100 g as sold gives
    (as-sold refuse, or the cooked yield of a food bought raw): the checker's own arithmetic,
    not the catalog's package_edible_g, from the same figure."""
    return max(1, round(food.package_g * food.edible_g_per_100g_as_sold / 100))


@dataclass(frozen=True)
class Recomputed:
    """The plan's money, in cents, recomputed from household grams by day and storage times."""

    checkout: int
    eaten: float
    carried_over: float
    waste: float


def recompute(need_by_day: dict[str, dict[int, float]], pantry_g: dict[str, float], catalog,
              use_staples: bool, plan_days: int) -> Recomputed:
    """Packages per storage window from household grams, with the package's edible grams
    taken from its weight and refuse (not the model's figure), and what becomes of the rest."""
    checkout, eaten, carried, waste = 0, 0.0, 0.0, 0.0
    for food_id, by_day in need_by_day.items():
        food = catalog.foods[food_id]
        if food.staple and use_staples:
            continue
        edible = edible_grams(food)
        per_gram = food.package_price_cents / edible
        keeps = keeps_days(food)
        pantry = pantry_g.get(food_id, 0.0)
        for first, last in food_windows(keeps, plan_days):
            grams = sum(g for day, g in by_day.items() if first <= day <= last)
            missing = max(0.0, grams - pantry)
            pantry = 0.0  # the pantry serves the first window only
            packages = math.ceil(missing / edible - 1e-9)
            left = packages * edible - missing
            checkout += packages * food.package_price_cents
            eaten += grams * per_gram
            keeps_on = last == plan_days and keeps_after_plan(keeps, first, plan_days) is not None
            carried += left * per_gram if keeps_on else 0.0
            waste += 0.0 if keeps_on else left * per_gram
    return Recomputed(checkout, eaten, carried, waste)


def check(money: Recomputed, rule_set: RuleSet, reported: dict) -> list[str]:
    """The plan's reported cost figures against the recomputed ones, and a checkout budget."""
    problems = []
    for name, value in (("checkout", money.checkout), ("eaten", money.eaten),
                        ("carried_over", money.carried_over), ("waste", money.waste)):
        if name in reported and abs(value / 100 - reported[name]) > 0.0051:
            problems.append(f"cost {name} reported {fmt.money(reported[name])} but the "
                            f"packages give {fmt.money(value / 100)}")
    if abs(money.checkout / 100 - reported["total"]) > 0.005:
        problems.append(f"cost reported {fmt.money(reported['total'])} but the packages "
                        f"cost {fmt.money(money.checkout / 100)}")
    budget = rule_set.requirement(BUDGET) if rule_set.has(BUDGET) else None
    if budget is not None and budget.family == PACKAGES_FAMILY and \
            money.checkout > rule_set.budget_cents:
        problems.append(f"cost {fmt.money(money.checkout / 100)} exceeds the budget "
                        f"{fmt.money(rule_set.budget_amount)}")
    return problems
