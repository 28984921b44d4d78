"""The week's plan in well under a second: local search over one (dish, portion) per meal,
scored on the same rules and objective as the CP-SAT model.

Why: CP-SAT needs seconds to find any plan from scratch on the weekly model (many daily sums
must land in narrow windows at once) and improves slowly from there, because the cost counts
whole packages: a package is only saved once the last meal using it changes. Here a move that
changes one meal is scored for every alternative dish and portion at once with whole-array
arithmetic, and three kinds of perturbation (re-draw a few meals, stop buying one food, serve a
favourite) followed by descent explore the rest (iterated local search with threshold
accepting). CP-SAT then confirms the plan against the model and optimises a neighbourhood of it
(solve.polish); when the search cannot meet some rule, what it misses tells the explanation
where to look. Deterministic: fixed seed, fixed amounts of work, no clocks.

Scores: every broken rule counts VIOLATION_WEIGHT per unit of its own size (a day 10% short of
its fiber target counts 0.1), far above any objective difference; the budget comes after every
other rule (BUDGET_WEIGHT); the objective is the model's (solve.WEIGHTS): cost in whole
packages, distance from the energy target, plant foods short of the target, repeats,
favourites.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from mealplanner.catalog.store import Catalog
from mealplanner.planner.budget import COST_PENALTY, plan_budget
from mealplanner.planner.candidates import Candidates
from mealplanner.planner.nutrition import ENERGY_PENALTY
from mealplanner.planner.pattern import active_rules, group_amount, rule_scale
from mealplanner.planner.plants import PLANTS_PENALTY
from mealplanner.planner.request import LockedMeal, PlanRequest
from mealplanner.planner.targets import ResolvedTargets
from mealplanner.planner.units import (
    CENTI_SERVINGS,
    DECIGRAMS_PER_G,
    QUARTERS_PER_PORTION,
    cents,
    quarters,
)
from mealplanner.planner.variety import REPEAT_PENALTY

VIOLATION_WEIGHT = 1e12
# The budget comes last: a plan meeting every other rule is always preferred, so that when the
# budget cannot be met the search ends on the cheapest plan meeting everything else (the number
# the explanation gives). Per cent over budget: 100x the cost weight, far below any other rule.
BUDGET_WEIGHT = 10_000
SEED = 0
KICKS = 60  # perturbation rounds after the first local optimum (a fixed amount of work)
KICK_SLOTS = 3  # meals re-drawn at random in one perturbation
EXTRA_KICKS = 120  # more rounds while the best plan still misses a rule (borderline budgets)
# A round may end on a plan up to 1% worse than the one it started from (falling to 0 by the
# last round), so the search can cross ridges; measured on the bench profiles: plans ~1%
# cheaper than accepting improvements only, for the same work.
ACCEPT_WORSE = 0.01

Meal = tuple[int, str, str, int]  # day, slot, recipe id, quarters


@dataclass
class Rule:
    """One linear rule on a sum of option figures: key names the model's requirement."""

    key: str
    low: float = -math.inf
    high: float = math.inf
    size: float = 1.0  # what one unit of violation means (the bound's own magnitude)
    unit: str = ""  # how a person reads the amount: value / per_unit, in `unit`
    per_unit: float = 1.0


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
    energy: np.ndarray  # (n,) kcal per person
    favorite: np.ndarray  # (n,) bool
    index: dict[tuple[str, int], int] = field(default_factory=dict)
    # per use, the food's pantry, package size, package price (0 for staples) and plant flag
    use_pantry: np.ndarray = field(default_factory=lambda: np.zeros(0))
    use_package: np.ndarray = field(default_factory=lambda: np.zeros(0))
    use_unit_cents: np.ndarray = field(default_factory=lambda: np.zeros(0))
    use_plant: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))


@dataclass
class WeekProblem:
    request: PlanRequest
    slots: list[tuple[int, str]]
    allowed: list[np.ndarray]  # per slot: option indices it may take
    options: dict[str, MealOptions]
    recipes: list[str]
    daily_rules: list[Rule]
    weekly_rules: list[Rule]
    foods: list[str]
    price_cents: np.ndarray
    package_qg: np.ndarray
    pantry_qg: np.ndarray
    bought: np.ndarray  # bool: not a staple on hand
    plant: np.ndarray  # bool
    energy_target: int
    budget_cents: int | None
    plants_target: int
    plants_hard: bool
    weights: dict[str, int]
    favorite_bonus: int

    def unit_cents(self) -> np.ndarray:
        """Price of one package per food; staples on hand cost nothing."""
        return self.price_cents * self.bought

    def free_options(self) -> int:
        """(dish, portion) choices over the meals that are not fixed."""
        return sum(len(rows) for rows in self.allowed if len(rows) > 1)


def build_problem(
    request: PlanRequest,
    catalog: Catalog,
    candidates: Candidates,
    targets: ResolvedTargets,
    weights: dict[str, int],
    favorite_bonus: int,
    locked: list[LockedMeal] = (),
    forbidden: list[tuple[int, str, str]] = (),
) -> WeekProblem:
    """The request as arrays, with exactly the rules nutrition.py, pattern.py, variety.py,
    plants.py and budget.py put in the model."""
    t = targets
    permille = round(t.saturated_fat_max_share.value * 1000)
    daily_rules = [
        Rule("energy", low=math.ceil(t.energy_low), size=t.energy.value, unit="kcal"),
        Rule("energy", high=math.floor(t.energy_high), size=t.energy.value, unit="kcal"),
        Rule("fiber", low=math.ceil(t.fiber_g.value * DECIGRAMS_PER_G), unit="g fiber",
             per_unit=DECIGRAMS_PER_G),
        Rule("prebiotic", low=math.ceil(t.prebiotic_g.value * DECIGRAMS_PER_G),
             unit="g prebiotic fibre", per_unit=DECIGRAMS_PER_G),
        Rule("prebiotic_tolerance", high=round(t.prebiotic_max_g.value * DECIGRAMS_PER_G),
             unit="g prebiotic fibre", per_unit=DECIGRAMS_PER_G),
        Rule("fermented",
             low=math.ceil(t.fermented_servings.value * CENTI_SERVINGS - 1e-9),
             unit="live-culture servings", per_unit=CENTI_SERVINGS),
        Rule("sodium", high=math.floor(t.sodium_max_mg.value), unit="mg sodium"),
        Rule("saturated_fat", high=0, size=permille * t.energy.value),
    ]
    daily_columns = [
        lambda f: f.energy_kcal, lambda f: f.energy_kcal_high, lambda f: f.fiber_dg,
        lambda f: f.prebiotic_dg, lambda f: f.prebiotic_dg_high, lambda f: f.fermented_cs,
        lambda f: f.sodium_mg, lambda f: 900 * f.saturated_fat_dg - permille * f.energy_kcal,
    ]
    weekly_rules, weekly_columns = [], []
    for rule in active_rules(request, catalog, candidates):
        if rule.kind == "min_share":
            share = round(rule.share * 1000)
            weekly_rules.append(Rule(f"med:{rule.id}", low=0, size=share * 400))
            weekly_columns.append(
                lambda f, r=rule, s=share: 1000 * group_amount(r.groups, f)
                - s * group_amount(r.of, f)
            )
            continue
        bound = rule.servings * rule.serving_g * rule_scale(targets, request, rule)
        bound_qg = bound * QUARTERS_PER_PORTION
        made = Rule(f"med:{rule.id}", size=max(1.0, bound_qg),
                    unit=f"servings of {rule.label.lower()}",
                    per_unit=rule.serving_g * QUARTERS_PER_PORTION)
        if rule.is_minimum:
            made.low = math.ceil(bound_qg)
        else:
            made.high = math.floor(bound_qg)
        rules, columns = (daily_rules, daily_columns) if rule.per_day else (
            weekly_rules, weekly_columns)
        rules.append(made)
        columns.append(lambda f, r=rule: group_amount(r.groups, f))
    for rule in daily_rules + weekly_rules:
        bound = rule.low if rule.low != -math.inf else rule.high
        if rule.size == 1.0:
            rule.size = max(1.0, abs(bound))

    recipes = sorted(candidates.recipe_ids())
    recipe_index = {rid: i for i, rid in enumerate(recipes)}
    foods = sorted({f for fig in candidates.figures.values() for f in fig.food_qg})
    food_index = {f: i for i, f in enumerate(foods)}
    people = request.people
    options = {}
    for slot in request.meals:
        keys = [(rid, q) for rid in candidates.by_slot.get(slot, [])
                for q in candidates.portion_quarters]
        figs = [candidates.figures[k] for k in keys]
        food = np.zeros((len(keys), len(foods)), dtype=np.int64)
        for row, fig in enumerate(figs):
            for food_id, qg in fig.food_qg.items():
                food[row, food_index[food_id]] += qg * people
        use_option, use_food = np.nonzero(food)
        options[slot] = MealOptions(
            keys=keys,
            use_option=use_option, use_food=use_food, use_qg=food[use_option, use_food],
            recipe=np.array([recipe_index[rid] for rid, _q in keys], dtype=np.int64),
            daily=np.array([[c(f) for c in daily_columns] for f in figs], dtype=np.float64)
            .reshape(len(keys), len(daily_columns)),
            weekly=np.array([[c(f) for c in weekly_columns] for f in figs], dtype=np.float64)
            .reshape(len(keys), len(weekly_columns)),
            food=food,
            energy=np.array([f.energy_kcal for f in figs], dtype=np.float64),
            favorite=np.array([rid in candidates.favorites for rid, _q in keys], dtype=bool),
            index={k: i for i, k in enumerate(keys)},
        )

    locks = {(m.day, m.slot): (m.recipe_id, quarters(m.portion)) for m in locked}
    banned = set(forbidden)
    slots, allowed = [], []
    for meal in request.slots:
        opts = options[meal.slot]
        lock = locks.get((meal.day, meal.slot))
        rows = [i for i, (rid, q) in enumerate(opts.keys)
                if (meal.day, meal.slot, rid) not in banned
                and (lock is None or lock == (rid, q))]
        slots.append((meal.day, meal.slot))
        allowed.append(np.array(rows, dtype=np.int64))

    catalog_foods = [catalog.foods[f] for f in foods]
    plant_groups = catalog.rules.plant_groups
    problem = WeekProblem(
        request=request, slots=slots, allowed=allowed, options=options, recipes=recipes,
        daily_rules=daily_rules, weekly_rules=weekly_rules, foods=foods,
        price_cents=np.array([f.package_price_cents for f in catalog_foods], dtype=np.int64),
        package_qg=np.array([f.package_edible_g * QUARTERS_PER_PORTION for f in catalog_foods],
                            dtype=np.int64),
        pantry_qg=np.array([candidates.pantry_g.get(f, 0) * QUARTERS_PER_PORTION
                            for f in foods], dtype=np.int64),
        bought=np.array([not (f.staple and request.use_staples) for f in catalog_foods],
                        dtype=bool),
        plant=np.array([bool(plant_groups & set(f.groups)) for f in catalog_foods], dtype=bool),
        energy_target=round(t.energy.value),
        budget_cents=cents(plan_budget(request)) if request.budget is not None else None,
        plants_target=round(t.plants.value),
        plants_hard=t.plants_hard,
        weights=weights,
        favorite_bonus=favorite_bonus,
    )
    unit_cents = problem.unit_cents()
    for opts in options.values():
        opts.use_pantry = problem.pantry_qg[opts.use_food]
        opts.use_package = problem.package_qg[opts.use_food]
        opts.use_unit_cents = unit_cents[opts.use_food]
        opts.use_plant = problem.plant[opts.use_food]
    return problem


def _signed(rules: list[Rule]) -> tuple[np.ndarray, np.ndarray]:
    """Each rule has one bound: shortfall = max(b - value * a, 0) in units of its size."""
    a = np.array([(1 if r.low != -math.inf else -1) / r.size for r in rules], dtype=np.float64)
    bound = np.array([r.low if r.low != -math.inf else r.high for r in rules], dtype=np.float64)
    return a, bound * a


@dataclass
class SearchResult:
    meals: list[Meal]
    broken: list[str]  # requirement keys the plan misses ([] = meets every rule)
    objective: float
    cost_cents: int
    evaluations: int
    # per slot: option indices ranked best first at the final plan (neighbourhoods for CP-SAT)
    ranking: list[np.ndarray]


class WeekSearch:
    """State of one plan under local search: the chosen option per slot and running sums."""

    def __init__(self, problem: WeekProblem) -> None:
        p = self.p = problem
        self.days = sorted({d for d, _s in p.slots})
        self.day_row = {d: i for i, d in enumerate(self.days)}
        self.choice = [-1] * len(p.slots)
        self.day_total = np.zeros((len(self.days), len(p.daily_rules)))
        self.week_total = np.zeros(len(p.weekly_rules))
        self.need = np.zeros(len(p.foods), dtype=np.int64)
        self.uses = np.zeros(len(p.recipes), dtype=np.int64)
        self.rng = np.random.default_rng(SEED)
        self.unit_cents = problem.unit_cents()
        # each rule as max(b - value * a, 0): a minimum (a = 1/size) or a maximum (a = -1/size)
        self.daily_a, self.daily_b = _signed(problem.daily_rules)
        self.weekly_a, self.weekly_b = _signed(problem.weekly_rules)
        self.evaluations = 0
        # slots of the same day, and the same slot on the neighbouring days (variety rules)
        self.same_day = {i: [j for j, (d2, _s) in enumerate(p.slots) if d2 == d and j != i]
                         for i, (d, _s) in enumerate(p.slots)}
        by_key = {key: i for i, key in enumerate(p.slots)}
        self.neighbours = {
            i: [by_key[d + k, s] for k in (-1, 1) if (d + k, s) in by_key]
            if s in ("lunch", "dinner") else []
            for i, (d, s) in enumerate(p.slots)
        }

    # --- the pieces of the score -------------------------------------------------------------

    def _cost(self, need: np.ndarray) -> np.ndarray:
        """Whole packages of what the pantry does not cover, in cents (staples excluded)."""
        p = self.p
        missing = np.maximum(need - p.pantry_qg, 0)
        return (np.ceil(missing / p.package_qg) * self.unit_cents).sum(axis=-1)

    def _plants(self, need: np.ndarray) -> np.ndarray:
        return ((need > 0) & self.p.plant).sum(axis=-1)

    def _slot_scores(self, slot: int, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(violation, objective) of the whole plan with `slot` set to each option in rows;
        parts that do not depend on this slot are left out (equal for every option).
        Everything is worked out for every option of the meal type (whole arrays, no
        gathering), then the allowed rows are picked."""
        p = self.p
        day, meal = p.slots[slot]
        opts = p.options[meal]
        current = self.choice[slot]
        self.evaluations += len(rows)
        day_base = self.day_total[self.day_row[day]]
        week_base = self.week_total
        need_base = self.need
        uses_base = self.uses
        if current >= 0:
            day_base = day_base - opts.daily[current]
            week_base = week_base - opts.weekly[current]
            need_base = need_base - opts.food[current]
            uses_base = uses_base.copy()
            uses_base[opts.recipe[current]] -= 1
        day_values = day_base + opts.daily
        violation = np.maximum(self.daily_b - day_values * self.daily_a, 0).sum(axis=1)
        if len(self.weekly_a):
            violation += np.maximum(
                self.weekly_b - (week_base + opts.weekly) * self.weekly_a, 0).sum(axis=1)
        # packages and plant foods: only the foods an option uses change, so work on those;
        # true division then ceil is exact: a quotient that is not whole is at least
        # 1/package away from a whole number, far above float rounding
        before = need_base[opts.use_food]
        after = before + opts.use_qg
        extra = (np.ceil(np.maximum(after - opts.use_pantry, 0) / opts.use_package)
                 - np.ceil(np.maximum(before - opts.use_pantry, 0) / opts.use_package)
                 ) * opts.use_unit_cents
        n = len(opts.keys)
        cost = self._cost(need_base) + np.bincount(opts.use_option, extra, minlength=n)
        plants = int(self._plants(need_base)) + np.bincount(
            opts.use_option, (before == 0) & opts.use_plant, minlength=n)
        over_budget = 0
        if p.budget_cents is not None:
            over_budget = np.maximum(cost - p.budget_cents, 0)
        shortfall = np.maximum(p.plants_target - plants, 0)
        if p.plants_hard:
            violation += shortfall / max(1, p.plants_target)
        recipe = opts.recipe
        uses = uses_base[recipe] + 1
        violation += np.maximum(uses - p.request.max_repeats, 0)
        for j in self.same_day[slot] + self.neighbours[slot]:
            if self.choice[j] >= 0:
                violation += recipe == p.options[p.slots[j][1]].recipe[self.choice[j]]
        w = p.weights
        objective = (
            w[COST_PENALTY] * cost + BUDGET_WEIGHT * over_budget
            + w[ENERGY_PENALTY] * np.abs(day_values[:, 0] - p.energy_target)
            + w[PLANTS_PENALTY] * (0 if p.plants_hard else shortfall)
            + w[REPEAT_PENALTY] * (uses >= 2)  # one more repeat than without this meal
            - p.favorite_bonus * opts.favorite
        )
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
        if current >= 0:
            self.day_total[row] -= opts.daily[current]
            self.week_total -= opts.weekly[current]
            self.need -= opts.food[current]
            self.uses[opts.recipe[current]] -= 1
        self.day_total[row] += opts.daily[option]
        self.week_total += opts.weekly[option]
        self.need += opts.food[option]
        self.uses[opts.recipe[option]] += 1
        self.choice[slot] = option

    def restore(self, choice: list[int]) -> None:
        for slot, option in enumerate(choice):
            if self.choice[slot] != option:
                self.assign(slot, option)

    # --- moves --------------------------------------------------------------------------------

    def improve_slot(self, slot: int, without_food: int | None = None) -> bool:
        """Move the slot to its best option; True when the plan got better. With
        `without_food`, the slot must move to its best option without that food."""
        rows = self.p.allowed[slot]
        if without_food is not None:
            rows = rows[self.p.options[self.p.slots[slot][1]].food[rows, without_food] == 0]
            if not len(rows):
                return False
        violation, objective = self._slot_scores(slot, rows)
        score = VIOLATION_WEIGHT * violation + objective
        best = int(np.argmin(score))
        current = self.choice[slot]
        if current >= 0 and without_food is None:
            here = int(np.flatnonzero(rows == current)[0])
            if score[best] >= score[here] - 1e-6:
                return False
        self.assign(slot, int(rows[best]))
        return True

    def descend(self, slots: list[int] | None = None, max_sweeps: int = 50) -> None:
        """Best single-meal moves over `slots` (default: all), until no move improves."""
        slots = range(len(self.p.slots)) if slots is None else slots
        for _ in range(max_sweeps):
            moved = False
            for slot in slots:
                moved |= self.improve_slot(slot)
            if not moved:
                return

    def total(self) -> tuple[float, float, list[str]]:
        """(violation, objective, broken requirement keys) of the whole plan."""
        p = self.p
        violation, broken = 0.0, set()
        daily = np.maximum(self.daily_b - self.day_total * self.daily_a, 0)
        weekly = np.maximum(self.weekly_b - self.week_total * self.weekly_a, 0)
        for i, rule in enumerate(p.daily_rules):
            if daily[:, i].sum() > 0:
                broken.add(rule.key)
        for i, rule in enumerate(p.weekly_rules):
            if weekly[i] > 0:
                broken.add(rule.key)
        violation += daily.sum() + weekly.sum()
        cost = float(self._cost(self.need))
        if p.budget_cents is not None and cost > p.budget_cents:
            broken.add("budget")
        plants = int(self._plants(self.need))
        shortfall = max(0, p.plants_target - plants)
        if p.plants_hard and shortfall:
            violation += shortfall / max(1, p.plants_target)
            broken.add("plants")
        recipes = [p.options[s].recipe[c] for (_d, s), c in zip(p.slots, self.choice,
                                                               strict=True)]
        clashes = int(np.maximum(self.uses - p.request.max_repeats, 0).sum())
        for slot, recipe in enumerate(recipes):
            clashes += sum(recipes[j] == recipe for j in self.same_day[slot] if j > slot)
            clashes += sum(recipes[j] == recipe for j in self.neighbours[slot] if j > slot)
        if clashes:
            violation += clashes
            broken.add("variety")
        w = p.weights
        objective = (
            w[COST_PENALTY] * cost
            + w[ENERGY_PENALTY] * float(np.abs(self.day_total[:, 0] - p.energy_target).sum())
            + w[PLANTS_PENALTY] * (0 if p.plants_hard else shortfall)
            + w[REPEAT_PENALTY] * float(np.maximum(self.uses - 1, 0).sum())
            - p.favorite_bonus * sum(
                bool(p.options[s].favorite[c]) for (_d, s), c in zip(p.slots, self.choice,
                                                                     strict=True))
        )
        return violation, objective, sorted(broken)

    def score(self) -> float:
        violation, objective, _broken = self.total()
        return VIOLATION_WEIGHT * violation + objective + BUDGET_WEIGHT * self.over_budget()

    def over_budget(self) -> float:
        if self.p.budget_cents is None:
            return 0.0
        return max(0.0, float(self._cost(self.need)) - self.p.budget_cents)

    def kick(self, count: int = KICK_SLOTS) -> list[int]:
        """Re-draw a few unlocked meals at random (seeded) to leave a local optimum; returns
        the slots of the days touched, where the descent that follows looks first."""
        free = [i for i, rows in enumerate(self.p.allowed) if len(rows) > 1]
        if not free:
            return []
        days = set()
        for slot in self.rng.choice(free, size=min(count, len(free)), replace=False):
            rows = self.p.allowed[slot]
            self.assign(int(slot), int(rows[self.rng.integers(len(rows))]))
            days.add(self.p.slots[slot][0])
        return [i for i, (day, _s) in enumerate(self.p.slots) if day in days]

    def drop_food(self) -> list[int]:
        """Stop buying one food (drawn by what its packages cost): each meal using it moves
        to its best option without it. Single-meal moves rarely find this, as a package is
        only saved once the last meal using it changes. Returns the slots of the days
        touched."""
        bought = np.flatnonzero((self.need > 0) & (self.unit_cents > 0))
        if not len(bought):
            return []
        p = self.p
        missing = np.maximum(self.need[bought] - p.pantry_qg[bought], 0)
        weights = np.ceil(missing / p.package_qg[bought]) * self.unit_cents[bought]
        if weights.sum() <= 0:  # everything used comes from the pantry
            return []
        food = int(self.rng.choice(bought, p=weights / weights.sum()))
        users = [i for i, (_d, meal) in enumerate(self.p.slots)
                 if self.choice[i] >= 0 and self.p.options[meal].food[self.choice[i], food]
                 and len(self.p.allowed[i]) > 1]
        for slot in users:
            self.improve_slot(slot, without_food=food)
        days = {self.p.slots[i][0] for i in users}
        return [i for i, (day, _s) in enumerate(self.p.slots) if day in days]

    def place_favourite(self) -> list[int]:
        """Serve a favourite dish in a random meal that allows it (at its best portion there):
        worth trying as a move of its own, as its bonus only counts once it is in the plan.
        Returns the slots of the day touched."""
        p = self.p
        places = [(slot, rows[p.options[meal].favorite[rows]])
                  for slot, ((_d, meal), rows) in enumerate(zip(p.slots, p.allowed, strict=True))
                  if len(rows) > 1 and p.options[meal].favorite[rows].any()]
        if not places:
            return []
        slot, rows = places[int(self.rng.integers(len(places)))]
        recipe = p.options[p.slots[slot][1]].recipe[rows]
        pick = rows[recipe == recipe[self.rng.integers(len(recipe))]]
        violation, objective = self._slot_scores(slot, pick)
        self.assign(slot, int(pick[np.argmin(VIOLATION_WEIGHT * violation + objective)]))
        day = p.slots[slot][0]
        return [i for i, (d, _s) in enumerate(p.slots) if d == day and i != slot]

    def ranking(self) -> list[np.ndarray]:
        ranked = []
        for slot, rows in enumerate(self.p.allowed):
            violation, objective = self._slot_scores(slot, rows)
            order = np.lexsort((objective, violation))
            ranked.append(rows[order])
        return ranked


def search_week(problem: WeekProblem, kicks: int = KICKS) -> SearchResult | None:
    """Greedy fill, descent, then perturb-and-descend rounds (iterated local search with
    threshold accepting), keeping the best plan."""
    if any(len(rows) == 0 for rows in problem.allowed):
        return None
    state = WeekSearch(problem)
    for slot in range(len(problem.slots)):
        state.improve_slot(slot)
    state.descend()
    best_choice, best_score = list(state.choice), state.score()
    current_choice, current_score = list(best_choice), best_score
    moves = [state.kick, state.drop_food]
    if any(problem.options[meal].favorite.any() for meal in problem.options):
        moves.append(state.place_favourite)
    kick, limit = 0, kicks
    while kick < limit:
        # in turn: re-draw a few meals at random / stop buying one food / serve a favourite
        touched = moves[kick % len(moves)]()
        state.descend(touched)
        score = state.score()
        if score < best_score - 1e-6:
            best_choice, best_score = list(state.choice), score
        # go on from a slightly worse plan too, less and less so (threshold accepting)
        threshold = ACCEPT_WORSE * (1 - kick / limit) * abs(current_score)
        if score < current_score + threshold - 1e-6:
            current_choice, current_score = list(state.choice), score
        else:
            state.restore(current_choice)
        kick += 1
        if kick == limit == kicks:
            state.restore(best_choice)
            current_choice, current_score = list(best_choice), best_score
            if state.total()[2]:
                limit += EXTRA_KICKS  # a rule is still missed: try harder
    state.restore(best_choice)
    state.descend()
    violation, objective, broken = state.total()
    meals = []
    for (day, meal), option in zip(problem.slots, state.choice, strict=True):
        rid, q = problem.options[meal].keys[option]
        meals.append((day, meal, rid, q))
    return SearchResult(
        meals=sorted(meals), broken=broken, objective=objective,
        cost_cents=int(state._cost(state.need)), evaluations=state.evaluations,
        ranking=state.ranking(),
    )


def rank_options(problem: WeekProblem, meals: list[Meal]) -> list[np.ndarray]:
    """Per slot, its options best first with every other meal of `meals` kept."""
    state = WeekSearch(problem)
    chosen = {(day, slot): (rid, q) for day, slot, rid, q in meals}
    for index, (day, slot) in enumerate(problem.slots):
        state.assign(index, problem.options[slot].index[chosen[day, slot]])
    return state.ranking()


@dataclass
class Unreachable:
    """A rule no choice of dishes can meet: proven by adding up each meal's extremes."""

    key: str
    low: bool  # a minimum out of reach (else a maximum always exceeded)
    reachable: float  # the most (or least) the meals can give, in model units
    rule: Rule
    period: str  # "a day" or "over the plan"

    def describe(self) -> str:
        amount = self.reachable / self.rule.per_unit
        extreme = "most" if self.low else "least"
        return (f"the {extreme} the eligible dishes can give is {amount:.1f} "
                f"{self.rule.unit} {self.period}")


def unreachable_rules(problem: WeekProblem) -> list[Unreachable]:
    """Rules out of reach whatever the choice: each slot at its extreme option, summed."""
    found: dict[str, Unreachable] = {}

    def check(rules, columns, slots, period):
        for i, rule in enumerate(rules):
            if rule.key in found or not rule.unit:
                continue
            values = [columns(slot)[:, i] for slot in slots]
            most = sum(float(v.max()) for v in values)
            least = sum(float(v.min()) for v in values)
            if most < rule.low:
                found[rule.key] = Unreachable(rule.key, True, most, rule, period)
            elif least > rule.high:
                found[rule.key] = Unreachable(rule.key, False, least, rule, period)

    def daily(slot):
        return problem.options[problem.slots[slot][1]].daily[problem.allowed[slot]]

    def weekly(slot):
        return problem.options[problem.slots[slot][1]].weekly[problem.allowed[slot]]

    for day in sorted({d for d, _s in problem.slots}):
        check(problem.daily_rules, daily,
              [i for i, (d, _s) in enumerate(problem.slots) if d == day], "a day")
    check(problem.weekly_rules, weekly, range(len(problem.slots)), "over the plan")
    if problem.plants_hard:
        # distinct plant foods: at most those the allowed dishes contain, and at most the
        # most-varied dish of each meal added up
        usable = np.zeros(len(problem.foods), dtype=bool)
        most = 0
        for slot, (_day, meal) in enumerate(problem.slots):
            plants = (problem.options[meal].food[problem.allowed[slot]] > 0) & problem.plant
            usable |= plants.any(axis=0)
            most += int(plants.sum(axis=1).max(initial=0))
        reachable = min(int(usable.sum()), most)
        if reachable < problem.plants_target:
            rule = Rule("plants", low=problem.plants_target, unit="different plant foods")
            found["plants"] = Unreachable("plants", True, reachable, rule, "over the plan")
    return list(found.values())


NEIGHBOURHOOD_SIZE = 6  # best alternatives per meal CP-SAT may choose among (solve.polish)


def neighbourhood(problem: WeekProblem, result: SearchResult,
                  size: int = NEIGHBOURHOOD_SIZE) -> dict[tuple[int, str], set[tuple[str, int]]]:
    """Per slot: the plan's own (dish, portion) and the `size` best alternatives to it."""
    chosen = {(day, slot): (rid, q) for day, slot, rid, q in result.meals}
    return {
        (day, slot): {problem.options[slot].keys[o] for o in result.ranking[i][:size]}
        | {chosen[day, slot]}
        for i, (day, slot) in enumerate(problem.slots)
    }
