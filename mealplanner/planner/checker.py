"""Verify a plan independently of the model: recompute every total from ingredient grams and
the food data, and check every requirement of the request's rule set. Every plan goes
through it before anyone sees it.

The rule set is the same list the model and the search compile (so no rule can be forgotten
here); the numbers are the checker's own, in floats from ingredient grams: nothing here reads
the CP-SAT model or its rounded integers, only the plan document, the request and the catalog.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from mealplanner.catalog.records import NUTRIENTS
from mealplanner.catalog.store import Catalog
from mealplanner.planner.candidates import (
    build_candidates,
    resolve_food_terms,
    resolve_pantry,
)
from mealplanner.planner.families import packages, plants, variety
from mealplanner.planner.request import PORTIONS, PlanRequest
from mealplanner.planner.targets import resolve_targets
from mealplanner.rules.requirements import (
    BUDGET,
    DAY,
    GROUP_PREFIX,
    PLANTS,
    VARIETY,
    Bound,
    Requirement,
    RuleSet,
)
from mealplanner.rules.ruleset import build_rule_set


def food_amounts(food, grams: float, heated: bool, retention: float) -> dict[str, float]:
    """What `grams` of a food hold, from its nutrients per 100 g (fixed point, read here with
    the checker's own arithmetic) and its gut-health data. A nutrient USDA has no value for
    counts 0: a minimum (fiber) is then never met by an unknown, and a cap (sodium, saturated
    fat) is judged on the known part, as the plan's `totals_lower_bound` says. Live cultures
    only from a food the dish does not heat; a raw food's prebiotic fibre, once cooked, at
    `retention` of its raw figure as eaten (all of it at most)."""
    n, scale = food.nutrients, grams / 100
    amounts = {spec.name: (getattr(n, spec.field) or 0) / spec.scale * scale
               for spec in NUTRIENTS}
    most = food.prebiotic_mg_per_100g / 1000 * scale
    amounts["prebiotic_g"] = most * (retention if heated and food.prebiotic_measured_raw
                                     else 1.0)
    amounts["prebiotic_most_g"] = most
    amounts["fermented_servings"] = (grams / food.fermented_serving_g
                                     if food.live_cultures and food.fermented_serving_g
                                     and not heated else 0.0)
    return amounts


@dataclass
class PlanFacts:
    """The plan's quantities per day, recomputed from ingredient grams."""

    totals: dict[int, dict[str, float]] = field(default_factory=dict)
    group_grams: dict[int, dict[str, float]] = field(default_factory=dict)
    seen_slots: dict[tuple[int, str], str] = field(default_factory=dict)
    ingredients: list[dict] = field(default_factory=list)
    use_staples: bool = True  # staples on hand cost nothing in the food eaten
    retention: float = 1.0  # the rules' prebiotic_cooked_retention

    def add(self, day: int, ingredient: dict, food) -> None:
        """One ingredient line of a meal on `day`."""
        totals = self.totals.setdefault(day, {})
        groups = self.group_grams.setdefault(day, {})
        heated = ingredient.get("heated", True)  # documents made before it was recorded
        for name, value in food_amounts(food, ingredient["grams"], heated,
                                        self.retention).items():
            totals[name] = totals.get(name, 0.0) + value
        if not (food.staple and self.use_staples):
            edible = packages.edible_grams(food)
            totals["eaten_cents"] = (totals.get("eaten_cents", 0.0)
                                     + ingredient["grams"] * food.package_price_cents / edible)
        for group in food.groups:
            groups[group] = groups.get(group, 0.0) + ingredient["grams"]
        self.ingredients.append(ingredient)

    def amount(self, quantity: str, days: list[int]) -> float:
        if quantity.startswith(GROUP_PREFIX):
            group = quantity[len(GROUP_PREFIX):]
            return sum(self.group_grams[d].get(group, 0.0) for d in days)
        return sum(self.totals[d].get(quantity, 0.0) for d in days)


def rule_set_for(request: PlanRequest, catalog: Catalog) -> RuleSet:
    """The request's rule set, built the way the planner builds it."""
    targets = resolve_targets(request, catalog.rules)
    candidates = build_candidates(request, catalog)
    return build_rule_set(request, catalog.rules, targets, candidates.served_groups(),
                          candidates.most_per_day)


def check_plan(document: dict[str, Any], request: PlanRequest, catalog: Catalog,
               rule_set: RuleSet | None = None) -> list[str]:
    """Every broken rule as a sentence; an empty list means the plan holds."""
    rule_set = rule_set or rule_set_for(request, catalog)
    problems: list[str] = []
    facts = PlanFacts(use_staples=request.use_staples,
                      retention=catalog.rules.gut.prebiotic_cooked_retention)
    for day in document["days"]:
        problems += _check_day(day, request, catalog, facts)
    problems += _check_slots(facts, request, catalog)
    problems += _check_skipped(document, rule_set)
    for messages in requirement_problems(document, request, catalog, rule_set,
                                         facts).values():
        problems += messages
    return problems


def requirement_problems(document: dict[str, Any], request: PlanRequest, catalog: Catalog,
                         rule_set: RuleSet, facts: PlanFacts | None = None,
                         ) -> dict[str, list[str]]:
    """Per requirement key of the rule set, what the plan breaks ([] = kept), and under
    "cost" a reported cost that differs from the recomputed one."""
    facts = facts or plan_facts(document["days"], catalog, request.use_staples)
    found: dict[str, list[str]] = {}
    for requirement in rule_set.linear():
        found[requirement.key] = check_linear(requirement, facts)
    if rule_set.has(VARIETY):
        found[VARIETY] = variety.check(facts.seen_slots or _slots(document), rule_set)
    if rule_set.has(PLANTS):
        found[PLANTS] = plants.check({i["food_id"] for i in facts.ingredients}, catalog,
                                     rule_set)
    money = packages.recompute(_household_need(document, request),
                               resolve_pantry(request, catalog), catalog, request.use_staples,
                               request.days)
    messages = packages.check(money, rule_set, document["cost"])
    found["cost"] = [m for m in messages if m.startswith("cost ") and "exceeds" not in m]
    if rule_set.has(BUDGET):
        found[BUDGET] = found.get(BUDGET, []) + [m for m in messages if "exceeds" in m]
    return found


def broken_requirements(document: dict[str, Any], request: PlanRequest, catalog: Catalog,
                        rule_set: RuleSet) -> list[str]:
    """The keys of the requirements the plan breaks, as the model and the search name them."""
    found = requirement_problems(document, request, catalog, rule_set)
    return [r.key for r in rule_set.requirements if found.get(r.key)]


def _slots(document: dict) -> dict[tuple[int, str], str]:
    return {(d["day"], m["slot"]): m["recipe_id"] for d in document["days"] for m in d["meals"]}


def _check_day(day: dict, request: PlanRequest, catalog: Catalog, facts: PlanFacts) -> list[str]:
    """Each meal's dish, portion, time, ingredient grams, allergens and diet; the day's totals
    recomputed and compared with the reported ones."""
    problems = []
    d = day["day"]
    facts.totals[d] = dict.fromkeys(day["totals"], 0.0)
    facts.group_grams[d] = {}
    excluded_allergens = set(request.exclude_allergens)
    diet_excludes = catalog.rules.diets[request.diet].excludes_groups
    first = len(facts.ingredients)
    for meal in day["meals"]:
        key = (d, meal["slot"])
        if key in facts.seen_slots:
            problems.append(f"day {d} {meal['slot']} has more than one dish")
        facts.seen_slots[key] = meal["recipe_id"]
        recipe = catalog.recipes.get(meal["recipe_id"])
        if recipe is None:
            problems.append(f"day {d} {meal['slot']}: unknown recipe {meal['recipe_id']}")
            continue
        if meal["slot"] not in recipe.meal_types:
            problems.append(f"{recipe.id} is not a {meal['slot']} dish")
        if meal["portion"] not in PORTIONS:
            problems.append(f"{recipe.id}: portion {meal['portion']} is not allowed")
        if (request.max_prep_minutes is not None
                and recipe.prep_minutes + recipe.cook_minutes > request.max_prep_minutes):
            problems.append(f"{recipe.id} takes longer than {request.max_prep_minutes} min")
        expected = {(line.food_id, round(line.grams * meal["portion"], 2), line.heated)
                    for line in recipe.ingredients}
        if expected != {(i["food_id"], round(i["grams"], 2), i.get("heated"))
                        for i in meal["ingredients"]}:
            problems.append(f"{recipe.id}: ingredient grams (or whether the dish heats them) "
                            "do not match recipe x portion")
        for ingredient in meal["ingredients"]:
            food = catalog.foods[ingredient["food_id"]]
            if excluded_allergens & set(food.allergens):
                problems.append(f"{recipe.id} contains {food.name} "
                                f"({', '.join(excluded_allergens & set(food.allergens))})")
            if diet_excludes & set(food.groups):
                problems.append(f"{recipe.id} contains {food.name}, not {request.diet}")
            facts.add(d, ingredient, food)
    for name, reported in day["totals"].items():
        value = facts.totals[d].get(name, 0.0)
        if not math.isclose(value, reported, abs_tol=0.02):
            problems.append(f"day {d}: {name} reported {reported} "
                            f"but the ingredients give {value:.2f}")
    if "totals_lower_bound" in day:  # plans stored before it have none
        unknown = {name for i in facts.ingredients[first:] if i["grams"]
                   for name in catalog.foods[i["food_id"]].nutrients.unknown()}
        expected = sorted(name for name in day["totals"] if name in unknown)
        if sorted(day["totals_lower_bound"]) != expected:
            problems.append(f"day {d}: totals_lower_bound {day['totals_lower_bound']} but the "
                            f"ingredients have no value of {expected}")
    return problems


def _check_slots(facts: PlanFacts, request: PlanRequest, catalog: Catalog) -> list[str]:
    problems = []
    expected = {(s.day, s.slot) for s in request.slots}
    missing, extra = expected - set(facts.seen_slots), set(facts.seen_slots) - expected
    if missing:
        problems.append(f"meals missing: {sorted(missing)}")
    if extra:
        problems.append(f"meals not asked for: {sorted(extra)}")
    if request.exclude_foods:
        banned = resolve_food_terms(request.exclude_foods, catalog, "exclude_foods")
        problems += [f"{i['food_id']} was to be avoided" for i in facts.ingredients
                     if i["food_id"] in banned]
    return problems


def _check_skipped(document: dict, rule_set: RuleSet) -> list[str]:
    """The document may skip exactly the rules the rule set skips (minimums no dish serves)."""
    reported = {s["rule"] for s in document.get("skipped_rules", [])}
    expected = {s["rule"] for s in rule_set.skipped}
    if reported != expected:
        return [f"skipped rules reported {sorted(reported)}, expected {sorted(expected)}"]
    return []


def plan_facts(days: list[dict], catalog: Catalog, use_staples: bool = True) -> PlanFacts:
    """The quantities of a plan's days, for tallies that must agree with the checker."""
    facts = PlanFacts(use_staples=use_staples,
                      retention=catalog.rules.gut.prebiotic_cooked_retention)
    for day in days:
        facts.totals[day["day"]], facts.group_grams[day["day"]] = {}, {}
        for meal in day["meals"]:
            facts.seen_slots[day["day"], meal["slot"]] = meal["recipe_id"]
            for ingredient in meal["ingredients"]:
                facts.add(day["day"], ingredient, catalog.foods[ingredient["food_id"]])
    return facts


@dataclass(frozen=True)
class Verdict:
    """One bound of a requirement over one period: the value the plan holds and whether it
    keeps the bound."""

    days: tuple[int, ...]
    value: float
    ok: bool
    message: str = ""


def judge(requirement: Requirement, facts: PlanFacts) -> list[Verdict]:
    """A linear requirement, each bound over each period (each day, or the whole plan); a day
    with the person's exception is held to the exception's bound."""
    days = sorted(facts.totals)
    periods = [[d] for d in days] if requirement.period == DAY else [days]
    verdicts = []
    for index, rule_bound in enumerate(requirement.bounds):
        for period in periods:
            bound = (requirement.bounds_on(period[0])[index] if requirement.period == DAY
                     else rule_bound)
            value = _value(bound, facts, period)
            where = f"day {period[0]}" if requirement.period == DAY else "over the plan"
            message = ""
            if bound.low is not None and value < bound.low - bound.slack:
                message = f"{where}: {requirement.label}: {value:.2f} is below {bound.low:.2f}"
            if bound.high is not None and value > bound.high + bound.slack:
                message = f"{where}: {requirement.label}: {value:.2f} is above {bound.high:.2f}"
            verdicts.append(Verdict(tuple(period), value, not message, message))
    return verdicts


def check_linear(requirement: Requirement, facts: PlanFacts) -> list[str]:
    """A linear requirement, each period on its own; [] when it holds."""
    return [v.message for v in judge(requirement, facts) if not v.ok]


def _value(bound: Bound, facts: PlanFacts, days: list[int]) -> float:
    return sum(term.weight * facts.amount(term.quantity, days) for term in bound.terms)


def measured(requirement: Requirement, facts: PlanFacts, days: list[int]) -> float:
    """The first bound's sum over `days` (the value a tally shows), in its quantities' units."""
    return _value(requirement.bounds[0], facts, days)


def _household_need(document: dict, request: PlanRequest) -> dict[str, dict[int, float]]:
    """Household grams of each food by day."""
    need: dict[str, dict[int, float]] = {}
    for day in document["days"]:
        for meal in day["meals"]:
            for ingredient in meal["ingredients"]:
                by_day = need.setdefault(ingredient["food_id"], {})
                by_day[day["day"]] = (by_day.get(day["day"], 0.0)
                                      + ingredient["grams"] * request.people)
    return need
