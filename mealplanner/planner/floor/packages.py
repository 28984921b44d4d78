"""Whole packages in the relaxation, per food and storage window as the model buys them
(families/packages.purchase_columns): what must be bought covers what the meals need, beyond
the pantry; staples on hand cost nothing and get no rows.

Three covers, each met by the plan's whole packages:
- the window's packages x package size >= the household's need in the window - the pantry;
- per meal: at least the packages any one choice needs on its own, rounded up (a share of 0.3
  of a dish needing 1.2 packages asks for 0.3 x 2 packages, not 0.36);
- per dish served at all: the packages of each food its smallest portion needs, rounded up.
When a group of days straddles a food's storage windows (a locked meal splits the week), the
food's windows are counted together: all its packages cover all its need, and each meal's
covers add up over the windows, at least one window in every `span` days.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mealplanner.planner.floor.choices import Week
from mealplanner.planner.floor.lp import INF, SparseLP
from mealplanner.planner.objective import CARRIED_OVER, COST, WEIGHTS
from mealplanner.rules.requirements import BUDGET


@dataclass(frozen=True)
class Holders:
    """What packages are counted in: one per purchase column, or one per food for a food
    whose windows a group of days straddles. Arrays per holder; `of_group[g][food]` is the
    holder a meal in group g buys the food in (-1: a staple on hand)."""

    food: np.ndarray
    price: np.ndarray
    package: np.ndarray
    pantry: np.ndarray
    credit: np.ndarray  # objective units per grams x quarter left over that keeps
    exact: np.ndarray  # one window, whose days hold every group that buys in it
    span: np.ndarray  # the longest window counted
    of_group: list[np.ndarray]


def holders(week: Week) -> Holders:
    problem = week.problem
    table = problem.day_columns  # [day - 1, food] -> column
    foods = len(problem.foods)
    starts = [np.asarray(days) - 1 for days in week.groups]
    straddled = np.zeros(foods, dtype=bool)
    for rows in starts:
        straddled |= table[rows].min(axis=0) != table[rows].max(axis=0)
    columns = np.arange(len(problem.column_food))
    span = np.bincount(table.ravel(), minlength=len(columns))  # days per column
    own = ~straddled[problem.column_food]
    whole = np.flatnonzero(straddled)
    first = [int(np.flatnonzero(problem.column_food == f)[0]) for f in whole]
    most = [int(span[problem.column_food == f].max()) for f in whole]
    credit = [int(problem.credit_qg[problem.column_food == f].max()) for f in whole]
    index = np.full(len(columns), -1)
    index[own] = np.arange(own.sum())
    food_index = np.full(foods, -1)
    food_index[whole] = own.sum() + np.arange(len(whole))
    of_group = []
    for rows in starts:
        held = np.where(straddled, food_index, index[table[rows[0]]])
        of_group.append(np.where(problem.unit_cents[table[rows[0]]] > 0, held, -1))
    return Holders(
        food=np.concatenate([problem.column_food[own], whole]),
        price=np.concatenate([problem.unit_cents[own], problem.unit_cents[first]]),
        package=np.concatenate([problem.package_qg[own], problem.package_qg[first]]),
        pantry=np.concatenate([problem.pantry_qg[own], problem.pantry_qg[first]]),
        credit=np.concatenate([problem.credit_qg[own], np.array(credit, dtype=np.int64)]),
        exact=np.concatenate([np.ones(own.sum(), dtype=bool), np.zeros(len(whole), bool)]),
        span=np.concatenate([span[own], np.array(most, dtype=np.int64)]),
        of_group=of_group,
    )


@dataclass(frozen=True)
class Uses:
    """Every (share column, food bought) with the household's need at the column's portion,
    its holder, and the whole packages one such choice needs on its own: the dish's line
    below ceil((need - pantry) / package) at every portion allowed (portions.py)."""

    share: np.ndarray  # index into week.shares
    column: np.ndarray
    food: np.ndarray
    qg: np.ndarray
    holder: np.ndarray
    recipe: np.ndarray
    cover: np.ndarray


def uses(week: Week, held: Holders) -> Uses:
    parts = []
    for s, share in enumerate(week.shares):
        holder = held.of_group[share.group]
        options = week.problem.options[share.meal].food[share.segments.options]
        foods = np.flatnonzero(options.any(axis=0) & (holder >= 0))
        options = options[:, foods]
        h = holder[foods]
        cover = share.segments.line(ceil_packages(options, held.pantry[h], held.package[h]),
                                    False)
        need = options[share.segments.ends]
        column, j = np.nonzero(need)
        parts.append((np.full(len(column), s), share.columns[column], foods[j],
                      need[column, j], h[j], share.recipe[column], cover[column, j]))
    return Uses(*(np.concatenate([p[i] for p in parts]) for i in range(7)))


def add_packages(lp: SparseLP, week: Week) -> None:
    """Packages per holder, their cost, the credit for leftovers that keep, the covers, and a
    checkout budget (one row, left out of the cost floor)."""
    held = holders(week)
    used = uses(week, held)
    bought = np.unique(used.holder)
    packs = np.full(len(held.food), -1)
    packs[bought] = lp.add_columns(len(bought))
    price, package, credit = held.price[bought], held.package[bought], held.credit[bought]
    lp.add_objective("cost", packs[bought], price)
    lp.add_objective("objective", packs[bought],
                     WEIGHTS[COST] * price + WEIGHTS[CARRIED_OVER] * credit * package)
    days = np.array([week.days_in(s) for s in week.shares])[used.share]
    _cover_need(lp, held, used, bought, packs, days)
    _cover_each_choice(lp, week, held, used, packs, days)
    _cover_each_dish(lp, week, held, used, packs)
    budget = week.problem.budget_cents
    if budget is not None:
        row = lp.add_rows(1, -INF, budget)
        lp.add_terms(np.repeat(row, len(bought)), packs[bought], price)
        week.budget_rows.append(int(row[0]))
        week.tag(BUDGET, row)


def _cover_need(lp, held: Holders, used: Uses, bought, packs, days) -> None:
    """package x packs >= need - pantry; with the model's credit for what is left over
    (credit x (package x packs - missing)), missing >= need - pantry, missing >= 0 where the
    model has a pantry and a credit, else missing = need - pantry. A food counted over its
    windows together gets the credit of whole packages (at most what the plan gets)."""
    rows = np.full(len(held.food), -1)
    rows[bought] = lp.add_rows(len(bought), -held.pantry[bought], INF)
    lp.add_terms(rows[used.holder], used.column, -days * used.qg)
    missing = bought[held.exact[bought] & (held.credit[bought] > 0)
                     & (held.pantry[bought] > 0)]
    plain = np.setdiff1d(bought, missing)
    lp.add_terms(rows[plain], packs[plain], held.package[plain])
    gap = lp.add_columns(len(missing))  # missing, a column of its own
    lp.add_terms(rows[missing], gap, 1.0)
    lp.add_objective("objective", gap, -WEIGHTS[CARRIED_OVER] * held.credit[missing])
    within = lp.add_rows(len(missing), 0.0, INF)  # package x packs - missing >= 0
    lp.add_terms(np.tile(within, 2), np.concatenate([packs[missing], gap]),
                 np.concatenate([held.package[missing], -np.ones(len(missing))]))
    # missing = need - pantry: the credit's - missing is + need (the pantry is 0 here)
    direct = held.exact & (held.credit > 0) & (held.pantry == 0)
    pick = direct[used.holder]
    lp.add_objective("objective", used.column[pick],
                     -WEIGHTS[CARRIED_OVER] * held.credit[used.holder[pick]] * days[pick]
                     * used.qg[pick])


def _cover_each_choice(lp, week: Week, held: Holders, used: Uses, packs, days) -> None:
    """packs >= sum over a meal's options of ceil((need - pantry) / package) x share; for a
    food counted over its windows, the meal's groups add up, days / span of a window each."""
    whole = used.cover
    exact = held.exact[used.holder]
    weight = np.where(exact, whole, whole * days / held.span[used.holder])
    group = np.array([s.group for s in week.shares])[used.share]
    meal = np.array([week.problem.request.meals.index(s.meal) for s in week.shares])[used.share]
    key = np.where(exact, group, -1) * len(week.problem.request.meals) + meal
    pick = weight != 0
    pairs = np.stack([used.holder[pick], key[pick]])
    unique, place = np.unique(pairs, axis=1, return_inverse=True)
    rows = lp.add_rows(unique.shape[1], 0.0, INF)
    lp.add_terms(rows, packs[unique[0]], 1.0)
    lp.add_terms(rows[place.ravel()], used.column[pick], -weight[pick])


def _cover_each_dish(lp, week: Week, held: Holders, used: Uses, packs) -> None:
    """sum of a food's packs >= ceil((least need of the dish - pantry) / package) x served,
    with the largest pantry of the food (its first window's)."""
    foods = len(week.problem.foods)
    key = used.recipe * foods + used.food
    order = np.lexsort((used.qg, key))
    key, first = np.unique(key[order], return_index=True)
    least = used.qg[order][first]
    dish, food = key // foods, key % foods
    pantry = np.zeros(foods, dtype=np.int64)
    np.maximum.at(pantry, held.food, held.pantry)
    package = np.zeros(foods, dtype=np.int64)
    package[held.food] = held.package
    need = ceil_packages(least, pantry[food], package[food])
    pick = need > 0
    dish, food, need = dish[pick], food[pick], need[pick]
    rows = lp.add_rows(len(dish), 0.0, INF)
    lp.add_terms(rows, week.served[dish], -need)
    bought = np.unique(used.holder)
    for f in np.unique(food).tolist():
        mine = rows[food == f]
        for column in packs[bought[held.food[bought] == f]].tolist():
            lp.add_terms(mine, np.full(len(mine), column), 1.0)


def ceil_packages(need_qg, pantry_qg, package_qg) -> np.ndarray:
    """Whole packages of what the pantry does not cover (exact in floats: integers)."""
    return np.ceil(np.maximum(need_qg - pantry_qg, 0) / package_qg)
