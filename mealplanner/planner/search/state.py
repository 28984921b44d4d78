"""The state of one plan under local search: the option chosen for each meal, running sums
of every rule column, and the plan's score with every option of one meal tried at once.

Scores: every broken rule counts VIOLATION_WEIGHT per unit of its own size (a day 10% short of
its fiber target counts 0.1), far above any objective difference; the budget comes after every
other rule (BUDGET_WEIGHT); the objective is the model's (planner/objective.py).
"""

from __future__ import annotations

import numpy as np

from mealplanner.planner.families import nutrient_targets, packages, plants, variety
from mealplanner.planner.objective import (
    BUDGET_WEIGHT,
    CARRIED_OVER,
    COST,
    ENERGY_DISTANCE,
    FAVORITE_BONUS,
    FAVORITES,
    FIBER_ABOVE_STEP,
    NUTRIENTS_SHORT,
    PLANTS_SHORT,
    REPEATS,
    VIOLATION_WEIGHT,
    WEIGHTS,
    soft_penalty,
)
from mealplanner.planner.search.meal_arrays import MealFigures, MealUses, use_columns
from mealplanner.planner.search.problem import WeekProblem, signed_bounds
from mealplanner.planner.search.shortfalls import by_rule, shortfalls
from mealplanner.rules.requirements import BUDGET, PLANTS, VARIETY

SEED = 0


class WeekSearch:
    """State of one plan under local search: the chosen option per slot and running sums."""

    def __init__(self, problem: WeekProblem) -> None:
        p = self.p = problem
        self.days = sorted({d for d, _s in p.slots})
        self.day_row = {d: i for i, d in enumerate(self.days)}
        self.choice = [-1] * len(p.slots)
        self.day_total = np.zeros((len(self.days), len(p.daily_rules)))
        self.week_total = np.zeros(len(p.weekly_rules))
        self.soft_total = np.zeros(len(p.soft_low))  # the weekly nutrient targets' sums
        # household grams x quarters: per purchase column (cost), and per food (plant foods)
        self.need = np.zeros(len(p.column_food), dtype=np.int64)
        self.food_need = np.zeros(len(p.foods), dtype=np.int64)
        self.uses = np.zeros(len(p.recipes), dtype=np.int64)
        self.rng = np.random.default_rng(SEED)
        self.unit_cents = problem.unit_cents
        # each rule's shortfall as max(bound - sign * value, 0) / size (problem.signed_bounds);
        # every option's signed values per meal type, worked out once
        self.daily_sign, _bounds, self.daily_per_size = signed_bounds(p.daily_rules)
        # per day row, its signed daily bounds (a day with the person's exception has its own)
        self.day_bound = np.array([signed_bounds(p.daily_rules_on(d))[1] for d in self.days]
                                  ).reshape(len(self.days), len(p.daily_rules))
        self.weekly_sign, self.weekly_bound, self.weekly_per_size = signed_bounds(
            p.weekly_rules)
        # every bound an option may fall short of, one row each (the daily rules, the weekly
        # rules, then the weekly nutrient targets) with its least value over the options, and
        # what a unit short weighs: a broken rule (violation) or a target short (objective)
        self.bounds = {m: by_rule(np.hstack([o.daily * self.daily_sign,
                                              o.weekly * self.weekly_sign, o.soft]))
                       for m, o in p.options.items()}
        rules = len(self.daily_sign) + len(self.weekly_sign)
        self.violation_per_short = np.concatenate(
            [self.daily_per_size, self.weekly_per_size, np.zeros(len(p.soft_low))])
        self.objective_per_short = np.concatenate(
            [np.zeros(rules), WEIGHTS[NUTRIENTS_SHORT] * p.soft_per_unit])
        self.evaluations = 0
        # slots of the same day, and the same slot on the neighbouring days (variety rules)
        self.clashing = variety.clashing_slots(p.slots, p.rule_set.variety)
        self.same_day = [{j for j, (d, _m) in enumerate(p.slots) if d == day and j != i}
                         for i, (day, _meal) in enumerate(p.slots)]
        rules = p.rule_set
        self.budget_cents = p.budget_cents  # on the checkout only
        self.plants_target, self.plants_hard = rules.plants_target, rules.plants_hard
        self.max_repeats = rules.variety.max_repeats
        self.energy_target = rules.energy_target
        # caps with a comfortable level: (daily column, level, penalty weight)
        self.soft_caps = [(i, r.soft_high, WEIGHTS[soft_penalty(r.key)])
                          for i, r in enumerate(p.daily_rules) if r.soft_high is not None]
        self.figures = {m: MealFigures.of(o, p.energy_column, [c for c, _l, _w in self.soft_caps])
                        for m, o in p.options.items()}
        # the plan's cost and plant count as they stand (assign keeps them)
        self.cost_now, self.plants_now = 0.0, 0

    # --- the pieces of the score -------------------------------------------------------------

    def _cost(self, need: np.ndarray) -> np.ndarray:
        """Whole packages of what the pantry does not cover, in cents (staples excluded)."""
        return packages.package_cost(need, self.p.pantry_qg, self.p.package_qg,
                                     self.unit_cents)

    def _credit(self, need: np.ndarray) -> np.ndarray:
        return packages.carried_credit(need, self.p.pantry_qg, self.p.package_qg,
                                       self.p.credit_qg)

    def _plants(self, need: np.ndarray) -> np.ndarray:
        return plants.plant_count(need, self.p.plant)

    def _uses(self, day: int, meal: str) -> MealUses:
        """A meal type's uses and package columns on a day (meal_arrays.use_columns), once."""
        return use_columns(self.p, day, meal)

    def _without(self, opts, current: int, columns: np.ndarray, with_cost: bool):
        """(cost, plants) of the plan without the slot's current option, from the running
        totals and the current option's own uses only (exact: whole numbers); the cost only
        when a checkout budget needs it (otherwise it is the same for every option)."""
        p = self.p
        start, end = opts.use_start[current], opts.use_start[current + 1]
        foods, qg = opts.use_food[start:end], opts.use_qg[start:end]
        cost = self.cost_now
        if with_cost:
            cols = columns[foods]
            pantry, package = p.pantry_qg[cols], p.package_qg[cols]
            packs_now = np.ceil(np.maximum(self.need[cols] - pantry, 0) / package)
            packs_base = np.ceil(np.maximum(self.need[cols] - qg - pantry, 0) / package)
            cost -= float(((packs_now - packs_base) * self.unit_cents[cols]).sum())
        lost = (self.food_need[foods] == qg) & p.plant[foods]  # used by this option alone
        return cost, self.plants_now - int(lost.sum())

    def slot_scores(self, slot: int, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(violation, objective) of the whole plan with `slot` set to each option in rows;
        parts that do not depend on this slot are left out (equal for every option).
        Everything is worked out for every option of the meal type (whole arrays, no
        gathering), then the allowed rows are picked. One function on purpose: it is the
        search's inner loop, and every piece works on the same arrays in one pass. The plan
        without the slot's meal is read only where an option needs it: its day and week sums,
        its grams in the purchase columns the meal type buys from, and its uses per dish."""
        p = self.p
        day, meal = p.slots[slot]
        opts, figures = p.options[meal], self.figures[meal]
        current = self.choice[slot]
        self.evaluations += len(rows)
        uses = self._uses(day, meal)
        day_base, week_base, soft_base = (self.day_total[self.day_row[day]], self.week_total,
                                          self.soft_total)
        need_pairs = self.need[uses.pair_column]
        food_base = self.food_need
        dish_uses = self.uses
        if current >= 0:
            own = opts.food[current]
            day_base = day_base - opts.daily[current]
            week_base = week_base - opts.weekly[current]
            soft_base = soft_base - opts.soft[current]
            need_pairs = need_pairs - own[uses.pairs.pair_food]
            food_base = food_base - own
            dish_uses = dish_uses.copy()
            dish_uses[opts.recipe[current]] -= 1
        n = len(opts.keys)
        room = np.concatenate([  # what the meal must bring, per bound
            self.day_bound[self.day_row[day]] - day_base * self.daily_sign,
            self.weekly_bound - week_base * self.weekly_sign, p.soft_low - soft_base])
        violation, nutrients_short = shortfalls(room, self.bounds[meal],
                                                 self.violation_per_short,
                                                 self.objective_per_short, n)
        day_energy = day_base[p.energy_column] + figures.energy
        # packages and plant foods: only the foods an option uses change, so work on those
        # (the cost and credit of packages this option does not touch are the same for every
        # option: left out, unless a checkout budget needs the plan's whole cost)
        budgeted = self.budget_cents is not None
        if current >= 0:
            cost_base, plants_base = self._without(opts, current, p.day_columns[day - 1],
                                                   budgeted)
        else:
            cost_base, plants_base = self.cost_now, self.plants_now
        objective, cost = packages.package_sums(uses, need_pairs, n, budgeted)
        plants = plants_base + np.bincount(  # plant foods the plan does not have yet
            opts.plant_use_option, (food_base == 0)[opts.plant_use_food], minlength=n)
        shortfall = np.maximum(self.plants_target - plants, 0)
        if self.plants_hard:
            violation += shortfall / max(1, self.plants_target)
        # repeats and clashes per dish, then per option: one more use of its dish
        after = dish_uses + 1
        violation += np.maximum(after - self.max_repeats, 0)[opts.recipe]
        others = [p.options[p.slots[j][1]].recipe[self.choice[j]]
                  for j in self.clashing[slot] if self.choice[j] >= 0]
        if others:  # the same dish in a clashing meal (same day, or the next/previous day)
            violation += np.bincount(others, minlength=len(p.recipes))[opts.recipe]
        w = WEIGHTS
        if budgeted:
            objective = objective + BUDGET_WEIGHT * np.maximum(
                cost_base + cost - self.budget_cents, 0)
        objective += w[ENERGY_DISTANCE] * np.abs(day_energy - self.energy_target)
        if not self.plants_hard:
            objective += w[PLANTS_SHORT] * shortfall
        objective += (w[REPEATS] * (after >= 2))[opts.recipe]  # one more repeat
        objective -= figures.favourite_bonus
        for (column, level, weight), cap in zip(self.soft_caps, figures.capped, strict=True):
            objective += weight * np.maximum(day_base[column] + cap - level, 0)
        objective += nutrients_short
        if len(rows) == n:  # every option allowed: rows is 0..n-1
            return violation, objective
        return violation[rows], objective[rows]

    def assign(self, slot: int, option: int) -> None:
        """Put `option` in `slot`, keeping every running sum up to date."""
        p = self.p
        day, meal = p.slots[slot]
        opts = p.options[meal]
        row = self.day_row[day]
        current = self.choice[slot]
        columns = p.day_columns[day - 1]
        if current >= 0:
            self.day_total[row] -= opts.daily[current]
            self.week_total -= opts.weekly[current]
            self.soft_total -= opts.soft[current]
            self.need[columns] -= opts.food[current]
            self.food_need -= opts.food[current]
            self.uses[opts.recipe[current]] -= 1
        self.day_total[row] += opts.daily[option]
        self.week_total += opts.weekly[option]
        self.soft_total += opts.soft[option]
        self.need[columns] += opts.food[option]
        self.food_need += opts.food[option]
        self.uses[opts.recipe[option]] += 1
        self.choice[slot] = option
        self.cost_now = float(self._cost(self.need))
        self.plants_now = int(self._plants(self.food_need))

    def restore(self, choice: list[int]) -> None:
        for slot, option in enumerate(choice):
            if self.choice[slot] != option:
                self.assign(slot, option)

    def total(self) -> tuple[float, float, list[str]]:
        """(violation, objective, broken requirement keys) of the whole plan."""
        p = self.p
        violation, broken = 0.0, set()
        daily = np.maximum(self.day_bound - self.day_total * self.daily_sign, 0) \
            * self.daily_per_size
        weekly = np.maximum(self.weekly_bound - self.week_total * self.weekly_sign, 0) \
            * self.weekly_per_size
        for i, rule in enumerate(p.daily_rules):
            if daily[:, i].sum() > 0:
                broken.add(rule.key)
        for i, rule in enumerate(p.weekly_rules):
            if weekly[i] > 0:
                broken.add(rule.key)
        violation += daily.sum() + weekly.sum()
        cost = float(self._cost(self.need))
        if self.budget_cents is not None and cost > self.budget_cents:
            broken.add(BUDGET)
        plants = int(self._plants(self.food_need))
        shortfall = max(0, self.plants_target - plants)
        if self.plants_hard and shortfall:
            violation += shortfall / max(1, self.plants_target)
            broken.add(PLANTS)
        recipes = [p.options[s].recipe[c] for (_d, s), c in zip(p.slots, self.choice,
                                                               strict=True)]
        clashes = int(np.maximum(self.uses - self.max_repeats, 0).sum())
        for slot, recipe in enumerate(recipes):
            clashes += sum(recipes[j] == recipe for j in self.clashing[slot] if j > slot)
        if clashes:
            violation += clashes
            broken.add(VARIETY)
        amounts = self.penalty_amounts(cost, shortfall)
        objective = sum(WEIGHTS[name] * amounts[name] for name in WEIGHTS if name in amounts)
        objective -= FAVORITE_BONUS * amounts[FAVORITES]
        return violation, objective, sorted(broken)

    def penalty_amounts(self, cost: float, plants_short: int) -> dict[str, float]:
        """What each penalty of the objective amounts to for the plan as it stands."""
        p = self.p
        amounts = {
            COST: cost,
            CARRIED_OVER: float(self._credit(self.need)),
            ENERGY_DISTANCE: float(np.abs(self.day_total[:, p.energy_column]
                                          - self.energy_target).sum()),
            REPEATS: float(np.maximum(self.uses - 1, 0).sum()),
            FAVORITES: float(sum(bool(p.options[s].favorite[c])
                                 for (_d, s), c in zip(p.slots, self.choice, strict=True))),
        }
        if not self.plants_hard:
            amounts[PLANTS_SHORT] = plants_short
        for column, level, _weight in self.soft_caps:
            amounts[FIBER_ABOVE_STEP] = float(
                np.maximum(self.day_total[:, column] - level, 0).sum())
        if len(p.soft_low):
            amounts[NUTRIENTS_SHORT] = float(nutrient_targets.shortfall_cost(
                self.soft_total, p.soft_low, p.soft_per_unit))
        return amounts

    def score(self) -> float:
        violation, objective, _broken = self.total()
        return VIOLATION_WEIGHT * violation + objective + BUDGET_WEIGHT * self.over_budget()

    def over_budget(self) -> float:
        if self.budget_cents is None:
            return 0.0
        return max(0.0, float(self._cost(self.need)) - self.budget_cents)
